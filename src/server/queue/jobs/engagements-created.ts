import { randomUUID } from 'node:crypto';
import { engagementObjects, type EngagementObject } from '@lead-qualifier/contract';
import { defineJob } from '../job-scope';

/** Engagements per run: one association read per type (HubSpot reads up to 1,000 ids at once). */
const ENGAGEMENT_BATCH = 1_000;

/**
 * The engagements logged since the last run (a rep's call, an import of a thousand): their
 * contacts found with one association read per type, then rescored together through the
 * pending set. An import costs a handful of requests, not one job and one request per call,
 * so it does not fill the workers while it waits for its portal's rate limit.
 */
export const engagementsCreated = defineJob(
  'engagements-created',
  { installed: true, properties: false },
  async ({ portalId }, scope) => {
    const taken = await scope.pending.takeEngagements(ENGAGEMENT_BATCH);
    const contacts = new Set<string>();
    try {
      for (const type of engagementObjects) {
        const ids = taken.filter((t) => t.objectType === type).map((t) => t.objectId);
        if (ids.length === 0) continue;
        const links = await scope.crm.associations(type as EngagementObject, 'contacts', ids);
        for (const list of links.values()) for (const id of list) contacts.add(id);
      }
    } catch (error) {
      // Nothing is dropped: the engagements wait for the job's retry.
      await scope.pending.returnEngagements(taken);
      throw error;
    }
    await scope.pending.add([...contacts].map((contactId) => ({ contactId })));
    if (contacts.size > 0) await scope.producer.rescorePending(portalId);
    if ((await scope.pending.engagementsWaiting()) > 0)
      await scope.producer.engagementsCreated(portalId, `more-${randomUUID().slice(0, 8)}`);
    return { engagements: taken.length, contacts: contacts.size };
  },
);
