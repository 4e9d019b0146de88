import {
  type FitRule,
  type Model,
  parseModel,
  type Signal,
  type TrainReport,
} from '@lead-qualifier/contract';
import { qualify } from '../domain/qualify';
import {
  propertyFeatures,
  signalFeatures,
  type LabelledRow,
  type PropertyFeature,
} from './features';
import { createSignalReader, createVectorizer } from './vectorize';
import { fitLogistic, type LogisticFit } from './logistic';
import { modelMetrics, rounded, type Scored } from './metrics';

interface TrainOptions {
  /** Ridge penalty on every weight but the intercept. */
  lambda: number;
  /** The share of leads the MQL threshold should flag. */
  targetMqlShare: number;
  /** The newest share of the rows held out for the backtest. */
  testShare: number;
  minRows: number;
  minPositives: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  lambda: 2,
  targetMqlShare: 0.2,
  testShare: 0.25,
  minRows: 300,
  minPositives: 30,
};

/** Training refused because the data cannot support a model; the message says what is missing. */
export class NotEnoughDataError extends Error {}

/** Quantiles of one distribution, sorted once (natively: a typed array's sort is numeric). */
const quantiles = (values: readonly number[]) => {
  const s = Float64Array.from(values).sort();
  return (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))] ?? 0;
};
const round1 = (n: number) => Math.round(n * 10) / 10;
const MIN_RULE_POINTS = 1;
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
const iso = (ms: number) => new Date(ms).toISOString();

/** Older first: by snapshot time, then by when the contact was created, then by id. */
function chronological(rows: readonly LabelledRow[]): LabelledRow[] {
  const keyed = rows.map((row) => ({
    row,
    created: Date.parse(row.facts.contact.properties['createdate'] ?? '') || 0,
  }));
  keyed.sort(
    (a, b) =>
      a.row.at - b.row.at ||
      a.created - b.created ||
      a.row.facts.contact.id.localeCompare(b.row.facts.contact.id, 'en', { numeric: true }),
  );
  return keyed.map((k) => k.row);
}

function refuseIfTooLittle(rows: readonly LabelledRow[], options: TrainOptions): void {
  const positives = rows.filter((r) => r.label === 1).length;
  const negatives = rows.length - positives;
  const short: string[] = [];
  if (rows.length < options.minRows)
    short.push(`${options.minRows - rows.length} more labelled contacts`);
  if (positives < options.minPositives)
    short.push(`${options.minPositives - positives} more conversions`);
  if (negatives < options.minPositives)
    short.push(`${options.minPositives - negatives} more contacts that did not convert`);
  if (short.length > 0)
    throw new NotEnoughDataError(
      `Too little data to train a model: ${rows.length} labelled contacts, ${positives} of them converted. ` +
        `At least ${options.minRows} contacts with ${options.minPositives} conversions and ${options.minPositives} non-conversions are needed: ` +
        `${short.join(' and ')}.`,
    );
}

