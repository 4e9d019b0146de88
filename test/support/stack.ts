import { startStack, type Stack, type StackOptions } from '../../src/demo/stack';
import { deleteKeys, redisUrl, uniquePrefix } from './redis';

/** A stack on the test run's Redis, under a key prefix of its own, cleaned up on close. */
export async function testStack(name: string, options: Partial<StackOptions> = {}): Promise<Stack> {
  const prefix = uniquePrefix(name);
  const stack = await startStack({
    redisUrl: redisUrl(),
    prefix,
    contacts: 200,
    rateLimits: { burst: 400, windowMs: 2_000, searchPerSecond: 20 },
    delivery: { batchWindowMs: 20, retryBaseMs: 50, maxAttempts: 6, timeoutMs: 3000 },
    ...options,
  });
  const close = stack.close.bind(stack);
  stack.close = async () => {
    const redis = stack.runtime.redis.duplicate();
    await close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  };
  return stack;
}

export async function until<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function backfillDone(stack: Stack, timeoutMs = 60_000) {
  return until(
    'the backfill to finish',
    async () => {
      const p = await stack.runtime.backfills.get(stack.portalId);
      return p?.status === 'done' ? p : null;
    },
    timeoutMs,
    100,
  );
}
