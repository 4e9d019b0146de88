import { statusChangeSchema, type StatusChange } from '../domain/funnel';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import { parseStored } from './stored-json';

const CHUNK = 10_000;

/** Every status change per portal, in the order written: the funnel is computed from it. */
export function createStatusLog(redis: Redis, keys: Keys) {
  return {
    async add(portalId: number, changes: readonly StatusChange[]): Promise<void> {
      if (changes.length === 0) return;
      await redis.rpush(keys.statusLog(portalId), ...changes.map((c) => JSON.stringify(c)));
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
