/** The CRM object types the sandbox serves, with HubSpot's type ids and webhook names. */
export const OBJECT_TYPES = {
  contacts: { typeId: '0-1', webhookName: 'contact', singular: 'contact' },
  companies: { typeId: '0-2', webhookName: 'company', singular: 'company' },
  deals: { typeId: '0-3', webhookName: 'deal', singular: 'deal' },
  calls: { typeId: '0-48', webhookName: 'call', singular: 'call' },
  emails: { typeId: '0-49', webhookName: 'email', singular: 'email' },
  meetings: { typeId: '0-47', webhookName: 'meeting_event', singular: 'meeting' },
  notes: { typeId: '0-46', webhookName: 'note', singular: 'note' },
  tasks: { typeId: '0-27', webhookName: 'task', singular: 'task' },
  // https://developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/object-definition
  leads: { typeId: '0-136', webhookName: 'lead', singular: 'lead' },
  // https://developers.hubspot.com/docs/api-reference/latest/crm/objects/users/guide
  users: { typeId: '0-115', webhookName: 'user', singular: 'user' },
} as const;

export type ObjectType = keyof typeof OBJECT_TYPES;
export const OBJECT_TYPE_NAMES = Object.keys(OBJECT_TYPES) as ObjectType[];

/**
 * HubSpot accepts a type by its plural name, its singular name or its type id
 * (`contacts`, `contact`, `0-1`); the meeting's webhook name is `meeting_event`.
 */
export function resolveObjectType(name: string): ObjectType | null {
  const lower = name.toLowerCase();
  for (const type of OBJECT_TYPE_NAMES) {
    const t = OBJECT_TYPES[type];
    if (lower === type || lower === t.singular || lower === t.typeId || lower === t.webhookName)
      return type;
  }
  return null;
}

export const ENGAGEMENT_TYPES: readonly ObjectType[] = [
  'calls',
  'emails',
  'meetings',
  'notes',
  'tasks',
];

/** Contacts and companies name their timestamps without the `hs_` prefix. */
export function createdDateProperty(type: ObjectType): string {
  return type === 'contacts' || type === 'companies' || type === 'deals'
    ? 'createdate'
    : 'hs_createdate';
}
export function modifiedDateProperty(type: ObjectType): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

/** What HubSpot returns when a request names no properties. */
export const DEFAULT_PROPERTIES: Record<ObjectType, readonly string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  calls: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  emails: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  meetings: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  leads: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  users: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};
