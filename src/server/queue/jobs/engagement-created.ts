import { defineJob } from '../job-scope';

/**
 * A new engagement: its contacts join the pending set, to be rescored together. (Events are now
 * gathered for `engagements-created`; this runs the jobs queued before that.)
 */
export const engagementCreated = defineJob(
  'engagement-created',
  { installed: true, properties: false },
  async ({ portalId, objectType, objectId }, scope) => {
    const links = await scope.crm.associations(objectType, 'contacts', [objectId]);
    const contacts = links.get(objectId) ?? [];
    await scope.pending.add(contacts.map((contactId) => ({ contactId })));
    if (contacts.length > 0) await scope.producer.rescorePending(portalId);
    return { contacts: contacts.length };
  },
);
