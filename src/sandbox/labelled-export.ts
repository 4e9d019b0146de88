import { ENGAGEMENT_TYPES } from './object-types';
import type { Portal } from './portal';

/** Counters and the conversion property: what a model reads the history of. */
const HISTORY_PROPERTIES = [
  'hs_analytics_num_page_views',
  'hs_email_open',
  'hs_email_click',
  'num_conversion_events',
  'recent_conversion_event_name',
];

/**
 * A generated portal's contacts as labelled training lines (the scoring CLI's input plus
 * `label` and `at`): 1 for a contact whose deal was won, 0 for one whose deal was lost or who
 * has none; contacts with a deal still open are left out (their outcome is not known yet).
 * Every line is a snapshot taken at `at` (the export time): a time split of such lines
 * trains on the older leads (by creation) and tests on the newer ones.
 */
export function* labelledLines(
  portal: Portal,
  truth: ReadonlyMap<string, { converted: 0 | 1 | null }>,
  at: number,
): Generator<string> {
  const object = (o: { id: string; properties: Record<string, string>; createdAt: number }) => ({
    id: o.id,
    properties: o.properties,
    createdAt: new Date(o.createdAt).toISOString(),
  });
  for (const contact of portal.all('contacts')) {
    const t = truth.get(contact.id);
    if (!t) continue;
    const hasDeal = portal.associations.list('contacts', contact.id, 'deals').length > 0;
    if (hasDeal && t.converted === null) continue;
    const [companyId] = portal.associations.list('contacts', contact.id, 'companies')[0] ?? [];
    const company = companyId ? portal.get('companies', companyId) : undefined;
    const engagements: Record<string, unknown[]> = {};
    for (const type of ENGAGEMENT_TYPES) {
      const linked = portal.associations
        .list('contacts', contact.id, type)
        .map(([id]) => portal.get(type, id))
        .filter((o) => o !== undefined)
        .map(object);
      if (linked.length > 0) engagements[type] = linked;
    }
    // Every recorded history of the properties a model may read it for, in HubSpot's shape.
    const propertiesWithHistory: Record<string, Array<{ value: string; timestamp: string }>> = {};
    for (const name of HISTORY_PROPERTIES) {
      const h = contact.history?.[name];
      if (h)
        propertiesWithHistory[name] = h.map((e) => ({
          value: e.value,
          timestamp: new Date(e.at).toISOString(),
        }));
    }
    yield JSON.stringify({
      contact: {
        ...object(contact),
        ...(Object.keys(propertiesWithHistory).length > 0 ? { propertiesWithHistory } : {}),
      },
      company: company ? object(company) : null,
      engagements,
      label: t.converted === 1 ? 1 : 0,
      at: new Date(at).toISOString(),
    });
  }
}
