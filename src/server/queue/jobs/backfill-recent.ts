import { compileModel } from '../../domain/compile-model';
import { defineJob } from '../job-scope';
import { contactProperties } from '../load-facts';
import { RunLater } from '../run-later';
import { scoreContacts } from '../score-contacts';
import {
  BACKFILL_PAGES_PER_PORTAL,
  BACKFILL_PAGE_RETRY_MS,
  rescoreChangedSince,
} from './backfill-page';

/** Recently active contacts listed by one search request (search's largest page). */
const RECENT_PAGE = 200;

/**
 * The first phase of a big portal's backfill: one page of its recently active contacts (search,
 * in id order after `afterId`), scored before the pass over every contact, which skips them.
 * The next page, or that pass, is handed on as soon as this page is listed.
 */
export const backfillRecent = defineJob(
  'backfill-recent',
  { installed: true, properties: true },
  async ({ portalId, runId, since, afterId, listed }, scope) => {
    const progress = await scope.backfills.get();
    if (!progress || progress.runId !== runId || progress.status === 'done')
      return { skipped: 'not the running backfill' };
    // It shares the backfill's pages in progress: the same few requests at once per portal.
    const slot = await scope.inRunSlot('backfill-page', BACKFILL_PAGES_PER_PORTAL, async () => {
      const compiled = compileModel(await scope.models.active());
      const readAt = scope.clock();
      const page = await scope.crm
        .recentlyActiveContacts({
          sinceMs: since,
          afterId,
          properties: contactProperties(compiled),
          limit: RECENT_PAGE,
        })
        .catch(async (error: unknown) => {
          // Out of tries: the pass over every contact starts anyway (it scores the recently
          // active contacts not listed yet in their turn), so one failing search stops nothing.
          if (scope.job.attemptsMade + 1 >= (scope.job.opts.attempts ?? 1)) {
            if (await scope.backfills.recentListed(runId, listed))
              await scope.producer.backfillPage(portalId, runId, null);
          }
          throw error;
        });
      const ids = page.results.map((c) => c.id);
      const total = listed + ids.length;
      await scope.backfills.recentClaimed(runId, ids);
      if (ids.length === RECENT_PAGE)
        await scope.producer.backfillRecent(portalId, runId, since, ids.at(-1)!, total);
      else if (await scope.backfills.recentListed(runId, total))
        await scope.producer.backfillPage(portalId, runId, null);
      const result = await scoreContacts(scope.deps, portalId, page.results, undefined, 'backfill');
      await rescoreChangedSince(scope, ids, readAt);
      await scope.backfills.recentScored(runId, afterId ?? 'start', ids.length);
      return { ...result, listed: total };
    });
    if (!slot.ran)
      throw new RunLater(BACKFILL_PAGE_RETRY_MS, `${BACKFILL_PAGES_PER_PORTAL} pages in progress`);
    return slot.result;
  },
);
