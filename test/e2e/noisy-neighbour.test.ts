import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { ALL_SCOPES } from '../../src/sandbox/sandbox-state';
import { backfillDone, testStack, until } from '../support/stack';

let stack: Stack;
let noisy: number;

beforeAll(async () => {
  stack = await testStack('noisy-neighbour', {
    contacts: 30,
    // HubSpot's limits, scaled: portal N's import runs into its own.
    rateLimits: { burst: 100, windowMs: 2_000, searchPerSecond: 20 },
  });
  noisy = stack.addPortal({ contacts: 30 });
  await stack.install();
  await stack.install(noisy);
  await backfillDone(stack);
  await until('the second portal to be backfilled', async () =>
    (await stack.runtime.backfills.get(noisy))?.status === 'done' ? true : null,
  );
}, 60_000);
afterAll(() => stack.close());

describe('one portal importing a thousand calls', () => {
  it('is read in a handful of jobs and requests, and another portal’s change is scored meanwhile', async () => {
    const { sandbox, runtime } = stack;
    const nPerson = new Client({
      accessToken: sandbox.state.oauth.portalToken(noisy, ALL_SCOPES),
      basePath: sandbox.url,
    });
    const qPerson = new Client({ accessToken: stack.personToken, basePath: sandbox.url });
    const nContacts = [...sandbox.state.portal(noisy).all('contacts')].map((c) => c.id);
    const associationsBefore = Object.entries(sandbox.state.stats.toJSON())
      .filter(([k]) => k === 'POST /crm/v4/associations/:from/:to/batch/read')
      .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);

    // N imports 1,000 calls on its contacts: 1,000 creation webhooks.
    for (let b = 0; b < 10; b++)
      await nPerson.crm.objects.calls.batchApi.create({
        inputs: Array.from({ length: 100 }, (_, i) => ({
          properties: {
            hs_timestamp: new Date(sandbox.state.clock()).toISOString(),
            hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
            hs_call_duration: '60000',
          },
          associations: [
            {
              to: { id: nContacts[(b * 100 + i) % nContacts.length]! },
              types: [
                {
                  associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
                  associationTypeId: 194,
                },
              ],
            },
          ],
        })),
      });
    // Meanwhile, in portal Q, sales marks a contact unqualified.
    const [qContact] = [...sandbox.state.portal(stack.portalId).all('contacts')];
    await qPerson.crm.contacts.basicApi.update(qContact!.id, {
      properties: { hs_lead_status: 'UNQUALIFIED' },
    });
    // While both run, N never holds more than two rescore runs at once.
    let mostRuns = 0;
    const runsKey = runtime.keys.runs(noisy, 'rescore-pending');
    const watch = setInterval(() => {
      void runtime.redis.zcard(runsKey).then((n) => (mostRuns = Math.max(mostRuns, n)));
    }, 10);
    try {
      await until('Q’s change to be scored', async () => {
        const c = await qPerson.crm.contacts.basicApi.getById(qContact!.id, ['lq_status']);
        return c.properties['lq_status'] === 'disqualified' ? true : null;
      });
      // Every contact N logged a call on is rescored with it.
      await until(
        'N’s contacts to count their calls',
        async () => {
          const scored = await Promise.all(nContacts.map((id) => runtime.scores.get(noisy, id)));
          return scored.every((q) => q?.ledger.some((e) => e.rule === 'connected_call'))
            ? true
            : null;
        },
        60_000,
      );
    } finally {
      clearInterval(watch);
    }
    expect(mostRuns).toBeLessThanOrEqual(2);
    // The thousand calls' contacts were found with a few association reads (any portal's,
    // any type: the rescores' own included), not one per call.
    const associationsAfter = Object.entries(sandbox.state.stats.toJSON())
      .filter(([k]) => k === 'POST /crm/v4/associations/:from/:to/batch/read')
      .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
    expect(associationsAfter - associationsBefore).toBeGreaterThan(0);
    expect(associationsAfter - associationsBefore).toBeLessThan(60);
  }, 90_000);
});

describe('one portal deleting hundreds of contacts', () => {
  it('removes their records in a job per webhook batch, not one per contact', async () => {
    const { sandbox, runtime } = stack;
    const nPerson = new Client({
      accessToken: sandbox.state.oauth.portalToken(noisy, ALL_SCOPES),
      basePath: sandbox.url,
    });
    const jobs = async (name: string) =>
      ((await runtime.metrics.jobDuration.get()).values.find(
        (v) => v.metricName === 'lq_job_duration_seconds_count' && v.labels['job'] === name,
      )?.value ?? 0) as number;
    const created: string[] = [];
    for (let b = 0; b < 3; b++) {
      const res = await nPerson.crm.contacts.batchApi.create({
        inputs: Array.from({ length: 100 }, (_, i) => ({
          properties: { email: `gone${b * 100 + i}@example.org`, jobtitle: 'VP Sales' },
          associations: [],
        })),
      });
      created.push(...res.results.map((c) => c.id));
    }
    await until(
      'the 300 new contacts scored',
      async () =>
        (await Promise.all(created.map((id) => runtime.scores.get(noisy, id)))).every(Boolean)
          ? true
          : null,
      60_000,
    );
    const before = await jobs('contacts-deleted');
    for (let b = 0; b < 3; b++)
      await nPerson.crm.contacts.batchApi.archive({
        inputs: created.slice(b * 100, b * 100 + 100).map((id) => ({ id })),
      });
    await until(
      'their records gone',
      async () =>
        (await Promise.all(created.map((id) => runtime.scores.get(noisy, id)))).every(
          (q) => q === null,
        )
          ? true
          : null,
      60_000,
    );
    expect(await jobs('contact-deleted')).toBe(0);
    const deletionJobs = (await jobs('contacts-deleted')) - before;
    expect(deletionJobs).toBeGreaterThan(0);
    expect(deletionJobs).toBeLessThanOrEqual(15);
  }, 90_000);
});
