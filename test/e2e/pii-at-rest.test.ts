import { describe, expect, it } from 'vitest';
import type { Redis } from '../../src/server/redis';
import { unpack } from '../../src/server/storage/packed';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, backendFetch, contactsByStatus } from '../support/ui';

/** Every value stored under `prefix`, as text; packed values (scores, facts) unpacked. */
async function everythingStored(redis: Redis, prefix: string): Promise<string[]> {
  let key = '';
  const text = (b: Buffer) => {
    try {
      return unpack(key.endsWith(':facts') ? 'facts' : 'score', b);
    } catch {
      return b.toString('utf8');
    }
  };
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (key of keys) {
      out.push(key);
      const type = await redis.type(key);
      if (type === 'string') out.push(text((await redis.getBuffer(key))!));
      else if (type === 'hash')
        out.push(...Object.values(await redis.hgetallBuffer(key)).map(text));
      else if (type === 'list') out.push(...(await redis.lrangeBuffer(key, 0, -1)).map(text));
      else if (type === 'zset') out.push(...(await redis.zrange(key, 0, -1)));
      else if (type === 'set') out.push(...(await redis.smembers(key)));
    }
  } while (cursor !== '0');
  return out;
}

describe('personal data at rest', () => {
  it("no contact's e-mail address is kept: scores, facts, previews and jobs hold its domain at most", async () => {
    const stack = await testStack('pii', { contacts: 150 });
    try {
      await stack.install();
      await backfillDone(stack);
      // The card is read and a preview replays the stored facts (its samples are kept a day).
      const user = backendFetch(stack, { userEmail: 'admin@example.com' });
      const sql = (await contactsByStatus(stack)).get('ready')![0]!;
      expect((await user(`${BACKEND_URL}/api/card/contacts/${sql}`)).status).toBe(200);
      const model = (await stack.runtime.models.active(stack.portalId)) as unknown as Record<
        string,
        unknown
      >;
      const started = await user(`${BACKEND_URL}/api/settings/previews`, {
        method: 'POST',
        body: { model: { ...model, mql: { ...(model['mql'] as object), minScore: 20 } } },
      });
      const { id } = (await started.json()) as { id: string };
      await until('the preview', async () => {
        const p = await user(`${BACKEND_URL}/api/settings/previews/${id}`);
        return ((await p.json()) as { status: string }).status === 'done';
      });
      const emails = [...stack.sandbox.state.portal(stack.portalId).all('contacts')]
        .map((c) => c.properties['email'])
        .filter((e): e is string => typeof e === 'string' && e.includes('@'));
      expect(emails.length).toBeGreaterThan(100);
      const stored = (await everythingStored(stack.runtime.redis, stack.runtime.keys.prefix)).join(
        '\n',
      );
      const kept = emails.filter((e) => stored.includes(e));
      expect(kept).toEqual([]);
      // What the model needs is still there: the domains.
      expect(stored).toMatch(/redacted@[a-z0-9.-]+\.[a-z]+/);
    } finally {
      await stack.close();
    }
  }, 120_000);
});
