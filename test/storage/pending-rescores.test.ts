import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type Redis } from '../../src/server/redis';
import { createKeys } from '../../src/server/storage/keys';
import {
  createPendingRescores,
  RECENT_CHANGES_MS,
} from '../../src/server/storage/pending-rescores';
import { deleteKeys, redisUrl, uniquePrefix } from '../support/redis';

let redis: Redis;
const prefix = uniquePrefix('pending');
let now = 1_000_000;
beforeAll(() => {
  redis = createRedis(redisUrl());
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

describe('pending rescores', () => {
  const pending = () => createPendingRescores(redis, createKeys(prefix), () => now);

  it('takes each contact once, however many events named it, and keeps the first event time', async () => {
    const p = pending();
    await p.add(1, [
      { contactId: '10', occurredAt: 500 },
      { contactId: '11' },
      { contactId: '10', occurredAt: 700 },
    ]);
    expect((await p.take(1, 100, 60_000)).sort()).toEqual(['10', '11']);
    expect(await p.take(1, 100, 60_000)).toEqual([]);
    expect(await p.complete(1, ['10', '11'])).toEqual([500, null]);
    expect(await p.counts(1)).toMatchObject({ pending: 0, processing: 0 });
  });

  it('a contact changed again while it is being rescored is rescored again', async () => {
    const p = pending();
    await p.add(2, [{ contactId: '20' }]);
    expect(await p.take(2, 100, 60_000)).toEqual(['20']);
    await p.add(2, [{ contactId: '20' }]);
    await p.complete(2, ['20']);
    expect(await p.take(2, 100, 60_000)).toEqual(['20']);
  });

  it('contacts held by a worker that died are taken again once their lease lapses', async () => {
    const p = pending();
    await p.add(3, [{ contactId: '30' }, { contactId: '31' }]);
    expect((await p.take(3, 100, 60_000)).length).toBe(2);
    expect(await p.take(3, 100, 60_000)).toEqual([]);
    now += 61_000;
    expect((await p.take(3, 100, 60_000)).sort()).toEqual(['30', '31']);
  });

  it('takes at most a batch at a time', async () => {
    const p = pending();
    await p.add(
      4,
      Array.from({ length: 250 }, (_, i) => ({ contactId: String(i) })),
    );
    expect((await p.take(4, 100, 60_000)).length).toBe(100);
    expect(await p.counts(4)).toMatchObject({ pending: 150, processing: 100 });
  });

  it('says which contacts changed after a backfill page read them, whatever the order of events (property)', async () => {
    const p = pending();
    let portal = 100;
    await fc.assert(
      fc.asyncProperty(
        // Events: (contact, time) in any order; a page read at `readAt`.
        fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1_000 })), {
          maxLength: 30,
        }),
        fc.integer({ min: 0, max: 1_000 }),
        async (events, readAt) => {
          portal++;
          const base = 10_000_000;
          const last = new Map<string, number>();
          for (const [contact, at] of [...events].sort((a, b) => a[1] - b[1])) {
            now = base + at;
            await p.add(portal, [{ contactId: String(contact) }]);
            last.set(String(contact), base + at);
          }
          const ids = ['1', '2', '3', '4', '5', '6', '7', '8'];
          const expected = ids.filter((id) => (last.get(id) ?? -1) >= base + readAt);
          expect(await p.changedSince(portal, ids, base + readAt)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('forgets changes older than the window', async () => {
    const p = pending();
    now = 50_000_000;
    await p.add(7, [{ contactId: '1' }]);
    now += RECENT_CHANGES_MS + 1;
    await p.add(7, [{ contactId: '2' }]);
    expect(await redis.zrange(createKeys(prefix).recentChanges(7), 0, -1)).toEqual(['2']);
  });
});
