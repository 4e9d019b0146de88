import type { CompiledModel, Hits } from './compile-model';
import type { CriterionResult, NextStep, Status } from '@lead-qualifier/contract';

interface NextStepInput {
  compiled: CompiledModel;
  status: Status;
  score: number;
  fitScore: number;
  /** What each signal found, by index; null when it did not fire. */
  hits: Hits;
  met: readonly CriterionResult[];
  missing: readonly CriterionResult[];
  blocked: boolean;
}

const MAX_STEPS = 4;

/** The text says what to do; the points and the status it reaches are read beside it. */
function step(text: string, points: number | null, reaches: NextStep['reaches']): NextStep {
  return { text, points, reaches };
}

/** Missing criteria a signal would meet on its own (criteria that accept that signal). */
function criteriaMetBy(
  compiled: CompiledModel,
  signal: number,
  missing: readonly CriterionResult[],
): number {
  const accepting = compiled.criteriaMetBy[signal]!;
  let n = 0;
  for (const criterion of missing) if (accepting.includes(criterion.id)) n++;
  return n;
}

/** Has every signal of `group` fired, but for `except`? */
function firedAll(group: readonly number[], hits: Hits, except = -1): boolean {
  for (const i of group) if (i !== except && hits[i] === null) return false;
  return true;
}

/** Would firing signal `signal` complete a buying group? */
function completesBuying(compiled: CompiledModel, signal: number, hits: Hits): boolean {
  for (const group of compiled.buyingGroups)
    if (group.includes(signal) && firedAll(group, hits, signal)) return true;
  return false;
}

/** What would move the lead up: the signals worth most, and the SQL criteria still missing. */
export function nextSteps(input: NextStepInput): NextStep[] {
  const { compiled, status, score, fitScore, hits, met, missing, blocked } = input;
  const { mql, sql } = compiled.model;
  // Ready for sales: what comes next is a rep's decision (its reason says so), not activity.
  if (status === 'unscored' || status === 'disqualified' || status === 'ready' || status === 'sql')
    return [];
  // What meeting the SQL bar leads to: an SQL, or ready for sales until a rep accepts.
  const sqlGoal = sql.handOff === 'automatic' ? 'sql' : 'ready';

  const steps: NextStep[] = [];
  // Engagement signals that could still add points, the most points first.
  const open = compiled.byPoints.filter((i) => {
    const { signal } = compiled.signals[i]!;
    return (hits[i]?.count ?? 0) < signal.cap;
  });

  if (status === 'mql') {
    const hasBuying = compiled.buyingGroups.some((group) => firedAll(group, hits));
    if (!hasBuying) {
      for (const i of open) {
        if (!completesBuying(compiled, i, hits)) continue;
        const { signal } = compiled.signals[i]!;
        const wouldMeet = met.length + criteriaMetBy(compiled, i, missing);
        steps.push(
          step(
            `${signal.label} (buying signal)`,
            signal.points,
            wouldMeet >= sql.minCriteria ? sqlGoal : null,
          ),
        );
      }
    }
    for (const criterion of missing) {
      const enough = hasBuying && met.length + 1 >= sql.minCriteria;
      steps.push(step(`${criterion.label}: ${criterion.evidence}`, null, enough ? sqlGoal : null));
    }
    return steps.slice(0, MAX_STEPS);
  }

  // lead or recycled. A poor fit cannot become an MQL whatever it does: no activity to chase.
  if (fitScore < mql.minFit)
    return [
      step(
        `Fit ${fitScore} is below the MQL minimum of ${mql.minFit}: activity alone cannot make this an MQL`,
        null,
        null,
      ),
    ];
  for (const i of open) {
    const { signal } = compiled.signals[i]!;
    const buying = completesBuying(compiled, i, hits);
    const sqlReach =
      buying &&
      met.length + criteriaMetBy(compiled, i, missing) >= sql.minCriteria &&
      fitScore >= sql.minFit;
    const mqlReach = !blocked && fitScore >= mql.minFit && score + signal.points >= mql.minScore;
    steps.push(step(signal.label, signal.points, sqlReach ? sqlGoal : mqlReach ? 'mql' : null));
    if (steps.length >= MAX_STEPS) break;
  }
  return steps;
}
