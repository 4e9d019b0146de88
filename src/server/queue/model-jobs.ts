import { createPreview } from '../domain/model-preview';
import { qualify } from '../domain/qualify';
import { inPortal } from '../domain/lifecycle';
import { portalStages } from './score-contacts';
import { driftReport, type GradeSnapshot } from '../learning/drift';
import { labelStoredFacts } from '../learning/portal-labels';
import { NotEnoughDataError } from '../learning/train';
import { startTrainerThread } from '../learning/train-off-thread';
import type { Logger } from '../logger';
import type { PreviewRecord } from '../storage/preview-store';
import type { HandlerDeps, Handlers } from './handlers';
import { isLastAttempt, mustBeInstalled } from './job-guards';

/** Fewer labelled contacts than this make no grade calibration (a drift check waits). */
const DRIFT_MIN_CONTACTS = 100;

/** The jobs an admin's model work runs: a preview, a training, the weekly drift check. */
export function createModelJobs(
  deps: HandlerDeps,
  log: Logger,
): Pick<Handlers, 'preview' | 'train' | 'drift-check'> {
  async function runPreview(portalId: number, record: PreviewRecord) {
    // Both models as they would apply in the portal: its own lifecycle stages.
    const stages = await portalStages(deps, portalId);
    const active = inPortal(await deps.models.active(portalId), stages);
    const total = await deps.scores.factsCount(portalId);
    const now = deps.clock();
    const preview = createPreview(active, inPortal(record.draft, stages), now);
    await deps.previews.save(portalId, { ...record, status: 'running', total });
    let done = 0;
    for await (const chunk of deps.scores.scanFacts(portalId)) {
      preview.add(chunk);
      done += chunk.length;
      if (done % 5_000 < chunk.length)
        await deps.previews.save(portalId, { ...record, status: 'running', total, done });
      // Leave the event loop to the worker's other jobs between chunks.
      await new Promise((r) => setImmediate(r));
    }
    const result = preview.result();
    await deps.previews.save(portalId, {
      ...record,
      status: 'done',
      activeVersion: active.version,
      total: Math.max(total, done),
      done,
      result,
    });
    return { contacts: result.contacts, changed: result.up + result.down + result.sideways };
  }

  return {
    async preview({ portalId, previewId }, job) {
      const record = await deps.previews.get(portalId, previewId);
      if (!record) return { skipped: 'expired' };
      try {
        return await runPreview(portalId, record);
      } catch (error) {
        // The admin sees the failure once the last attempt has failed; until then it retries.
        if (isLastAttempt(job))
          await deps.previews.save(portalId, {
            ...record,
            status: 'failed',
            error: `The preview could not run: ${error instanceof Error ? error.message : String(error)}. Run it again; if it fails again, see sync health.`,
          });
        throw error;
      }
    },

    async train({ portalId, trainingId }, job) {
      const record = await deps.trainings.get(portalId, trainingId);
      if (!record) return { skipped: 'expired' };
      await deps.trainings.save(portalId, { ...record, status: 'running' });
      // The computation runs in a thread of its own; this one streams the rows to it, chunk by
      // chunk (never holding the portal's facts twice), and stays free for other jobs.
      const trainer = startTrainerThread();
      try {
        const rejected = await deps.feedback.rejectedContacts(portalId);
        const now = deps.clock();
        const labels = { positives: 0, negatives: 0, open: 0 };
        for await (const chunk of deps.scores.scanFacts(portalId)) {
          const { rows, open } = labelStoredFacts(chunk, rejected, now);
          trainer.add(rows);
          const positives = rows.filter((r) => r.label === 1).length;
          labels.positives += positives;
          labels.negatives += rows.length - positives;
          labels.open += open;
        }
        try {
          const { model, report } = await trainer.train(await deps.models.active(portalId));
          await deps.trainings.save(portalId, { ...record, status: 'done', labels, model, report });
          return { rows: labels.positives + labels.negatives, auc: report.backtest.proposed.auc };
        } catch (error) {
          if (!(error instanceof NotEnoughDataError)) throw error;
          await deps.trainings.save(portalId, {
            ...record,
            status: 'refused',
            labels,
            message: error.message,
          });
          return { refused: error.message };
        }
      } catch (error) {
        if (isLastAttempt(job))
          await deps.trainings.save(portalId, {
            ...record,
            status: 'failed',
            message: `Training failed: ${error instanceof Error ? error.message : String(error)}`,
          });
        throw error;
      } finally {
        await trainer.close();
      }
    },

    async 'drift-check'({ portalId }) {
      await mustBeInstalled(deps, portalId);
      const model = await deps.models.active(portalId);
      const rejected = await deps.feedback.rejectedContacts(portalId);
      const now = deps.clock();
      const grades = Object.fromEntries(
        (['A', 'B', 'C', 'D'] as const).map((g) => [g, { count: 0, converted: 0 }]),
      ) as GradeSnapshot['grades'];
      for await (const chunk of deps.scores.scanFacts(portalId)) {
        for (const row of labelStoredFacts(chunk, rejected, now).rows) {
          const g = grades[qualify(row.facts, model, now).grade];
          g.count++;
          g.converted += row.label;
        }
        await new Promise((r) => setImmediate(r));
      }
      const labelled = Object.values(grades).reduce((n, g) => n + g.count, 0);
      // Right after an install the backfill has not stored the contacts yet: no calibration.
      if (labelled < DRIFT_MIN_CONTACTS) return { skipped: `${labelled} labelled contacts` };
      const snapshot: GradeSnapshot = { at: now, modelVersion: model.version, grades };
      const report = driftReport(snapshot, await deps.drift.baseline(portalId, model.version));
      await deps.drift.record(portalId, snapshot, report);
      if (report.drifted) log.warn({ portalId, findings: report.findings.length }, 'grade drift');
      return { drifted: report.drifted };
    },
  };
}
