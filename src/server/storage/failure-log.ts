import { failureRecordSchema, type FailureRecord } from '@lead-qualifier/contract';
import type { Redis } from '../redis';
import type { Keys } from './keys';

/**
 * Jobs that failed for good, newest first: "errors needing attention". Each portal has its own
 * list (at most 100), so one portal's failures never push another's out; jobs of no portal go
 * to a list of their own.
 */
export function createFailureLog(redis: Redis, keys: Keys) {
  const keyOf = (portalId: number | null) =>
    portalId === null ? `${keys.prefix}:failures` : keys.failures(portalId);
  return {
    async record(failure: FailureRecord): Promise<void> {
      const key = keyOf(failure.portalId);
      await redis.multi().lpush(key, JSON.stringify(failure)).ltrim(key, 0, 99).exec();
    },
    /** The portal's latest failures (stored records that no longer parse are left out). */
    async recent(portalId: number, limit = 50): Promise<FailureRecord[]> {
      const rows = await redis.lrange(keyOf(portalId), 0, limit - 1);
      return rows.flatMap((json) => {
        const parsed = failureRecordSchema.safeParse(JSON.parse(json));
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}
export type FailureLog = ReturnType<typeof createFailureLog>;
