import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** The Redis the test run was given (scripts/with-redis.mjs sets REDIS_URL). */
export function redisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) {
    throw new Error(
      'REDIS_URL is not set: run tests with `npm test`, which starts a private Redis.',
    );
  }
  return url;
}

/** A unique key prefix per test, so suites never touch keys they did not create. */
export function uniquePrefix(name: string): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under `prefix` (SCAN, never KEYS *). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