/** Fits on `rows` and turns the weights into a rule model of the same schema as `base`. */
function fitModel(
  rows: readonly LabelledRow[],
  signalsOf: (row: LabelledRow) => Float64Array,
  base: Model,
  options: TrainOptions,
  warm?: { ids: readonly string[]; fit: LogisticFit },
) {
  const properties = propertyFeatures(rows);
  const signals = signalFeatures(base);
  const toVector = createVectorizer(properties);
  const vectors = rows.map((row) => toVector(row, signalsOf(row)));
  const labels = Float64Array.from(rows, (r) => r.label);
  const ids = [...properties.map((f) => f.id), ...signals.map((s) => `signal:${s.id}`)];
  // Warm start from an earlier fit: the same rule (by id) starts from its weight there.
  let initial: { intercept: number; weights: Float64Array } | undefined;
  if (warm) {
    const before = new Map(warm.ids.map((id, i) => [id, warm.fit.weights[i]!]));
    initial = {
      intercept: warm.fit.intercept,
      weights: Float64Array.from(ids, (id) => before.get(id) ?? 0),
    };
  }
  const fit = fitLogistic(vectors, labels, properties.length, { lambda: options.lambda, initial });
  const w = fit.weights;

  // Points are the weights on one scale: the middle 98% of the linear score spans 0–100, and
  // a starting-points rule carries the offset, so every point stays explained in the ledger.
  const fitPart = vectors.map((v) => v.active.reduce((s, a) => s + w[a]!, 0));
  const engagementPart = vectors.map((v) =>
    v.signals.reduce((s, x, i) => s + w[properties.length + i]! * x, 0),
  );
  const totals = fitPart.map((f, i) => f + engagementPart[i]!);
  const ofTotals = quantiles(totals);
  const lo = ofTotals(0.01);
  const hi = ofTotals(0.99);
  const scale = hi - lo > 1e-6 ? 100 / (hi - lo) : 1;
  const offset = round1(-scale * lo);

  const referenced = new Set([
    ...base.sql.buyingSignals.flat(),
    ...base.sql.criteria.flatMap((c) =>
      c.anyOf.flatMap((t) => (t.type === 'signal' ? [t.signal] : [])),
    ),
  ]);
  const rules: FitRule[] = [];
  if (Math.abs(offset) >= 0.1)
    rules.push({
      id: 'starting_points',
      label: 'Starting points',
      points: offset,
      anyOf: [{ object: 'contact', property: 'hs_object_id', operator: 'exists' }],
      match: 'any',
    });
  properties.forEach((f: PropertyFeature, i) => {
    // Under a point a rule explains nothing a rep would act on: the ledger stays readable.
    const points = round1(scale * w[i]!);
    if (Math.abs(points) < MIN_RULE_POINTS) return;
    rules.push({
      id: f.id,
      label: f.label,
      points,
      group: f.group,
      anyOf: [f.condition],
      match: 'any',
    });
  });
  const engagement: Signal[] = [];
  const negatives: Signal[] = [];
  signals.forEach(({ signal }, i) => {
    let points = round1(scale * w[properties.length + i]!);
    if (Math.abs(points) < 0.1) {
      if (!referenced.has(signal.id)) return;
      points = signal.source.type === 'inactivity' ? -0.1 : 0.1;
    }
    if (points > 0 && signal.source.type === 'inactivity') return;
    (points > 0 ? engagement : negatives).push({ ...signal, points });
  });

  // Scales and bands from the training rows' own distribution.
  const fitRaw = fitPart.map((f) => scale * f + offset);
  const engagementRaw = engagementPart.map((e) => scale * e);
  const fitMax = Math.max(1, round1(quantiles(fitRaw)(0.95)));
  const engagementMax = Math.max(1, round1(quantiles(engagementRaw)(0.95)));
  const fitScores = fitRaw.map((f) => clamp(Math.round((100 * f) / fitMax), 0, 100));
  const ofFit = quantiles(fitScores);
  const C = Math.max(0, ofFit(0.3));
  const B = Math.max(C + 1, ofFit(0.6));
  const A = Math.max(B + 1, ofFit(0.85));
  const scores = fitRaw.map((f, i) => clamp(Math.round(f + engagementRaw[i]!), 0, 100));
  const minScore = Math.max(1, quantiles(scores)(1 - options.targetMqlShare));

  const engagementIds = new Set(engagement.map((s) => s.id));
  const candidate = {
    ...base,
    name: `Trained on ${rows.length.toLocaleString('en-US')} contacts`,
    description: `Weights fitted by regularised logistic regression on ${rows.length} labelled contacts (${rows.filter((r) => r.label === 1).length} conversions); ${rules.length} fit rules, ${engagement.length} engagement and ${negatives.length} negative signals. Base: ${base.name} v${base.version}.`,
    version: base.version + 1,
    fit: { maxPoints: fitMax, rules },
    engagement: { maxPoints: engagementMax, signals: engagement },
    negatives,
    grades: { A, B, C },
    mql: { minScore, minFit: C },
    sql: {
      ...base.sql,
      // A buying-signal group whose signals all became negative cannot show intent.
      buyingSignals: base.sql.buyingSignals.filter((g) => g.every((id) => engagementIds.has(id))),
      minFit: C,
    },
  };
  const parsed = parseModel(candidate);
  if (!parsed.ok)
    throw new Error(
      `the trained model is not valid (a bug): ${parsed.error.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  return {
    model: parsed.value,
    fit,
    ids,
    considered: properties.length + signals.length,
    counts: { rules: rules.length, signals: engagement.length, negatives: negatives.length },
  };
}

function scoreWith(model: Model, rows: readonly LabelledRow[]): Scored[] {
  return rows.map((row) => {
    const q = qualify(row.facts, model, row.at);
    return {
      score: q.score,
      flagged: q.status === 'mql' || q.status === 'sql',
      grade: q.grade,
      label: row.label,
    };
  });
}

/**
 * Learns a rule model from labelled contacts and says, by a time-split backtest (trained on
 * the older rows, tested on the newer), how it compares with the active model. The model it
 * returns is fitted on every row; the backtest's is fitted on the older ones only.
 */
export function train(
  rows: readonly LabelledRow[],
  active: Model,
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
): { model: Model; report: TrainReport } {
  refuseIfTooLittle(rows, options);
  const ordered = chronological(rows);
  const cut = Math.round(ordered.length * (1 - options.testShare));
  const older = ordered.slice(0, cut);
  const newer = ordered.slice(cut);
  refuseIfTooLittle(older, {
    ...options,
    minRows: Math.round(options.minRows * (1 - options.testShare)),
  });

  // The base model's signals are read once per row and serve both fits.
  const signals = signalFeatures(active);
  const readSignals = createSignalReader(signals, active);
  const cached = new Map<LabelledRow, Float64Array>();
  const signalsOf = (row: LabelledRow) => {
    let v = cached.get(row);
    if (!v) cached.set(row, (v = readSignals(row)));
    return v;
  };
  const proposed = fitModel(older, signalsOf, active, options);
  const metricsOf = (model: Model) =>
    modelMetrics(scoreWith(model, newer), scoreWith(model, older));
  const final = fitModel(ordered, signalsOf, active, options, proposed);
  const span = (part: readonly LabelledRow[]) => ({
    rows: part.length,
    positives: part.filter((r) => r.label === 1).length,
    from: iso(part[0]!.at),
    to: iso(part[part.length - 1]!.at),
  });
  const report: TrainReport = {
    rows: rows.length,
    positives: rows.filter((r) => r.label === 1).length,
    features: { considered: final.considered, ...final.counts },
    mqlThreshold: final.model.mql.minScore,
    backtest: {
      split: 'time',
      train: span(older),
      test: span(newer),
      proposed: metricsOf(proposed.model),
      active: { ...metricsOf(active), modelVersion: active.version },
    },
    fit: { iterations: final.fit.iterations, converged: final.fit.converged },
  };
  return { model: final.model, report: rounded(report) };
}
