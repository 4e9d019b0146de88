import { Redis, type RedisOptions } from 'ioredis';
import { withinDeadline } from './deadline';

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
  try {
    return await withinDeadline(
      redis.ping().then((r) => r === 'PONG'),
      timeoutMs,
      false,
    );
  } catch {
    return false;
  }
}
