import { z } from 'zod';
import { GRADES, gradeSchema, type DriftFinding, type DriftReport } from '@lead-qualifier/contract';

/** Each grade's conversion among labelled contacts at one time, under one model version. */
export const gradeSnapshotSchema = z.object({
  at: z.number(),
  modelVersion: z.number(),
  grades: z.record(gradeSchema, z.object({ count: z.number(), converted: z.number() })),
});
export type GradeSnapshot = z.infer<typeof gradeSnapshotSchema>;

/** Fewer contacts than this in a grade say nothing about its rate. */
const MIN_COUNT = 30;
/** A grade's rate may move this much (absolute) before it counts as drift... */
const MIN_SHIFT = 0.05;
/** ...and by more than this many standard errors of the difference. */
const Z = 2.5;

const rateOf = (g: { count: number; converted: number }) =>
  g.count === 0 ? null : g.converted / g.count;

/**
 * Compares each grade's conversion now with what it was when the model version was first
 * checked (its calibration): a grade whose rate moved by more than chance allows, or grades
 * that no longer rank (A converting less than B), is drift an admin should look at.
 */
export function driftReport(current: GradeSnapshot, baseline: GradeSnapshot | null): DriftReport {
  const findings: DriftFinding[] = [];
  const same =
    baseline !== null && baseline.modelVersion === current.modelVersion ? baseline : null;
  const grades = GRADES.map((grade) => {
    const now = current.grades[grade];
    const before = same?.grades[grade] ?? null;
    const rate = rateOf(now);
    const baselineRate = before ? rateOf(before) : null;
    if (
      before &&
      rate !== null &&
      baselineRate !== null &&
      now.count >= MIN_COUNT &&
      before.count >= MIN_COUNT
    ) {
      const shift = rate - baselineRate;
      if (Math.abs(shift) >= MIN_SHIFT && Math.abs(shift) > Z * standardError(now, before))
        findings.push({
          grade,
          message: `Grade ${grade} converts ${pct(rate)} now against ${pct(baselineRate)} when model v${current.modelVersion} was first checked (${now.count} contacts): ${shift > 0 ? 'better' : 'worse'} than its calibration.`,
        });
    }
    return { grade, count: now.count, rate, baselineRate };
  });
  // Grades out of order by more than chance: a better grade converting less than a worse one.
  for (let i = 0; i + 1 < GRADES.length; i++) {
    const hi = current.grades[GRADES[i]!];
    const lo = current.grades[GRADES[i + 1]!];
    const hiRate = rateOf(hi);
    const loRate = rateOf(lo);
    if (hi.count < MIN_COUNT || lo.count < MIN_COUNT || hiRate === null || loRate === null)
      continue;
    if (loRate - hiRate > Z * standardError(hi, lo))
      findings.push({
        grade: null,
        message: `Grades no longer rank: ${GRADES[i]} converts ${pct(hiRate)}, less than ${GRADES[i + 1]} at ${pct(loRate)}. Retrain, or review the fit rules.`,
      });
  }
  return {
    at: current.at,
    modelVersion: current.modelVersion,
    baselineAt: same?.at ?? null,
    grades,
    drifted: findings.length > 0,
    findings,
  };
}

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;

/** The standard error of the difference of two conversion rates (pooled). */
function standardError(
  a: { count: number; converted: number },
  b: { count: number; converted: number },
): number {
  const pooled = (a.converted + b.converted) / (a.count + b.count);
  return Math.sqrt(pooled * (1 - pooled) * (1 / a.count + 1 / b.count));
}
