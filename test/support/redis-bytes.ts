import type { Redis } from 'ioredis';

/** What one kind of key costs: how many keys, their bytes (Redis' MEMORY USAGE) and entries. */
export interface KindBytes {
  kind: string;
  keys: number;
  bytes: number;
}

/**
 * The kind of a key: the prefix and the portal's hash tag cut, ids (numbers, job ids, hex) as
 * `#`, so `lq:{p7}:score:123` and `lq:{p7}:score:456` are both `score:#`.
 */
export function keyKind(key: string, prefix: string): string {
  return key
    .slice(prefix.length + 1)
    .replace(/\{p\d+\}:?/, '')
    .split(':')
    .map((part) => (/^(\d+|[0-9a-f-]{8,}|repeat.*|[a-z-]+-\d+.*)$/.test(part) ? '#' : part))
    .join(':');
}

/** Every key under `prefix` with its bytes, summed per kind (SCAN, MEMORY USAGE ... SAMPLES 0). */
export async function redisBytes(redis: Redis, prefix: string): Promise<KindBytes[]> {
  const kinds = new Map<string, KindBytes>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    const pipe = redis.pipeline();
    for (const key of keys) pipe.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    const sizes = (await pipe.exec()) ?? [];
    keys.forEach((key, i) => {
      const kind = keyKind(key, prefix);
      const entry = kinds.get(kind) ?? { kind, keys: 0, bytes: 0 };
      entry.keys++;
      entry.bytes += Number(sizes[i]?.[1] ?? 0);
      kinds.set(kind, entry);
    });
  } while (cursor !== '0');
  return [...kinds.values()].sort((a, b) => b.bytes - a.bytes);
}
