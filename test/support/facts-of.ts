import type { Facts } from '../../src/server/domain/facts';
import { ENGAGEMENT_TYPES } from '../../src/sandbox/object-types';
import type { Portal } from '../../src/sandbox/portal';

/** A sandbox contact as the app sees it: its properties, first company and engagements. */
export function factsOf(portal: Portal, contactId: string): Facts {
  const contact = portal.get('contacts', contactId)!;
  const companyId = portal.associations.list('contacts', contactId, 'companies')[0]?.[0];
  const company = companyId ? portal.get('companies', companyId) : undefined;
  const engagements: Facts['engagements'] = {};
  for (const type of ENGAGEMENT_TYPES) {
    engagements[type as keyof Facts['engagements']] = portal.associations
      .list('contacts', contactId, type)
      .map(([id]) => ({ id, properties: { ...portal.get(type, id)!.properties } }));
  }
  return {
    contact: { id: contactId, properties: { ...contact.properties } },
    company: company ? { id: company.id, properties: { ...company.properties } } : null,
    engagements,
  };
}
