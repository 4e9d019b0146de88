import type { CompiledModel } from './compile-model';
import type { CriterionResult, NextStep, Status } from './qualification';
import type { SignalHit } from './signals';

interface NextStepInput {
  compiled: CompiledModel;
  status: Status;
  score: number;
  fitScore: number;
  fired: ReadonlyMap<string, SignalHit>;
  met: readonly CriterionResult[];
  missing: readonly CriterionResult[];
  blocked: boolean;
}

const MAX_STEPS = 4;

function step(text: string, points: number | null, reaches: NextStep['reaches']): NextStep {
  const gain = points === null ? '' : `: +${points}`;
  const goal = reaches === null ? '' : `, reaches ${reaches.toUpperCase()}`;
  return { text: `${text}${gain}${goal}`, points, reaches };
}

/** Criteria a signal would meet on its own (criteria that accept that signal). */
function criteriaMetBy(
  compiled: CompiledModel,
  signalId: string,
  missing: readonly CriterionResult[],
): number {
  const missingIds = new Set(missing.map((m) => m.id));
  return compiled.criteria.filter(
    ({ criterion }) =>
      missingIds.has(criterion.id) &&
      criterion.anyOf.some((w) => w.type === 'signal' && w.signal === signalId),
  ).length;
}

/** Would firing `signalId` complete a buying group? */
function completesBuying(
  compiled: CompiledModel,
  signalId: string,
  fired: ReadonlyMap<string, SignalHit>,
): boolean {
  return compiled.model.sql.buyingSignals.some(
    (group) => group.includes(signalId) && group.every((id) => id === signalId || fired.has(id)),
  );
}

/** What would move the lead up: the signals worth most, and the SQL criteria still missing. */
export function nextSteps(input: NextStepInput): NextStep[] {
  const { compiled, status, score, fitScore, fired, met, missing, blocked } = input;
  const { mql, sql } = compiled.model;
  if (status === 'unscored' || status === 'disqualified' || status === 'sql') return [];

  const steps: NextStep[] = [];
  const open = compiled.signals
    .filter(
      ({ kind, signal }) =>
        kind === 'engagement' && (fired.get(signal.id)?.count ?? 0) < signal.cap,
    )
    .map(({ signal }) => signal)
    .sort((a, b) => b.points - a.points);

  if (status === 'mql') {
    const hasBuying = sql.buyingSignals.some((g) => g.every((id) => fired.has(id)));
    if (!hasBuying) {
      for (const signal of open) {
        if (!completesBuying(compiled, signal.id, fired)) continue;
        const wouldMeet = met.length + criteriaMetBy(compiled, signal.id, missing);
        steps.push(
          step(
            `${signal.label} (buying signal)`,
            signal.points,
            wouldMeet >= sql.minCriteria ? 'sql' : null,
          ),
        );
      }
    }
    for (const criterion of missing) {
      const enough = hasBuying && met.length + 1 >= sql.minCriteria;
      steps.push(step(`${criterion.label}: ${criterion.evidence}`, null, enough ? 'sql' : null));
    }
    return steps.slice(0, MAX_STEPS);
  }

  // lead or recycled
  if (fitScore < mql.minFit) {
    steps.push(
      step(
        `Fit ${fitScore} is below the MQL minimum of ${mql.minFit}: activity alone cannot make this an MQL`,
        null,
        null,
      ),
    );
  }
  for (const signal of open) {
    const buying = completesBuying(compiled, signal.id, fired);
    const sqlReach =
      buying &&
      met.length + criteriaMetBy(compiled, signal.id, missing) >= sql.minCriteria &&
      fitScore >= sql.minFit;
    const mqlReach = !blocked && fitScore >= mql.minFit && score + signal.points >= mql.minScore;
    steps.push(step(signal.label, signal.points, sqlReach ? 'sql' : mqlReach ? 'mql' : null));
    if (steps.length >= MAX_STEPS) break;
  }
  return steps;
}
