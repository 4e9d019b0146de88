import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { signV3 } from '../../src/sandbox/webhook-dispatcher';
import { backfillDone, testStack, until } from '../support/stack';

// HubSpot may deliver a batch again (a retry after a timeout), and anyone who saw a signed
// request may replay it within the 5-minute window. Processing is idempotent for every event
// kind: the second delivery changes nothing the first did not.

let stack: Stack;
let person: Client;
beforeAll(async () => {
  stack = await testStack('replay', { contacts: 80, runtime: { eraseAgainAfterMs: 200 } });
  await stack.install();
  await backfillDone(stack);
  person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
});
afterAll(() => stack.close());

const writes = () =>
  stack.sandbox.state.stats.toJSON()['POST /crm/v3/objects/:objectType/batch/update']?.['200'] ?? 0;
const idle = async () => {
  await until(
    'the queue to drain',
    async () => {
      const queue = stack.runtime.producer.queue;
      const c = await queue.getJobCounts('waiting', 'active');
      // Scheduled work (the sweep, drift and SLA checks) waits for hours: not this batch's.
      const soon = (await queue.getJobs(['delayed'])).filter(
        (j) => !['sweep', 'drift-check', 'sla-check'].includes(j.name),
      );
      const pending = await stack.runtime.redis.zcard(stack.runtime.keys.pending(stack.portalId));
      return (c['waiting'] ?? 0) + (c['active'] ?? 0) + soon.length === 0 && pending === 0;
    },
    30_000,
    100,
  );
};

describe('a replayed webhook batch', () => {
  it(
    'is answered 204 again and changes nothing: no write, no status change, nothing brought back',
    { timeout: 90_000 },
    async () => {
      const contacts = [...stack.sandbox.state.portal(stack.portalId).all('contacts')].map(
        (c) => c.id,
      );
      const [changed, deleted, erased, primary, merged] = contacts;
      // What the events describe happens in HubSpot first.
      await person.crm.contacts.basicApi.update(changed!, { properties: { jobtitle: 'VP Sales' } });
      await person.crm.contacts.basicApi.archive(deleted!);
      await person.crm.contacts.basicApi.merge({
        primaryObjectId: primary!,
        objectIdToMerge: merged!,
      });
      await person.apiRequest({
        method: 'POST',
        path: '/crm/v3/objects/contacts/gdpr-delete',
        body: { objectId: erased },
      });
      await fetch(`${stack.sandbox.url}/_sandbox/webhooks/drain`, { method: 'POST' });
      await idle();

      const base = {
        subscriptionId: 1,
        portalId: stack.portalId,
        appId: stack.app.appId,
        occurredAt: Date.now(),
        attemptNumber: 0,
        changeSource: 'CRM_UI',
      };
      const body = JSON.stringify([
        {
          ...base,
          eventId: 1,
          subscriptionType: 'object.propertyChange',
          objectId: Number(changed),
          objectTypeId: '0-1',
          propertyName: 'jobtitle',
          propertyValue: 'VP Sales',
        },
        {
          ...base,
          eventId: 2,
          subscriptionType: 'object.deletion',
          objectId: Number(deleted),
          objectTypeId: '0-1',
        },
        {
          ...base,
          eventId: 3,
          subscriptionType: 'contact.privacyDeletion',
          objectId: Number(erased),
        },
        {
          ...base,
          eventId: 4,
          subscriptionType: 'object.merge',
          objectId: Number(primary),
          objectTypeId: '0-1',
          primaryObjectId: Number(primary),
          mergedObjectIds: [Number(merged)],
          newObjectId: Number(primary),
        },
      ]);
      const url = `${stack.appUrl}/webhooks/hubspot`;
      const timestamp = String(Date.now());
      const headers = {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signV3(stack.app.clientSecret, 'POST', url, body, timestamp),
        'x-hubspot-request-timestamp': timestamp,
      };
      const before = {
        writes: writes(),
        statusLog: await stack.runtime.redis.llen(stack.runtime.keys.statusLog(stack.portalId)),
      };
      for (let delivery = 0; delivery < 2; delivery++) {
        const res = await fetch(url, { method: 'POST', body, headers });
        expect(res.status).toBe(204);
        await idle();
      }
      expect(writes()).toBe(before.writes);
      expect(await stack.runtime.redis.llen(stack.runtime.keys.statusLog(stack.portalId))).toBe(
        before.statusLog,
      );
      for (const gone of [deleted!, erased!, merged!])
        expect(await stack.runtime.scores.get(stack.portalId, gone)).toBeNull();
      expect(await stack.runtime.scores.get(stack.portalId, primary!)).not.toBeNull();
    },
  );
});
