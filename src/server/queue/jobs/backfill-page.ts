import { compileModel } from '../../domain/compile-model';
import { defineJob, type JobScope } from '../job-scope';
import { contactProperties } from '../load-facts';
import { scoreContacts } from '../score-contacts';
import { RunLater } from '../run-later';
import { RECENT_CHANGES_MS } from '../../storage/pending-rescores';

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
    // A few pages of a portal at once keep its rate limit busy; more would only hold worker
    // slots waiting for it, ahead of people's changes here and in other portals.
    const slot = await scope.inRunSlot('backfill-page', BACKFILL_PAGES_PER_PORTAL, () =>
      scorePage(scope, portalId, runId, after),
    );
    if (!slot.ran)
      throw new RunLater(BACKFILL_PAGE_RETRY_MS, `${BACKFILL_PAGES_PER_PORTAL} pages in progress`);
    return slot.result;
  },
);

/** Pages of one portal's backfill scored at once. */
export const BACKFILL_PAGES_PER_PORTAL = 6;
/** How soon a page refused for that comes back. */
export const BACKFILL_PAGE_RETRY_MS = 400;

async function scorePage(
  scope: JobScope,
  portalId: number,
  runId: string,
  after: string | null,
): Promise<unknown> {
  const page = after ?? 'start';
  const compiled = compileModel(await scope.models.active());
  // Changes that reach us from here on may be newer than what this page reads.
  const readAt = scope.clock();
  const listed = await scope.crm.listContacts({
    after: after ?? undefined,
    properties: contactProperties(compiled),
    limit: 100,
  });
  // Claim the page and hand the next one to another worker before scoring this one.
  await scope.backfills.claim(runId, page, listed.next ?? 'end');
  if (listed.next) await scope.producer.backfillPage(portalId, runId, listed.next);
  // The recently active contacts were scored first (a big portal): not again.
  const first = await scope.backfills.scoredFirst(listed.results.map((c) => c.id));
  const toScore =
    first.size === 0 ? listed.results : listed.results.filter((c) => !first.has(c.id));
  const scored = await scoreContacts(scope.deps, portalId, toScore, undefined, 'backfill');
  const result = { ...scored, scored: scored.scored + first.size, skipped: first.size };
  await rescoreChangedSince(
    scope,
    toScore.map((c) => c.id),
    readAt,
  );
  const outcome = await scope.backfills.complete(
    runId,
    page,
    result.scored,
    result.written,
    first.size,
  );
  if (outcome === 'finished-the-run') scope.log.info({ runId }, 'backfill done');
  return result;
}

/**
 * A contact edited while a page was in flight may have been rescored before the page wrote its
 * older values: it is rescored again, after them. (A page slower than the window changes are
 * remembered for re-queues every contact it read.)
 */
export async function rescoreChangedSince(
  scope: JobScope,
  ids: string[],
  readAt: number,
): Promise<void> {
  const stale =
    scope.clock() - readAt >= RECENT_CHANGES_MS
      ? ids
      : await scope.pending.changedSince(ids, readAt);
  if (stale.length === 0) return;
  await scope.pending.add(stale.map((contactId) => ({ contactId })));
  await scope.producer.rescorePending(scope.portalId);
  scope.log.info({ contacts: stale.length }, 'changed during the page: rescored again');
}
