import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/server/hubspot/rate-limiter';
import { createRedis } from '../../src/server/redis';
import { createKeys } from '../../src/server/storage/keys';
import { deleteKeys, redisUrl, uniquePrefix } from '../support/redis';

const prefix = uniquePrefix('rate-limiter');
const redis = createRedis(redisUrl());
const keys = createKeys(prefix);
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

describe("the limiter that keeps the app under HubSpot's limits", () => {
  it('never grants more than the limit in a window, and spreads the grants over it', async () => {
    // 40 per second: at most 4 in any tenth of a second.
    const limiter = createRateLimiter(redis, keys, {
      burst: { limit: 40, windowMs: 1_000 },
      search: { limit: 4, windowMs: 1_000 },
    });
    const start = Date.now();
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 60 }, async () => {
        await limiter.acquire(1, 'burst');
        granted.push(Date.now() - start);
      }),
    );
    granted.sort((a, b) => a - b);
    const inAny = (span: number) =>
      Math.max(...granted.map((t) => granted.filter((u) => u >= t && u < t + span).length));
    // Measured here after the grant, so a few milliseconds of slack either way.
    expect(inAny(950)).toBeLessThanOrEqual(40);
    expect(inAny(90)).toBeLessThanOrEqual(4);
    // Spread, not held back: 60 grants at 40 per second take about a second and a half.
    expect(granted.at(-1)!).toBeGreaterThan(1_200);
    expect(granted.at(-1)!).toBeLessThan(2_500);
  });
});
