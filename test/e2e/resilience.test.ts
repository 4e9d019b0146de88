import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { DEMO_MODEL } from '../../src/server/domain/default-model';
import { qualify } from '../../src/server/domain/qualify';
import { factsOf } from '../support/facts-of';
import { backfillDone, testStack, until } from '../support/stack';

const root = path.resolve(import.meta.dirname, '../..');

/** Every contact carries the status the model gives its data now: the state without faults. */
function expectFinalState(stack: Stack): void {
  const portal = stack.sandbox.state.portal(stack.portalId);
  const now = Date.now();
  let compared = 0;
  for (const c of portal.all('contacts')) {
    const expected = qualify(factsOf(portal, c.id, DEMO_MODEL, now), DEMO_MODEL, now).status;
    expect(c.properties['lq_status'], `contact ${c.id}`).toBe(expected);
    compared++;
  }
  expect(compared).toBe(stack.seeded!.contacts);
}

describe('no work is lost', () => {
  it('a worker killed mid-backfill: another takes over, no page is lost or counted twice', async () => {
    const stack = await testStack('killed', { contacts: 1500, workers: 0, lockMs: 2_000 });
    try {
      // The first worker runs in a process of its own, killed with SIGKILL part-way.
      const env = Object.fromEntries(
        Object.entries(stack.runtime.config).map(([k, v]) => [k, String(v)]),
      );
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/server/main.ts', '--role', 'worker'],
        { cwd: root, env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, stdio: 'ignore' },
      );
      await stack.install();
      await until(
        'part of the backfill to be done',
        async () => ((await stack.runtime.backfills.get(stack.portalId))?.done ?? 0) >= 300,
        60_000,
      );
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const atKill = (await stack.runtime.backfills.get(stack.portalId))!;
      expect(atKill.status).toBe('running');

      stack.workers.push(stack.runtime.startWorker());
      const done = await backfillDone(stack, 120_000);
      expect(done.done).toBe(1500);
      expect(done.pages).toBe(15);
      expectFinalState(stack);
      expect(stack.sandbox.state.limiter.limited).toBe(0);
    } finally {
      await stack.close();
    }
  }, 180_000);

  it('10% injected 429, 500, 502 and resets from HubSpot: the same final state, no rate-limit overrun', async () => {
    const stack = await testStack('faults', { contacts: 600 });
    try {
      await fetch(`${stack.sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rate: 0.1, kinds: ['429', '500', '502', 'reset'], seed: 99 }),
      });
      expect((await stack.install()).status).toBe(200);
      const done = await backfillDone(stack, 120_000);
      expect(done.done).toBe(600);
      expect(stack.sandbox.state.faults.injected).toBeGreaterThan(3);
      expectFinalState(stack);
      expect(stack.sandbox.state.limiter.limited).toBe(0);
    } finally {
      await stack.close();
    }
  }, 180_000);
});
