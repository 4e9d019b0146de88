import { randomUUID } from 'node:crypto';
import type { JobScope } from '../job-scope';

/**
 * When a backfill scores the recently active contacts first: on a portal of `minContacts` or
 * more (BACKFILL_RECENT_FIRST_CONTACTS; a smaller one is done in minutes anyway), for contacts
 * active in the last `days`, and only while they are at most `maxShare` of the portal (more,
 * and scoring them first would be most of the backfill, at the cost of the pages in id order
 * that skip them).
 */
export interface RecentFirst {
  minContacts: number;
  maxShare: number;
  days: number;
}
export const RECENT_FIRST: RecentFirst = { minContacts: 10_000, maxShare: 0.25, days: 90 };

/**
 * A new backfill run over every contact (install, publish, rollback): on a big portal its
 * recently active contacts first (what sales looks at), then every contact in id order.
 */
export async function startBackfill(
  scope: JobScope,
): Promise<{ total: number; runId: string; recent: number | null }> {
  const total = await scope.crm.countContacts();
  const runId = randomUUID().slice(0, 8);
  const policy = scope.deps.recentFirst;
  if (total >= policy.minContacts) {
    const since = scope.clock() - policy.days * 86_400_000;
    const { total: recent } = await scope.crm.recentlyActiveContacts({
      sinceMs: since,
      afterId: null,
      properties: ['hs_object_id'],
      limit: 1,
    });
    if (recent > 0 && recent <= total * policy.maxShare) {
      await scope.backfills.start(runId, total, { total: recent, since });
      await scope.producer.backfillRecent(scope.portalId, runId, since, null, 0);
      return { total, runId, recent };
    }
  }
  await scope.backfills.start(runId, total);
  await scope.producer.backfillPage(scope.portalId, runId, null);
  return { total, runId, recent: null };
}
