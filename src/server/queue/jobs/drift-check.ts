import { qualify } from '../../domain/qualify';
import { driftReport, type GradeSnapshot } from '../../learning/drift';
import { labelStoredFacts } from '../../learning/portal-labels';
import { defineJob } from '../job-scope';

/** Fewer labelled contacts than this make no grade calibration (a drift check waits). */
const DRIFT_MIN_CONTACTS = 100;

/** Weekly: each grade's conversion now against its calibration; drift is flagged in settings. */
export const driftCheck = defineJob(
  'drift-check',
  { installed: true, properties: false },
  async (_payload, scope) => {
    const model = await scope.models.active();
    const rejected = await scope.feedback.rejectedContacts();
    const now = scope.clock();
    const grades = Object.fromEntries(
      (['A', 'B', 'C', 'D'] as const).map((g) => [g, { count: 0, converted: 0 }]),
    ) as GradeSnapshot['grades'];
    for await (const chunk of scope.scores.scanFacts()) {
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
    const report = driftReport(snapshot, await scope.drift.baseline(model.version));
    await scope.drift.record(snapshot, report);
    if (report.drifted) scope.log.warn({ findings: report.findings.length }, 'grade drift');
    return { drifted: report.drifted };
  },
);
