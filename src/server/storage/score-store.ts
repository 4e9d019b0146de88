import { z } from 'zod';
import {
  milestonesSchema,
  NO_MILESTONES,
  scoredQualificationSchema,
  statusChangeViewSchema,
  type Milestones,
  type Qualification,
  type Status,
} from '@lead-qualifier/contract';
import { factsSchema, type CrmObject, type Facts, type PropertyHistory } from '../domain/facts';
import { redactFacts } from '../domain/redact';
import { readString } from '../domain/values';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import { pack, unpack } from './packed';
import { parseStored } from './stored-json';

/**
 * A contact's stored score: the qualification the card shows, when it was scored, the company
 * it was scored with and its MQL/SQL dates (the card reads them without the stored facts).
 */
const storedScoreSchema = scoredQualificationSchema.extend({
  company: z.object({ id: z.string(), name: z.string() }).nullable().default(null),
  milestones: milestonesSchema.default(NO_MILESTONES),
});
export type StoredScore = z.infer<typeof storedScoreSchema>;
const historySchema = z.array(statusChangeViewSchema);

/** A history as stored, or none when it cannot be read: it starts again, the batch goes on. */
function earlierHistory(stored: Buffer | null | undefined): z.infer<typeof historySchema> {
  if (!stored) return [];
  try {
    const parsed = historySchema.safeParse(JSON.parse(unpack('score', stored)));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** How many status changes a contact's record keeps for the card. */
const HISTORY_KEPT = 5;

/** One scored contact, as the scoring job hands it to the store. */
export interface Scored {
  q: Qualification;
  nextChangeAt: number | null;
  facts: Facts;
  milestones: Milestones;
  /** The status it changed from, when this scoring changed it (what the card's history lists). */
  changedFrom: { from: Status | null } | null;
}

const companyOf = (facts: Facts): StoredScore['company'] =>
  facts.company
    ? {
        id: facts.company.id,
        name: readString(facts.company.properties['name']) ?? `Company ${facts.company.id}`,
      }
    : null;

/** How much of a property's history is kept with the facts: 400 days, at most 50 values. */
const HISTORY_KEPT_MS = 400 * 86_400_000;
const HISTORY_VALUES_KEPT = 50;

/**
 * A property's history as kept, newest first: its values of the last 400 days (at most 49) and
 * the newest value before them, which stands for all older ones (a counter's value then holds
 * every earlier rise, which the model counts at that value's date, as it counts any rise a
 * history does not date). A contact active every day keeps a bounded record.
 */
function recentHistory(history: PropertyHistory, now: number): PropertyHistory {
  const newestFirst = [...history].sort(
    (a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp),
  );
  let recent = 0;
  while (
    recent < newestFirst.length &&
    recent < HISTORY_VALUES_KEPT - 1 &&
    Date.parse(newestFirst[recent]!.timestamp) >= now - HISTORY_KEPT_MS
  )
    recent++;
  return newestFirst.slice(0, recent + 1);
}

/**
 * An object as kept: properties HubSpot sent empty left out (read back, a missing property is
 * empty too), histories cut to their recent values.
 */
function objectAtRest(object: CrmObject, now: number): CrmObject {
  const properties: CrmObject['properties'] = {};
  for (const [name, value] of Object.entries(object.properties))
    if (value !== null) properties[name] = value;
  const kept: CrmObject = { ...object, properties };
  if (object.propertiesWithHistory) {
    const histories: Record<string, PropertyHistory> = {};
    for (const [name, history] of Object.entries(object.propertiesWithHistory))
      histories[name] = recentHistory(history, now);
    kept.propertiesWithHistory = histories;
  }
  return kept;
}

/**
 * The facts as kept: e-mail addresses cut to their domain, empty properties left out, recent
 * history, packed (about 200–300 B each instead of 2.5 KB of JSON).
 */
function factsAtRest(facts: Facts, now: number): Buffer {
  const redacted = redactFacts(facts);
  const engagements: Facts['engagements'] = {};
  for (const [type, list] of Object.entries(redacted.engagements) as Array<
    [keyof Facts['engagements'], CrmObject[]]
  >)
    engagements[type] = list.map((e) => objectAtRest(e, now));
  return pack(
    'facts',
    JSON.stringify({
      contact: objectAtRest(redacted.contact, now),
      company: redacted.company && objectAtRest(redacted.company, now),
      engagements,
    } satisfies Facts),
  );
}

const readFacts = (stored: Buffer, what: string): Facts =>
  parseStored(factsSchema, unpack('facts', stored), what);

/** The latest qualification per contact (what the card shows), and when each next changes. */
export function createScoreStore(redis: Redis, keys: Keys) {
  /** Every record of these contacts, in one round trip. */
  async function removeMany(portalId: number, contactIds: readonly string[]): Promise<void> {
    if (contactIds.length === 0) return;
    await redis
      .multi()
      .del(...contactIds.map((id) => keys.score(portalId, id)))
      .hdel(keys.statusHistory(portalId), ...contactIds)
      .hdel(keys.facts(portalId), ...contactIds)
      .hdel(keys.rescoreRequested(portalId), ...contactIds)
      .zrem(keys.nextChange(portalId), ...contactIds)
      .exec();
  }
  return {
    /** Stores a batch's qualifications and next-change times in one round trip. */
    async saveMany(portalId: number, scored: readonly Scored[], scoredAt: number): Promise<void> {
      if (scored.length === 0) return;
      // The history of the contacts whose status changed, read in one round trip.
      const changed = scored.filter((s) => s.changedFrom !== null);
      const earlier =
        changed.length === 0
          ? []
          : await redis.hmgetBuffer(
              keys.statusHistory(portalId),
              ...changed.map((s) => s.q.contactId),
            );
      const tx = redis.multi();
      changed.forEach(({ q, changedFrom }, i) => {
        const entry = {
          at: scoredAt,
          from: changedFrom!.from,
          to: q.status,
          score: q.score,
          reason: q.reason,
        };
        const history = [entry, ...earlierHistory(earlier[i])].slice(0, HISTORY_KEPT);
        tx.hset(keys.statusHistory(portalId), q.contactId, pack('score', JSON.stringify(history)));
      });
      for (const { q, nextChangeAt, facts, milestones } of scored) {
        const stored: StoredScore = { ...q, scoredAt, company: companyOf(facts), milestones };
        tx.set(keys.score(portalId, q.contactId), pack('score', JSON.stringify(stored)));
        // The facts it was scored on: the settings preview and the trainer replay them.
        tx.hset(keys.facts(portalId), q.contactId, factsAtRest(facts, scoredAt));
        if (nextChangeAt === null) tx.zrem(keys.nextChange(portalId), q.contactId);
        else tx.zadd(keys.nextChange(portalId), nextChangeAt, q.contactId);
      }
      await tx.exec();
    },
    async get(portalId: number, contactId: string): Promise<StoredScore | null> {
      const stored = await redis.getBuffer(keys.score(portalId, contactId));
      return stored
        ? parseStored(
            storedScoreSchema,
            unpack('score', stored),
            `portal ${portalId} contact ${contactId} score`,
          )
        : null;
    },
    /** The contact's latest status changes, newest first. */
    async history(portalId: number, contactId: string): Promise<z.infer<typeof historySchema>> {
      const stored = await redis.hgetBuffer(keys.statusHistory(portalId), contactId);
      return stored === null
        ? []
        : parseStored(
            historySchema,
            unpack('score', stored),
            `portal ${portalId} contact ${contactId} history`,
          );
    },
    remove: (portalId: number, contactId: string): Promise<void> =>
      removeMany(portalId, [contactId]),
    removeMany,
    /** How many contacts have stored facts (what a preview replays). */
    async factsCount(portalId: number): Promise<number> {
      return redis.hlen(keys.facts(portalId));
    },
    /** Every stored contact's facts, a chunk at a time (HSCAN: the portal may hold 100k+). */
    async *scanFacts(portalId: number, chunk = 500): AsyncGenerator<Facts[]> {
      let cursor = '0';
      do {
        const [next, flat] = await redis.hscanBuffer(keys.facts(portalId), cursor, 'COUNT', chunk);
        cursor = next.toString();
        const out: Facts[] = [];
        for (let k = 1; k < flat.length; k += 2)
          out.push(readFacts(flat[k]!, `portal ${portalId} facts`));
        if (out.length > 0) yield out;
      } while (cursor !== '0');
    },
    /** The card's "Rescore now": remembered so the card can say a rescore is on its way. */
    async requestRescore(portalId: number, contactId: string, at: number): Promise<void> {
      await redis.hset(keys.rescoreRequested(portalId), contactId, String(at));
    },
    async rescoreRequestedAt(portalId: number, contactId: string): Promise<number | null> {
      const at = await redis.hget(keys.rescoreRequested(portalId), contactId);
      return at === null ? null : Number(at);
    },
    /** Contacts whose decision changes by `now`, taken off the schedule (at most `limit`). */
    async takeDue(portalId: number, now: number, limit: number): Promise<string[]> {
      const due = await redis.zrangebyscore(
        keys.nextChange(portalId),
        '-inf',
        now,
        'LIMIT',
        0,
        limit,
      );
      if (due.length > 0) await redis.zrem(keys.nextChange(portalId), ...due);
      return due;
    },
  };
}
export type ScoreStore = ReturnType<typeof createScoreStore>;
