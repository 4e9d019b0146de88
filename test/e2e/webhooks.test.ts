import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { signV3 } from '../../src/sandbox/webhook-dispatcher';
import { backfillDone, testStack, until } from '../support/stack';

let stack: Stack;
let person: Client;

const statusOf = (id: string) =>
  stack.sandbox.state.portal(stack.portalId).get('contacts', id)?.properties['lq_status'];
const truthIds = (persona: string) =>
  [...stack.seeded!.truth].filter(([, t]) => t.persona === persona).map(([id]) => id);
const batchUpdates = () =>
  stack.sandbox.state.stats.toJSON()['POST /crm/v3/objects/:objectType/batch/update']?.['200'] ?? 0;
const rescoreJobs = async () =>
  (await stack.runtime.metrics.jobDuration.get()).values
    .filter(
      (v) =>
        (v.labels.job === 'rescore' || v.labels.job === 'rescore-pending') &&
        (v.metricName ?? '').endsWith('_count'),
    )
    .reduce((n, v) => n + v.value, 0);

beforeAll(async () => {
  stack = await testStack('webhooks', { contacts: 150 });
  await stack.install();
  await backfillDone(stack);
  await fetch(`${stack.sandbox.url}/_sandbox/webhooks/drain`, { method: 'POST' });
  person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
});
afterAll(() => stack.close());

