import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * A Redis connection. `maxRetriesPerRequest: null` is what BullMQ requires for workers and is
 * harmless elsewhere: commands wait for a reconnect instead of failing after 20 tries.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false, ...options });
}

/** PING with a deadline: a Redis that is down or unreachable answers `false`, never hangs. */
export async function pingRedis(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([redis.ping().then((r) => r === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
