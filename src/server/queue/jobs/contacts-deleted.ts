import { defineJob } from '../job-scope';

/** The contacts a webhook batch deleted (or merged away) in HubSpot: their score records go. */
export const contactsDeleted = defineJob(
  'contacts-deleted',
  { installed: false, properties: false },
  async ({ contactIds }, scope) => {
    await scope.scores.removeMany(contactIds);
    return { removed: contactIds.length };
  },
);
