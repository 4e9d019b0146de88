import { randomUUID } from 'node:crypto';
import type { JobScope } from '../job-scope';

/** A new backfill run over every contact (install, publish, rollback). */
export async function startBackfill(scope: JobScope): Promise<{ total: number; runId: string }> {
  const total = await scope.crm.countContacts();
  const runId = randomUUID().slice(0, 8);
  await scope.backfills.start(runId, total);
  await scope.producer.backfillPage(scope.portalId, runId, null);
  return { total, runId };
}
