import type { Model } from '@lead-qualifier/contract';
import { compileModel } from '../../src/server/domain/compile-model';
import { DEMO_MODEL } from '../../src/server/domain/default-model';
import type { Facts } from '../../src/server/domain/facts';
import { ENGAGEMENT_TYPES } from '../../src/sandbox/object-types';
import type { Portal } from '../../src/sandbox/portal';

/**
 * A sandbox contact as the app sees it under `model`: its properties, first company and
 * engagements, and the property histories the model reads for it.
 */
export function factsOf(
  portal: Portal,
  contactId: string,
  model: Model = DEMO_MODEL,
  now: number = portal.now(),
): Facts {
  const contact = portal.get('contacts', contactId)!;
  const companyId = portal.associations.list('contacts', contactId, 'companies')[0]?.[0];
  const company = companyId ? portal.get('companies', companyId) : undefined;
  const engagements: Facts['engagements'] = {};
  for (const type of ENGAGEMENT_TYPES) {
    engagements[type as keyof Facts['engagements']] = portal.associations
      .list('contacts', contactId, type)
      .map(([id]) => ({ id, properties: { ...portal.get(type, id)!.properties } }));
  }
  const { history } = compileModel(model);
  const propertiesWithHistory = history.needed(contact.properties, now)
    ? Object.fromEntries(
        history.properties.map((name) => [
          name,
          portal.propertyHistory(contact, name).map((h) => ({
            value: h.value,
            timestamp: new Date(h.at).toISOString(),
          })),
        ]),
      )
    : undefined;
  return {
    contact: {
      id: contactId,
      properties: { ...contact.properties },
      ...(propertiesWithHistory ? { propertiesWithHistory } : {}),
    },
    company: company ? { id: company.id, properties: { ...company.properties } } : null,
    engagements,
  };
}
