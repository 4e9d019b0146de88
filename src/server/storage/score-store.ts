import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { scoredQualificationSchema, type Qualification } from '@lead-qualifier/contract';
import { factsSchema, type Facts } from '../domain/facts';
import { readString } from '../domain/values';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import { parseStored } from './stored-json';

/**
 * A contact's stored score: the qualification the card shows, when it was scored, and the
 * company it was scored with (the card names it without reading the stored facts).
 */
const storedScoreSchema = scoredQualificationSchema.extend({
  company: z.object({ id: z.string(), name: z.string() }).nullable().default(null),
});
export type StoredScore = z.infer<typeof storedScoreSchema>;

const companyOf = (facts: Facts): StoredScore['company'] =>
  facts.company
    ? {
        id: facts.company.id,
        name: readString(facts.company.properties['name']) ?? `Company ${facts.company.id}`,
      }
    : null;

/** Stored facts are deflated JSON (about 1 KB each). */
const readFacts = (packed: Buffer, what: string): Facts =>
  parseStored(factsSchema, inflateRawSync(packed).toString('utf8'), what);

/** The latest qualification per contact (what the card shows), and when each next changes. */
export function createScoreStore(redis: Redis, keys: Keys) {
  return {
    /** Stores a batch's qualifications and next-change times in one round trip. */
    async saveMany(
      portalId: number,
      scored: ReadonlyArray<{ q: Qualification; nextChangeAt: number | null; facts: Facts }>,
      scoredAt: number,
    ): Promise<void> {
      if (scored.length === 0) return;
      const tx = redis.multi();
      for (const { q, nextChangeAt, facts } of scored) {
        const stored: StoredScore = { ...q, scoredAt, company: companyOf(facts) };
        tx.set(keys.score(portalId, q.contactId), JSON.stringify(stored));
        // The facts it was scored on, compressed (about 1 KB): the settings preview replays them.
        tx.hset(
          keys.facts(portalId),
          q.contactId,
          deflateRawSync(JSON.stringify(facts), { level: 1 }),
        );
        if (nextChangeAt === null) tx.zrem(keys.nextChange(portalId), q.contactId);
        else tx.zadd(keys.nextChange(portalId), nextChangeAt, q.contactId);
      }
      await tx.exec();
    },
    async get(portalId: number, contactId: string): Promise<StoredScore | null> {
      const json = await redis.get(keys.score(portalId, contactId));
      return json
        ? parseStored(storedScoreSchema, json, `portal ${portalId} contact ${contactId} score`)
        : null;
    },
    async remove(portalId: number, contactId: string): Promise<void> {
      await redis
        .multi()
        .del(keys.score(portalId, contactId))
        .hdel(keys.facts(portalId), contactId)
        .hdel(keys.rescoreRequested(portalId), contactId)
        .zrem(keys.nextChange(portalId), contactId)
        .exec();
    },
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
