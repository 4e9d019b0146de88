import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { backfillDone, testStack, until } from '../support/stack';

let stack: Stack;
let person: Client;

beforeAll(async () => {
  stack = await testStack('property-history', { contacts: 80 });
  await stack.install();
  await backfillDone(stack);
  person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
});
afterAll(() => stack.close());

/** What HubSpot holds in the contact's "top reasons" property (what workflows and lists read). */
async function topReasons(id: string): Promise<string> {
  const c = await person.crm.contacts.basicApi.getById(id, ['lq_top_reasons']);
  return c.properties['lq_top_reasons'] ?? '';
}

describe('the whole history of forms and counters, read from HubSpot', () => {
  it('a demo request between the first form and the latest one raises the lead, and says so in HubSpot', async () => {
    const made = await person.crm.contacts.basicApi.create({
      properties: {
        email: 'rita@acme-history.io',
        jobtitle: 'VP of Marketing',
        recent_conversion_event_name: 'Ebook: The lead scoring playbook',
        num_conversion_events: '1',
      },
      associations: [],
    });
    // Three submissions, each as HubSpot records one: the "recent conversion" property set again.
    for (const [name, count] of [
      ['Demo request form', '2'],
      ['Newsletter signup', '3'],
    ] as const)
      await person.crm.contacts.basicApi.update(made.id, {
        properties: {
          recent_conversion_event_name: name,
          recent_conversion_date: new Date(stack.sandbox.state.clock()).toISOString(),
          num_conversion_events: count,
        },
      });
    const reasons = await until('the contact to be scored with its demo request', async () => {
      const q = await stack.runtime.scores.get(stack.portalId, made.id);
      const demo = q?.ledger.find((e) => e.rule === 'demo_request');
      return demo ? (await topReasons(made.id)) || null : null;
    });
    // Neither the first form (the e-book) nor the latest (the newsletter) is the demo request.
    expect(reasons).toMatch(/Requested a demo/);
  });

  it('page views counted when they happened: an old reader’s card says how many are recent', async () => {
    const portal = stack.sandbox.state.portal(stack.portalId);
    const reader = [...portal.all('contacts')].find((c) => {
      const h = portal.propertyHistory(c, 'hs_analytics_num_page_views');
      return h.length === 3 && Date.parse(String(c.properties['createdate'])) < h[1]!.at - 90e6;
    })!;
    expect(reader).toBeDefined();
    const q = (await stack.runtime.scores.get(stack.portalId, reader.id))!;
    const views = q.ledger.find((e) => e.rule === 'page_views')!;
    expect(views.evidence).toMatch(/^\d+ page views \((\d+ in the last 30 days|\d+ counted)/);
    // The same contact with every view dated at its last visit (no history) would score more.
    const lastVisit = Date.parse(String(reader.properties['hs_analytics_last_visit_timestamp']));
    const age = (stack.sandbox.state.clock() - lastVisit) / 86_400_000;
    expect(views.points).toBeLessThan(views.count * 0.5 ** (age / 30) - 0.01);
  });
});
