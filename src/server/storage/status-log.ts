import { statusChangeSchema, type StatusChange } from '../domain/funnel';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import { parseStored } from './stored-json';

const CHUNK = 10_000;
/**
 * How long a status change is kept: two years, so the funnel compares each month with the same
 * month a year before. Older changes are dropped as new ones are written, so the log stops
 * growing with time (about 190 bytes a change).
 */
export const STATUS_LOG_KEEP_MS = 731 * 86_400_000;

/** The time of a stored change, read without parsing the whole record (NaN if unreadable). */
const atOf = (json: string) => Number(/"at":(\d+)/.exec(json)?.[1]);

/** The status changes of the last two years per portal, oldest first: the funnel's source. */
export function createStatusLog(redis: Redis, keys: Keys) {
  /** Drops the changes written before `cutoff` from the head of the log (it is in time order). */
  async function trim(portalId: number, cutoff: number): Promise<void> {
    const key = keys.statusLog(portalId);
    for (;;) {
      const head = await redis.lrange(key, 0, CHUNK - 1);
      let old = 0;
      while (old < head.length && atOf(head[old]!) < cutoff) old++;
      if (old === 0) return;
      await redis.ltrim(key, old, -1);
      if (old < head.length) return;
    }
  }
  return {
    async add(portalId: number, changes: readonly StatusChange[]): Promise<void> {
      if (changes.length === 0) return;
      await redis.rpush(keys.statusLog(portalId), ...changes.map((c) => JSON.stringify(c)));
      const first = await redis.lindex(keys.statusLog(portalId), 0);
      const newest = Math.max(...changes.map((c) => c.at));
      if (first !== null && atOf(first) < newest - STATUS_LOG_KEEP_MS)
        await trim(portalId, newest - STATUS_LOG_KEEP_MS);
    },
    /** Every change, oldest first, read a chunk at a time. */
    async all(portalId: number): Promise<StatusChange[]> {
      const out: StatusChange[] = [];
      for (let start = 0; ; start += CHUNK) {
        const chunk = await redis.lrange(keys.statusLog(portalId), start, start + CHUNK - 1);
        for (const json of chunk)
          out.push(parseStored(statusChangeSchema, json, `portal ${portalId} status log`));
        if (chunk.length < CHUNK) return out;
      }
    },
  };
}
export type StatusLog = ReturnType<typeof createStatusLog>;
