import { inPortal } from '../../domain/lifecycle';
import { createPreview } from '../../domain/model-preview';
import type { PreviewRecord } from '@lead-qualifier/contract';
import { defineJob, isLastAttempt, type JobScope } from '../job-scope';
import { portalStages } from '../score-contacts';

/** A draft model replayed over the portal's stored facts, beside the active one. */
export const preview = defineJob(
  'preview',
  { installed: false, properties: false },
  async ({ previewId }, scope) => {
    const record = await scope.previews.get(previewId);
    if (!record) return { skipped: 'expired' };
    try {
      return await runPreview(scope, record);
    } catch (error) {
      // The admin sees the failure once the last attempt has failed; until then it retries.
      if (isLastAttempt(scope.job))
        await scope.previews.save({
          ...record,
          status: 'failed',
          error: `The preview could not run: ${error instanceof Error ? error.message : String(error)}. Run it again; if it fails again, see sync health.`,
        });
      throw error;
    }
  },
);

async function runPreview(scope: JobScope, record: PreviewRecord) {
  // Both models as they would apply in the portal: its own lifecycle stages.
  const stages = await portalStages(scope.deps, scope.portalId);
  const active = inPortal(await scope.models.active(), stages);
  const total = await scope.scores.factsCount();
  const now = scope.clock();
  const replay = createPreview(active, inPortal(record.draft, stages), now);
  await scope.previews.save({ ...record, status: 'running', total });
  let done = 0;
  for await (const chunk of scope.scores.scanFacts()) {
    replay.add(chunk);
    done += chunk.length;
    if (done % 5_000 < chunk.length)
      await scope.previews.save({ ...record, status: 'running', total, done });
    // Leave the event loop to the worker's other jobs between chunks.
    await new Promise((r) => setImmediate(r));
  }
  const result = replay.result();
  await scope.previews.save({
    ...record,
    status: 'done',
    activeVersion: active.version,
    total: Math.max(total, done),
    done,
    result,
  });
  return { contacts: result.contacts, changed: result.up + result.down + result.sideways };
}
