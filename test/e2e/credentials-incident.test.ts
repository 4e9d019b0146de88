import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, backendFetch } from '../support/ui';

let stack: Stack;
let person: Client;

beforeAll(async () => {
  stack = await testStack('credentials-incident', {
    contacts: 40,
    // HubSpot gives up on a webhook after its retries (about a day of them): here, in a second.
    delivery: { batchWindowMs: 20, retryBaseMs: 100, maxDelayMs: 400, maxAttempts: 4 },
    runtime: { credentialsRetryMs: 150 },
  });
  await stack.install();
  await backfillDone(stack);
  person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
});
afterAll(() => stack.close());

const lqStatus = async (id: string) =>
  (await person.crm.contacts.basicApi.getById(id, ['lq_status'])).properties['lq_status'];

describe('a deploy with the wrong client secret, then the right one again', () => {
  it('loses nothing: jobs wait, changes whose webhooks HubSpot gave up on are caught up, no reinstall', async () => {
    const portal = stack.sandbox.state.portal(stack.portalId);
    const installedAt = (await stack.runtime.installations.get(stack.portalId))!;
    const [edited, queued] = await (async () => {
      const scored: string[] = [];
      for (const c of portal.all('contacts'))
        if (c.properties['lq_status'] && c.properties['lq_status'] !== 'disqualified')
          scored.push(c.id);
      return [scored.slice(0, 3), scored[3]!];
    })();

    // The bad deploy, while the access tokens run out.
    await stack.redeploy({ HUBSPOT_CLIENT_SECRET: 'wrong-secret' });
    stack.sandbox.state.oauth.expireAccessTokens(stack.portalId);

    // Sales marks three contacts unqualified in HubSpot: their webhooks are refused (the
    // signature does not match the wrong secret) until HubSpot gives up on them.
    const droppedBefore = stack.sandbox.state.dispatcher.stats.dropped;
    for (const id of edited)
      await person.crm.contacts.basicApi.update(id, {
        properties: { hs_lead_status: 'UNQUALIFIED' },
      });
    await until('HubSpot to give up on the webhooks', async () =>
      stack.sandbox.state.dispatcher.stats.dropped > droppedBefore ? true : null,
    );
    // A job that needs HubSpot (a rep's "Rescore now" queued just before): it waits.
    await stack.runtime.producer.rescore(stack.portalId, queued);
    await until('the job to be refused a token a few times', async () =>
      (await stack.runtime.metrics.oauthClientRejected.get()).values[0]!.value >= 3 ? true : null,
    );
    const waiting = (
      await stack.runtime.producer.queue.getJobs(['delayed', 'active', 'wait'])
    ).filter((j) => j.name === 'rescore' && (j.data as { contactId: string }).contactId === queued);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.attemptsMade).toBe(0);
    expect(await stack.runtime.producer.queue.getFailedCount()).toBe(0);
    expect(await stack.runtime.alarm.read()).toMatchObject({ message: /invalid_client/ });
    // The card is refused meanwhile (its request is signed with the real secret).
    const refused = await backendFetch(stack)(`${BACKEND_URL}/api/card/contacts/${edited[0]}`);
    expect(refused.status).toBe(401);
    for (const id of edited) expect(await lqStatus(id)).not.toBe('disqualified');

    // The right configuration again: no reinstall.
    await stack.redeploy({});
    for (const id of edited)
      await until(`contact ${id} to be rescored as marked unqualified`, async () =>
        (await lqStatus(id)) === 'disqualified' ? true : null,
      );
    await until('the waiting job to have run', async () => {
      const jobs = await stack.runtime.producer.queue.getJobs(['delayed', 'active', 'wait']);
      return jobs.some((j) => j.name === 'rescore') ? null : true;
    });
    expect(await stack.runtime.producer.queue.getFailedCount()).toBe(0);
    expect(await stack.runtime.alarm.read()).toBeNull();
    const after = (await stack.runtime.installations.get(stack.portalId))!;
    expect(after.status).toBe('active');
    expect(after.installedAt).toBe(installedAt.installedAt);
    const card = await backendFetch(stack)(`${BACKEND_URL}/api/card/contacts/${edited[0]}`);
    expect(card.status).toBe(200);
    expect(await card.json()).toMatchObject({
      state: 'scored',
      qualification: { status: 'disqualified' },
    });
  }, 60_000);
});
