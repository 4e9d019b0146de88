import { Client } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { deleteKeys } from '../support/redis';
import { backfillDone, testStack, until } from '../support/stack';

describe('Redis comes back empty', () => {
  it('/readyz says the data is gone and what to do, instead of answering ready while every portal looks uninstalled', async () => {
    const stack = await testStack('redis-lost', { contacts: 50 });
    try {
      await stack.install();
      await backfillDone(stack);
      const ready = await fetch(`${stack.appUrl}/readyz`);
      expect(ready.status).toBe(200);
      // Redis restarted without persistence: every key of the app is gone.
      await deleteKeys(stack.runtime.redis, stack.runtime.keys.prefix);
      const lost = await fetch(`${stack.appUrl}/readyz`);
      expect(lost.status).toBe(503);
      expect(((await lost.json()) as { error: { message: string } }).error.message).toMatch(
        /Redis has lost Lead Qualifier's data.*runbook/,
      );
      // A change in HubSpot meanwhile: its webhook is refused (503), for HubSpot to retry,
      // never taken as from an uninstalled portal and dropped.
      const person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
      const [contact] = [...stack.sandbox.state.portal(stack.portalId).all('contacts')];
      const failedBefore = stack.sandbox.state.dispatcher.stats.failed;
      await person.crm.contacts.basicApi.update(contact!.id, {
        properties: { hs_lead_status: 'UNQUALIFIED' },
      });
      await until('the webhook to be refused', async () =>
        stack.sandbox.state.dispatcher.stats.failed > failedBefore ? true : null,
      );
      const dropped = (await stack.runtime.metrics.webhookEvents.get()).values.filter(
        (v) => v.labels['outcome'] === 'not-installed',
      );
      expect(dropped.reduce((n, v) => n + v.value, 0)).toBe(0);
      // A reinstall brings the portal back: ready again, and the change is scored.
      await stack.install();
      expect((await fetch(`${stack.appUrl}/readyz`)).status).toBe(200);
      await until('the changed contact to be scored', async () => {
        const c = await person.crm.contacts.basicApi.getById(contact!.id, ['lq_status']);
        return c.properties['lq_status'] === 'disqualified' ? true : null;
      });
    } finally {
      await stack.close();
    }
  }, 60_000);
});
