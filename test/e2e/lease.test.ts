import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { createPendingRescores } from '../../src/server/storage/pending-rescores';
import { backfillDone, testStack, until } from '../support/stack';

// A run of rescores holds the contacts it took with a lease; a worker that dies holding them
// hands them back when the lease lapses. The lease is the worker's lock time, so a crash delays
// realtime work by about the time BullMQ takes to hand the job on, not by a fixed two minutes.

let stack: Stack;
beforeAll(async () => {
  stack = await testStack('lease', { contacts: 30, lockMs: 4_000 });
  await stack.install();
  await backfillDone(stack);
});
afterAll(async () => {
  await fetch(`${stack.sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
  await stack.close();
});

describe('the lease on contacts being rescored', () => {
  it('lasts the worker lock time (WORKER_LOCK_MS), not two minutes', async () => {
    // HubSpot answers slowly, so the run is caught holding its contacts.
    await fetch(`${stack.sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rate: 1, kinds: ['latency'], latencyMs: 1_500 }),
    });
    const ids = [...stack.sandbox.state.portal(stack.portalId).all('contacts')]
      .slice(0, 3)
      .map((c) => c.id);
    const redis = stack.runtime.redis;
    const pending = createPendingRescores(redis, stack.runtime.keys, Date.now);
    await pending.add(
      stack.portalId,
      ids.map((contactId) => ({ contactId })),
    );
    await stack.runtime.producer.rescorePending(stack.portalId, { delay: 0, key: 'lease-test' });
    const held = await until(
      'a run to hold the contacts',
      async () => {
        const rows = await redis.zrange(
          stack.runtime.keys.processing(stack.portalId),
          0,
          -1,
          'WITHSCORES',
        );
        return rows.length > 0 ? { leaseEnd: Number(rows[1]), seenAt: Date.now() } : null;
      },
      20_000,
      20,
    );
    // The lease ends WORKER_LOCK_MS after it was taken, which was before it was seen.
    expect(held.leaseEnd - held.seenAt).toBeLessThanOrEqual(4_000);
    // A run still working renews its lease (as BullMQ renews the job's lock).
    await until(
      'the lease to be renewed while the run goes on',
      async () => {
        const rows = await redis.zrange(
          stack.runtime.keys.processing(stack.portalId),
          0,
          -1,
          'WITHSCORES',
        );
        return rows.length > 0 && Number(rows[1]) > held.leaseEnd;
      },
      20_000,
      50,
    );
  });
});
