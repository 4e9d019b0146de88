import { featureWords, relabelRules } from '../../learning/features';
import { NotEnoughDataError } from '../../learning/train';
import { portalWording } from '../score-contacts';
import { labelStoredFacts } from '../../learning/portal-labels';
import { startTrainerThread } from '../../learning/train-off-thread';
import { defineJob, isLastAttempt } from '../job-scope';

/** Learns a model from the portal's closed-won data and backtests it (an admin asked). */
export const train = defineJob(
  'train',
  { installed: false, properties: false },
  async ({ trainingId }, scope) => {
    const record = await scope.trainings.get(trainingId);
    if (!record) return { skipped: 'expired' };
    await scope.trainings.save({ ...record, status: 'running' });
    // The computation runs in a thread of its own; this one streams the rows to it, chunk by
    // chunk (never holding the portal's facts twice), and stays free for other jobs.
    const trainer = startTrainerThread();
    try {
      const rejected = await scope.feedback.rejectedContacts();
      const now = scope.clock();
      const labels = { positives: 0, negatives: 0, open: 0 };
      for await (const chunk of scope.scores.scanFacts()) {
        const { rows, open } = labelStoredFacts(chunk, rejected, now);
        trainer.add(rows);
        const positives = rows.filter((r) => r.label === 1).length;
        labels.positives += positives;
        labels.negatives += rows.length - positives;
        labels.open += open;
      }
      try {
        const trained = await trainer.train(await scope.models.active());
        const { report } = trained;
        // Rules read in the portal's own property and option labels.
        const model = relabelRules(
          trained.model,
          featureWords(await portalWording(scope.deps, scope.portalId)),
        );
        await scope.trainings.save({ ...record, status: 'done', labels, model, report });
        return { rows: labels.positives + labels.negatives, auc: report.backtest.proposed.auc };
      } catch (error) {
        if (!(error instanceof NotEnoughDataError)) throw error;
        await scope.trainings.save({
          ...record,
          status: 'refused',
          labels,
          message: error.message,
        });
        return { refused: error.message };
      }
    } catch (error) {
      if (isLastAttempt(scope.job))
        await scope.trainings.save({
          ...record,
          status: 'failed',
          message: `Training failed: ${error instanceof Error ? error.message : String(error)}`,
        });
      throw error;
    } finally {
      await trainer.close();
    }
  },
);
