import type { Redis } from '../redis';

export interface FailureRecord {
  at: number;
  job: string;
  portalId: number | null;
  /** The job's ids (never tokens or PII: payloads carry ids only). */
  data: Record<string, unknown>;
  error: string;
}

/** Jobs that failed for good, newest first, at most 1,000: "errors needing attention". */
export function createFailureLog(redis: Redis, prefix: string) {
  const key = `${prefix}:failures`;
  return {
    async record(failure: FailureRecord): Promise<void> {
      await redis.multi().lpush(key, JSON.stringify(failure)).ltrim(key, 0, 999).exec();
    },
    async recent(limit = 100): Promise<FailureRecord[]> {
      return (await redis.lrange(key, 0, limit - 1)).map((s) => JSON.parse(s) as FailureRecord);
    },
  };
}
