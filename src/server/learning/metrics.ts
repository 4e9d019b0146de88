import type { Grade, ModelMetrics } from '@lead-qualifier/contract';

/** One scored contact of a backtest: the model's score, status and grade, and the outcome. */
export interface Scored {
  score: number;
  flagged: boolean;
  grade: Grade;
  label: 0 | 1;
}

/** AUC by ranks (Mann–Whitney U), average ranks for ties. */
export function auc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Float64Array(scores.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = rank;
    i = j + 1;
  }
  let positives = 0;
  let sum = 0;
  labels.forEach((l, i) => {
    if (l === 1) {
      positives++;
      sum += ranks[i]!;
    }
  });
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (sum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const rate = (rows: readonly Scored[]) =>
  rows.length === 0 ? null : rows.filter((r) => r.label === 1).length / rows.length;

/** How a model did on the test period, with its grades judged against the training period. */
export function modelMetrics(test: readonly Scored[], train: readonly Scored[]): ModelMetrics {
  const base = rate(test) ?? 0;
  const sorted = [...test].sort((a, b) => b.score - a.score);
  const top = sorted.slice(0, Math.max(1, Math.ceil(test.length / 10)));
  const positives = test.filter((r) => r.label === 1);
  return {
    auc: auc(
      test.map((r) => r.score),
      test.map((r) => r.label),
    ),
    topDecileLift: base === 0 ? 0 : (rate(top) ?? 0) / base,
    conversionsCaptured:
      positives.length === 0 ? 0 : positives.filter((r) => r.flagged).length / positives.length,
    flaggedShare: test.length === 0 ? 0 : test.filter((r) => r.flagged).length / test.length,
    gains: Array.from({ length: 10 }, (_, d) => {
      const topK = sorted.slice(0, Math.ceil(((d + 1) * test.length) / 10));
      return positives.length === 0
        ? 0
        : topK.filter((r) => r.label === 1).length / positives.length;
    }),
    calibration: (['A', 'B', 'C', 'D'] as const).map((grade) => {
      const inTest = test.filter((r) => r.grade === grade);
      return {
        grade,
        count: inTest.length,
        predicted: rate(train.filter((r) => r.grade === grade)),
        observed: rate(inTest),
      };
    }),
  };
}

/** Rounds every number of a report to 4 decimals, so it reads (and diffs) well. */
export function rounded<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 10_000) / 10_000 : v,
    ),
  ) as T;
}