describe('staying fresh from webhooks', () => {
  it("ignores the events its own writes cause: the backfill's write-back triggers no rescore", async () => {
    // Our lifecycle stage writes come back as events (the lq_* ones are not subscribed at all).
    const ownChanges = (await stack.runtime.metrics.webhookEvents.get()).values.find(
      (v) => v.labels.outcome === 'own-change',
    );
    const moved = [...stack.sandbox.state.portal(stack.portalId).all('contacts')].filter((c) =>
      ['marketingqualifiedlead', 'salesqualifiedlead'].includes(
        c.properties['lifecyclestage'] ?? '',
      ),
    ).length;
    expect(ownChanges?.value ?? 0).toBeGreaterThanOrEqual(moved - 20);
    expect(ownChanges?.value ?? 0).toBeGreaterThan(0);
    expect(await rescoreJobs()).toBe(0);
  });

  it('re-qualifies a contact when a person changes it in HubSpot: a marketer who requests a demo and books a meeting is handed to sales', async () => {
    const id = truthIds('content_marketer').find(
      (c) =>
        statusOf(c) === 'mql' &&
        stack.sandbox.state.portal(stack.portalId).associations.list('contacts', c, 'companies')
          .length > 0,
    )!;
    expect(statusOf(id)).toBe('mql');
    await person.crm.contacts.basicApi.update(id, {
      properties: {
        recent_conversion_event_name: 'Demo request form',
        recent_conversion_date: new Date().toISOString(),
        hs_buying_role: 'DECISION_MAKER',
      },
    });
    await person.crm.objects.meetings.basicApi.create({
      properties: {
        hs_timestamp: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        hs_meeting_start_time: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        hs_meeting_outcome: 'SCHEDULED',
      },
      associations: [
        {
          to: { id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 200 }],
        },
      ],
    });
    await until('the contact to be ready for sales', async () => statusOf(id) === 'ready', 20_000);
    const contact = stack.sandbox.state.portal(stack.portalId).get('contacts', id)!;
    // Handed to sales: the MQL stage until a rep accepts it, with the follow-up clock running.
    expect(contact.properties['lifecyclestage']).toBe('marketingqualifiedlead');
    expect(contact.properties['lq_ready_date']).toBeDefined();
    expect(contact.properties['lq_sla_due_at']).toBeDefined();
  });

  it('an unsubscribe takes an MQL out of MQL', async () => {
    const id = truthIds('content_marketer').find((c) => statusOf(c) === 'mql')!;
    await person.crm.contacts.basicApi.update(id, { properties: { hs_email_optout: 'true' } });
    await until(
      'the unsubscribed contact to leave MQL',
      async () => statusOf(id) !== 'mql',
      20_000,
    );
    expect(
      stack.sandbox.state.portal(stack.portalId).get('contacts', id)!.properties['lq_top_reasons'],
    ).toMatch(/Unsubscribed/);
  });

  it('writes nothing when a rescore changes nothing', async () => {
    await until(
      'deliveries to settle',
      async () =>
        (await fetch(`${stack.sandbox.url}/_sandbox/webhooks/drain`, { method: 'POST' })).ok,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const before = batchUpdates();
    const id = truthIds('student')[0]!;
    await stack.runtime.producer.rescore(stack.portalId, id);
    const ran = await rescoreJobs();
    await until('the rescore to run', async () => (await rescoreJobs()) > ran);
    expect(batchUpdates()).toBe(before);
  });

  it('handles a deleted contact and a merge', async () => {
    const [a, b, gone] = truthIds('cold');
    await person.crm.contacts.basicApi.archive(gone!);
    await until(
      'the deleted contact to be forgotten',
      async () => (await stack.runtime.scores.get(stack.portalId, gone!)) === null,
    );
    await person.crm.contacts.basicApi.merge({ primaryObjectId: a!, objectIdToMerge: b! });
    await until(
      'the merged contact to be forgotten',
      async () => (await stack.runtime.scores.get(stack.portalId, b!)) === null,
    );
    expect(await stack.runtime.scores.get(stack.portalId, a!)).not.toBeNull();
  });

  it('refuses a webhook with a bad or stale signature, and enqueues nothing', async () => {
    const counts = async () =>
      stack.runtime.producer.queue.getJobCounts('waiting', 'delayed', 'active');
    const before = await counts();
    const body = JSON.stringify([
      {
        eventId: 1,
        subscriptionId: 1,
        portalId: stack.portalId,
        appId: stack.app.appId,
        occurredAt: Date.now(),
        subscriptionType: 'object.creation',
        attemptNumber: 0,
        objectId: 1,
        objectTypeId: '0-1',
      },
    ]);
    const url = `${stack.appUrl}/webhooks/hubspot`;
    const post = (signature: string, timestamp: string, payload = body) =>
      fetch(url, {
        method: 'POST',
        body: payload,
        headers: {
          'content-type': 'application/json',
          'x-hubspot-signature-v3': signature,
          'x-hubspot-request-timestamp': timestamp,
        },
      });
    const now = String(Date.now());
    const forged = await post(signV3('not-the-secret', 'POST', url, body, now), now);
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({
      error: { code: 'invalid_signature', message: expect.stringMatching(/does not match/) },
    });
    const old = String(Date.now() - 6 * 60_000);
    expect((await post(signV3(stack.app.clientSecret, 'POST', url, body, old), old)).status).toBe(
      401,
    );
    expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
    const bad = '{"eventId": 1}';
    const malformed = await post(signV3(stack.app.clientSecret, 'POST', url, bad, now), now, bad);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: 'bad_request', message: expect.stringMatching(/JSON array of events/) },
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses a callback with a forged, missing or reused state', async () => {
    const forged = await fetch(`${stack.appUrl}/oauth/callback?code=x&state=forged`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/expired or already used/);
    expect((await fetch(`${stack.appUrl}/oauth/callback?code=x`)).status).toBe(400);
    const start = await fetch(`${stack.appUrl}/oauth/install`, { redirect: 'manual' });
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('portalId', String(stack.portalId));
    const callback = (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!;
    expect((await fetch(callback)).status).toBe(200);
    const replay = await fetch(callback);
    expect(replay.status).toBe(400);
  });

  it('refreshes an expired access token once, and goes on', async () => {
    const before = (await stack.runtime.installations.get(stack.portalId))!.accessToken;
    await fetch(`${stack.sandbox.url}/_sandbox/portals/${stack.portalId}/expire-tokens`, {
      method: 'POST',
    });
    const id = truthIds('icp_buyer')[0]!;
    const ran = await rescoreJobs();
    await stack.runtime.producer.rescore(stack.portalId, id);
    await until('the rescore to run', async () => (await rescoreJobs()) > ran);
    const after = (await stack.runtime.installations.get(stack.portalId))!.accessToken;
    expect(after).not.toBe(before);
  });

  it('refreshes a token once per portal, however many workers ask at the same time', async () => {
    const { createTokenManager } = await import('../../src/server/hubspot/token-manager');
    const inst = (await stack.runtime.installations.get(stack.portalId))!;
    await stack.runtime.installations.saveAccessToken(stack.portalId, inst.accessToken!, 0);
    const refreshes = () =>
      stack.sandbox.state.stats.toJSON()['POST /oauth/2026-03/token']?.['200'] ?? 0;
    const before = refreshes();
    const r = stack.runtime;
    const workers = [1, 2, 3].map(() =>
      createTokenManager({
        redis: r.redis,
        keys: r.keys,
        installations: r.installations,
        oauth: r.oauth,
        alarm: r.alarm,
        logger: r.logger,
        clock: Date.now,
      }),
    );
    const tokens = await Promise.all(workers.map((w) => w.accessToken(stack.portalId)));
    expect(new Set(tokens).size).toBe(1);
    expect(refreshes() - before).toBe(1);
  });

  it('an uninstall (refresh token revoked) stops the portal: tokens removed, jobs refused', async () => {
    const inst = (await stack.runtime.installations.get(stack.portalId))!;
    await fetch(`${stack.sandbox.url}/oauth/v1/refresh-tokens/${inst.refreshToken}`, {
      method: 'DELETE',
    });
    await stack.runtime.producer.rescore(stack.portalId, truthIds('icp_buyer')[1]!);
    await until(
      'the portal to be marked uninstalled',
      async () => (await stack.runtime.installations.get(stack.portalId))?.status === 'uninstalled',
    );
    const after = (await stack.runtime.installations.get(stack.portalId))!;
    expect(after.refreshToken).toBe('');
    expect(after.accessToken).toBeNull();
  });
});

