import { randomUUID } from 'node:crypto';
import {
  feedbackRecordSchema,
  type FeedbackRecord,
  type Qualification,
  type FeedbackStats,
  type Grade,
  type RejectionReason,
} from '@lead-qualifier/contract';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import { parseStored } from './stored-json';

/**
 * Sales' decision on the qualification `q` as it is kept: who decided, when, why, and what they
 * judged (the version, score, grade, status and the rules that added points). A rep's on the
 * card and a lead's stage in HubSpot make the same record.
 */
export function feedbackRecord(
  q: Qualification,
  decision: Pick<FeedbackRecord, 'decision' | 'reason' | 'note' | 'by' | 'at'>,
): FeedbackRecord {
  return {
    id: randomUUID(),
    contactId: q.contactId,
    ...decision,
    modelVersion: q.modelVersion,
    score: q.score,
    grade: q.grade,
    status: q.status,
    rules: q.ledger.filter((e) => e.points > 0).map((e) => e.rule),
  };
}

const readRecord = (json: string) => parseStored(feedbackRecordSchema, json, 'feedback record');

/** Reps' accept or reject of SQLs, with the qualification each judged. Never evicted. */
export function createFeedbackStore(redis: Redis, keys: Keys) {
  return {
    async add(portalId: number, record: FeedbackRecord): Promise<void> {
      await redis
        .multi()
        .rpush(keys.feedback(portalId), JSON.stringify(record))
        .hset(keys.feedbackLatest(portalId), record.contactId, JSON.stringify(record))
        .exec();
    },
    async latest(portalId: number, contactId: string): Promise<FeedbackRecord | null> {
      const json = await redis.hget(keys.feedbackLatest(portalId), contactId);
      return json ? readRecord(json) : null;
    },
    /** Contacts whose latest decision is a rejection (they count as not converted). */
    async rejectedContacts(portalId: number): Promise<Set<string>> {
      const latest = await redis.hvals(keys.feedbackLatest(portalId));
      const rejected = new Set<string>();
      for (const json of latest) {
        const r = readRecord(json);
        if (r.decision === 'rejected') rejected.add(r.contactId);
      }
      return rejected;
    },
    /** Every record, oldest first. */
    async all(portalId: number): Promise<FeedbackRecord[]> {
      const all = await redis.lrange(keys.feedback(portalId), 0, -1);
      return all.map(readRecord);
    },
  };
}
export type FeedbackStore = ReturnType<typeof createFeedbackStore>;

/** What sales said, counted by reason, by the rules that fired and by grade (latest per contact). */
export function feedbackStats(records: readonly FeedbackRecord[]): FeedbackStats {
  const latest = new Map<string, FeedbackRecord>();
  for (const r of records) latest.set(r.contactId, r);
  const reasons = new Map<RejectionReason, number>();
  const byRule = new Map<string, FeedbackStats['byRule'][number]>();
  const byGrade = new Map<Grade, FeedbackStats['byGrade'][number]>(
    (['A', 'B', 'C', 'D'] as const).map((g) => [g, { grade: g, accepted: 0, rejected: 0 }]),
  );
  let accepted = 0;
  let rejected = 0;
  for (const r of latest.values()) {
    if (r.decision === 'accepted') accepted++;
    else rejected++;
    if (r.reason) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    byGrade.get(r.grade)![r.decision]++;
    for (const rule of r.rules) {
      const entry = byRule.get(rule) ?? { rule, accepted: 0, rejected: 0, reasons: {} };
      entry[r.decision]++;
      if (r.reason) entry.reasons[r.reason] = (entry.reasons[r.reason] ?? 0) + 1;
      byRule.set(rule, entry);
    }
  }
  return {
    accepted,
    rejected,
    acceptanceRate: accepted + rejected === 0 ? null : accepted / (accepted + rejected),
    reasons: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    byRule: [...byRule.values()].sort(
      (a, b) => b.rejected - a.rejected || a.rule.localeCompare(b.rule),
    ),
    byGrade: [...byGrade.values()],
  };
}
