import type { Qualification } from '../domain/qualification';
import type { Redis } from '../redis';
import type { Keys } from './keys';

/** The latest qualification per contact (what the card shows), and when each next changes. */
export function createScoreStore(redis: Redis, keys: Keys) {
  return {
    /** Stores a batch's qualifications and next-change times in one round trip. */
    async saveMany(
      portalId: number,
      scored: ReadonlyArray<{ q: Qualification; nextChangeAt: number | null }>,
      scoredAt: number,
    ): Promise<void> {
      if (scored.length === 0) return;
      const tx = redis.multi();
      for (const { q, nextChangeAt } of scored) {
        tx.set(keys.score(portalId, q.contactId), JSON.stringify({ ...q, scoredAt }));
        if (nextChangeAt === null) tx.zrem(keys.nextChange(portalId), q.contactId);
        else tx.zadd(keys.nextChange(portalId), nextChangeAt, q.contactId);
      }
      await tx.exec();
    },
    async get(
      portalId: number,
      contactId: string,
    ): Promise<(Qualification & { scoredAt: number }) | null> {
      const json = await redis.get(keys.score(portalId, contactId));
      return json ? (JSON.parse(json) as Qualification & { scoredAt: number }) : null;
    },
    async remove(portalId: number, contactId: string): Promise<void> {
      await redis
        .multi()
        .del(keys.score(portalId, contactId))
        .zrem(keys.nextChange(portalId), contactId)
        .exec();
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