describe('time', () => {
  it('the sweep rescores a contact whose decision time has come, and each portal has its schedule', async () => {
    // The previous test uninstalled the app: install it again.
    expect((await stack.install()).status).toBe(200);
    await until(
      'the new backfill to finish',
      async () => (await stack.runtime.backfills.get(stack.portalId))?.status === 'done',
      30_000,
    );
    const schedulers = await stack.runtime.producer.queue.getJobSchedulers();
    expect(
      schedulers.some(
        (s) => s.key === `sweep-${stack.portalId}` || s.id === `sweep-${stack.portalId}`,
      ),
    ).toBe(true);
    const id = truthIds('content_marketer')[3]!;
    const before = stack.sandbox.state.portal(stack.portalId).get('contacts', id)!.properties[
      'lq_scored_at'
    ];
    // Make this contact due now, and its scored values stale, as if its time had come.
    await stack.runtime.redis.zadd(
      stack.runtime.keys.nextChange(stack.portalId),
      Date.now() - 1000,
      id,
    );
    await person.crm.contacts.basicApi.update(id, { properties: { lq_score: '1' } });
    await stack.runtime.producer.add(
      'sweep',
      { portalId: stack.portalId },
      { jobId: `sweep-test-${Date.now()}` },
    );
    await until(
      'the sweep to rescore the contact',
      async () =>
        stack.sandbox.state.portal(stack.portalId).get('contacts', id)!.properties[
          'lq_scored_at'
        ] !== before,
      20_000,
    );
    expect(
      stack.sandbox.state.portal(stack.portalId).get('contacts', id)!.properties['lq_score'],
    ).not.toBe('1');
  });
});
