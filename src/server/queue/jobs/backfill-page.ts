import { compileModel } from '../../domain/compile-model';
import { defineJob } from '../job-scope';
import { contactProperties } from '../load-facts';
import { scoreContacts } from '../score-contacts';

/** One page of 100 contacts of a backfill run: claimed, the next handed on, scored, counted. */
export const backfillPage = defineJob(
  'backfill-page',
  { installed: true, properties: true },
  async ({ portalId, runId, after }, scope) => {
    const progress = await scope.backfills.get();
    if (!progress || progress.runId !== runId || progress.status === 'done')
      return { skipped: 'not the running backfill' };
    const page = after ?? 'start';
    if (await scope.backfills.isPageDone(page)) return { skipped: 'page already done' };
    const compiled = compileModel(await scope.models.active());
    const listed = await scope.crm.listContacts({
      after: after ?? undefined,
      properties: contactProperties(compiled),
      limit: 100,
    });
    // Claim the page and hand the next one to another worker before scoring this one.
    await scope.backfills.claim(runId, page, listed.next ?? 'end');
    if (listed.next) await scope.producer.backfillPage(portalId, runId, listed.next);
    const result = await scoreContacts(scope.deps, portalId, listed.results, undefined, 'backfill');
    const outcome = await scope.backfills.complete(runId, page, result.scored, result.written);
    if (outcome === 'finished-the-run') scope.log.info({ runId }, 'backfill done');
    return result;
  },
);
