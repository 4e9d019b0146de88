import type { Client } from '@hubspot/api-client';

/**
 * A person's change the benchmarks time: the contact visits three more pages now, written in
 * HubSpot through the API (its page views read first, as a person's tool would). Answers when
 * the write was sent (performance.now()).
 */
export async function visitAgain(person: Client, id: string): Promise<number> {
  const contact = await person.crm.contacts.basicApi.getById(id, ['hs_analytics_num_page_views']);
  const views = Number(contact.properties['hs_analytics_num_page_views'] ?? 0);
  const sentAt = performance.now();
  await person.crm.contacts.basicApi.update(id, {
    properties: {
      hs_analytics_num_page_views: String(views + 3),
      hs_analytics_last_visit_timestamp: new Date().toISOString(),
    },
  });
  return sentAt;
}
