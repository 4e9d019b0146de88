import { afterContactsDeleted } from '../handoff';
import { defineJob } from '../job-scope';

/**
 * The contacts a webhook batch deleted (or merged away) in HubSpot: their score records go, and
 * their hand-offs follow the merge or are closed.
 */
export const contactsDeleted = defineJob(
  'contacts-deleted',
  { installed: false, properties: false },
  async ({ portalId, contactIds }, scope) => {
    await scope.scores.removeMany(contactIds);
    // Their leads in sales: moved with a merge, or closed (never deleted).
    const leads = await afterContactsDeleted(scope.deps, portalId, contactIds);
    return { removed: contactIds.length, ...leads };
  },
);
