import type { Client } from '@hubspot/api-client';
import type { Portal } from '../../src/sandbox/portal';

/**
 * A person's change the benchmarks time: the contact visits three more pages now, written in
 * HubSpot through the API. Answers when the write was sent (performance.now()).
 */
export async function visitAgain(portal: Portal, person: Client, id: string): Promise<number> {
  const views = Number(portal.get('contacts', id)!.properties['hs_analytics_num_page_views'] ?? 0);
  const sentAt = performance.now();
  await person.crm.contacts.basicApi.update(id, {
    properties: {
      hs_analytics_num_page_views: String(views + 3),
      hs_analytics_last_visit_timestamp: new Date().toISOString(),
    },
  });
  return sentAt;
}
