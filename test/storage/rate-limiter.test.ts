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
  it('never grants more than the limit in a window, and paces the grants over it', async () => {
    // 40 per second: one every 25 ms, at most 4 ahead of that pace.
    const limiter = createRateLimiter(redis, keys, {
      burst: { limit: 40, windowMs: 1_000 },
      search: { limit: 4, windowMs: 1_000 },
    });
    // The limiter's own decisions: the grant times it records on Redis's clock. (Times taken
    // by this process after each grant would depend on how busy the machine is.)
    // Each request is answered as soon as it is granted.
    const granted = (
      await Promise.all(
        Array.from({ length: 60 }, async () => {
          const slot = await limiter.acquire(1, 'burst', 'bulk');
          await slot.settle();
          return slot.grantedAt;
        }),
      )
    ).sort((a, b) => a - b);
    const inAny = (span: number) =>
      Math.max(...granted.map((t) => granted.filter((u) => u >= t && u < t + span).length));
    expect(inAny(1_000)).toBeLessThanOrEqual(40);
    // Four at once, then one every 25 ms at most (Redis's clock counts whole milliseconds).
    granted.forEach((t, k) => expect(t - granted[0]!).toBeGreaterThanOrEqual(25 * (k - 3) - 1));
    expect(inAny(100)).toBeLessThanOrEqual(8);
    // 60 grants at 40 per second cannot all fit in one window: the last comes a window later.
    expect(granted.at(-1)! - granted[0]!).toBeGreaterThanOrEqual(1_000);
  });

  /** A window two-thirds full (12 of 20), its grants spread as the limiter spreads them. */
  async function twoThirdsFull(portal: number): Promise<void> {
    const [sec, micro] = (await redis.time()).map(Number);
    const now = sec! * 1000 + Math.floor(micro! / 1000);
    const members = Array.from({ length: 12 }, (_, i) => [
      now - 9_500 + Math.floor(i / 2) * 1_000,
      `old-${i}`,
    ]);
    await redis.zadd(keys.rate(portal, 'burst'), ...members.flat());
  }
  // A ten-second window: the grants stay in it however slowly a busy machine runs the test.
  const small = { burst: { limit: 20, windowMs: 10_000 }, search: { limit: 4, windowMs: 1_000 } };

  it('keeps half the window for a person’s change while one is being made: a backfill waits', async () => {
    const limiter = createRateLimiter(redis, keys, small);
    await twoThirdsFull(2);
    // A person's change takes a slot at once (13 of 20) ...
    expect((await limiter.acquire(2, 'burst', 'realtime')).waited).toBe(0);
    // ... and while it goes on, a backfill's request waits although the window has room.
    expect((await limiter.acquire(2, 'burst', 'bulk')).waited).toBeGreaterThan(0);
  });

  it('lets a backfill use the whole window when no person’s change is being made', async () => {
    const limiter = createRateLimiter(redis, keys, small);
    await twoThirdsFull(3);
    expect((await limiter.acquire(3, 'burst', 'bulk')).waited).toBe(0);
  });

  it('counts a slot until a window after its request was answered, however late it left', async () => {
    // HubSpot counts a request when it arrives: one granted here but answered a while later
    // (it left late) keeps its slot until a window after its answer.
    const limiter = createRateLimiter(redis, keys, {
      burst: { limit: 1, windowMs: 300 },
      search: { limit: 4, windowMs: 1_000 },
    });
    const slow = await limiter.acquire(4, 'burst');
    let granted = 0;
    const waiting = limiter.acquire(4, 'burst').then((g) => {
      granted = g.grantedAt;
      return g;
    });
    // Twice the window later, the request not answered yet still holds the slot.
    await new Promise((r) => setTimeout(r, 600));
    expect(granted).toBe(0);
    // Answered now: it counts from now, so the waiting request gets a slot a window later.
    await slow.settle();
    const answeredAt = Number(
      await redis.zscore(
        keys.rate(4, 'burst'),
        (await redis.zrange(keys.rate(4, 'burst'), 0, 0))[0]!,
      ),
    );
    const late = await waiting;
    expect(late.grantedAt).toBeGreaterThanOrEqual(answeredAt + 300);
  });
});
