import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { backfillDone, testStack, until } from '../support/stack';

let stack: Stack;
const RETENTION_MS = 1_500;

beforeAll(async () => {
  stack = await testStack('uninstall', {
    contacts: 30,
    runtime: { uninstalledRetentionMs: RETENTION_MS },
  });
  await stack.install();
  await backfillDone(stack);
});
afterAll(() => stack.close());

/** The portal's keys in Redis (they share its hash tag). */
async function portalKeys(): Promise<string[]> {
  return stack.runtime.redis.keys(`${stack.runtime.keys.portal(stack.portalId)}*`);
}

/** The portal's admin uninstalls the app in HubSpot; the app learns it at its next refresh. */
async function uninstall(): Promise<void> {
  const { sandbox, portalId, runtime } = stack;
  sandbox.state.oauth.uninstall(stack.app.appId, portalId);
  const [contactId] = [...sandbox.state.portal(portalId).all('contacts')].map((c) => c.id);
  await runtime.installations.saveAccessToken(
    portalId,
    (await runtime.installations.get(portalId))!.accessToken!,
    0,
  );
  await runtime.producer.rescore(portalId, contactId!);
  await until('the app to notice the uninstall', async () =>
    (await runtime.installations.get(portalId))?.status === 'uninstalled' ? true : null,
  );
}

describe('uninstalling the app', () => {
  it('a reinstall within the retention finds the portal as it was: models, scores, feedback', async () => {
    const scoresBefore = (await portalKeys()).filter((k) => k.includes(':score:')).length;
    expect(scoresBefore).toBeGreaterThan(0);
    const modelBefore = await stack.runtime.models.active(stack.portalId);
    await uninstall();
    await stack.install();
    await new Promise((r) => setTimeout(r, RETENTION_MS + 1_000));
    expect((await stack.runtime.installations.get(stack.portalId))?.status).toBe('active');
    expect((await portalKeys()).filter((k) => k.includes(':score:')).length).toBeGreaterThanOrEqual(
      scoresBefore,
    );
    expect((await stack.runtime.models.active(stack.portalId)).version).toBe(modelBefore.version);
  }, 60_000);

  it('otherwise every key of the portal is erased once the retention is over, and its jobs', async () => {
    await backfillDone(stack);
    await uninstall();
    // Kept during the retention: a reinstall would find it.
    expect((await portalKeys()).length).toBeGreaterThan(0);
    await until(
      'the portal to be purged',
      async () => ((await portalKeys()).length === 0 ? true : null),
      15_000,
    );
    expect(await stack.runtime.installations.get(stack.portalId)).toBeNull();
    const jobs = await stack.runtime.producer.queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(
      jobs.filter((j) => (j.data as { portalId?: number }).portalId === stack.portalId),
    ).toEqual([]);
  }, 60_000);
});
