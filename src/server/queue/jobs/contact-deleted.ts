import { defineJob } from '../job-scope';

/** A contact deleted (or merged away) in HubSpot: its score record goes. */
export const contactDeleted = defineJob(
  'contact-deleted',
  { installed: false, properties: false },
  async ({ contactId }, scope) => {
    await scope.scores.remove(contactId);
    return { removed: contactId };
  },
);
