import { defineJob } from '../job-scope';
import { startBackfill } from './start-backfill';

/** Search answers at most this many results for one query. */
const SEARCH_CAP = 10_000;
/** Changes this close before the incident began are read again too (clocks differ a little). */
const MARGIN_MS = 5 * 60_000;

/**
 * After HubSpot refused the app's client credentials for a while (a bad deploy), the contacts
 * changed since the incident began are rescored, whether or not HubSpot's webhook retries
 * (about 24 hours of them) got through: one search page at a time, into the pending set. More
 * changes than search can list: every contact is read again (a new backfill run).
 */
export const catchUp = defineJob(
  'catch-up',
  { installed: true, properties: true },
  async ({ portalId, since, after }, scope) => {
    const page = await scope.crm.modifiedContacts(since - MARGIN_MS, after ?? undefined);
    if (page.total > SEARCH_CAP) {
      const started = await startBackfill(scope);
      scope.log.info({ changed: page.total, ...started }, 'catch-up: every contact read again');
      return { changed: page.total, backfill: started.runId };
    }
    await scope.pending.add(page.ids.map((contactId) => ({ contactId })));
    if (page.ids.length > 0) await scope.producer.rescorePending(portalId, { delay: 0 });
    if (page.next) await scope.producer.catchUp(portalId, since, page.next);
    return { changed: page.total, queued: page.ids.length };
  },
);
