import type { ObjectType } from '../object-types';

/** The object scope an endpoint needs; engagements follow contacts' scopes. */
export const readScope = (type: ObjectType) =>
  type === 'companies'
    ? 'crm.objects.companies.read'
    : type === 'deals'
      ? 'crm.objects.deals.read'
      : type === 'leads'
        ? 'crm.objects.leads.read'
        : type === 'users'
          ? 'crm.objects.users.read'
          : 'crm.objects.contacts.read';
export const writeScope = (type: ObjectType) => readScope(type).replace(/\.read$/, '.write');
