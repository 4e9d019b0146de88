import {
  type FitRule,
  type Model,
  parseModel,
  type Signal,
  type TrainReport,
} from '@lead-qualifier/contract';
import { qualify } from '../domain/qualify';
import {
  createColumns,
  propertyFeatures,
  signalFeatures,
  type Columns,
  type FeatureWords,
  type LabelledRow,
  type Vector,
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
  /** How rule labels name properties and values (the portal's labels in the app). */
  words?: FeatureWords;
  /** Newton iterations before a fit counts as not converged. */
  maxIterations?: number;
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

/** The training could not produce a model to trust; the message says why. Nothing is written. */
export class TrainingFailedError extends Error {}

/** Candidate rules kept for the fit, by how strongly each alone separates the outcomes. */
const MAX_CANDIDATES = 300;
/** A model a person can read: at most this many property rules. */
const MAX_RULES = 40;
/**
 * A property's rules must improve the log-likelihood of held-out (newer) rows by this much,
 * times one more than their number, to stay: a property that only fits noise does not.
 */
const HOLDOUT_MIN_GAIN = 1;
/** A candidate must alone separate the outcomes by this many standard errors to be fitted. */
const MIN_SEPARATION = 2;
/** Rules are selected on at most this many rows, then refitted on all of them. */
const SELECTION_ROWS = 20_000;

/** Each feature's rows, as a key: features holding for exactly the same rows are one fact. */
function duplicateColumns(vectors: readonly Vector[], n: number): Set<number> {
  const hashes = new Float64Array(n);
  const counts = new Int32Array(n);
  vectors.forEach((v, r) => {
    // Two independent sums of pseudo-random row weights: equal only for equal row sets.
    const h = Math.sin(r * 12.9898 + 78.233) * 43758.5453;
    const weight = h - Math.floor(h);
    for (const a of v.active) {
      hashes[a]! += weight;
      counts[a]!++;
    }
  });
  const seen = new Map<string, number>();
  const duplicates = new Set<number>();
  for (let i = 0; i < n; i++) {
    const key = `${counts[i]}:${hashes[i]!.toFixed(9)}`;
    if (seen.has(key)) duplicates.add(i);
    else seen.set(key, i);
  }
  return duplicates;
}

/** How strongly a 0/1 feature alone separates the outcomes: |z| of its conversion rate. */
function separation(vectors: readonly Vector[], labels: Float64Array, n: number): Float64Array {
  const held = new Float64Array(n);
  const wins = new Float64Array(n);
  let total = 0;
  vectors.forEach((v, r) => {
    total += labels[r]!;
    for (const a of v.active) {
      held[a]!++;
      wins[a]! += labels[r]!;
    }
  });
  const rows = vectors.length;
  const rate = total / rows;
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const inRate = wins[i]! / Math.max(1, held[i]!);
    const outRate = (total - wins[i]!) / Math.max(1, rows - held[i]!);
    const se = Math.sqrt(
      rate * (1 - rate) * (1 / Math.max(1, held[i]!) + 1 / Math.max(1, rows - held[i]!)),
    );
    z[i] = se > 0 ? Math.abs(inRate - outRate) / se : 0;
  }
  return z;
}

/** Keeps the listed features of each vector, renumbered. */
function project(vectors: readonly Vector[], keep: readonly number[]): Vector[] {
  const to = new Map(keep.map((old, i) => [old, i]));
  return vectors.map((v) => {
    const active: number[] = [];
    for (const a of v.active) {
      const i = to.get(a);
      if (i !== undefined) active.push(i);
    }
    return { active: Int32Array.from(active), signals: v.signals };
  });
}

/**
 * Fits on `rows` and turns the weights into a rule model of the same schema as `base`: candidate
 * rules (duplicates and the weakest beyond the cap left out), a ridge fit, then rounds that
 * drop rules worth less than a point, threshold steps that go against their property's
 * direction (so points stay monotone) and, past the readable maximum, the least important
 * rules, each round refitted. A fit that does not converge is refused.
 */
function fitModel(
  rows: readonly LabelledRow[],
  signalsOf: (row: LabelledRow) => Float64Array,
  base: Model,
  options: TrainOptions,
  /** The columns of the rows in time order: `rows` are their first rows. */
  columns: Columns,
) {
  const signals = signalFeatures(base);
  const all = propertyFeatures(rows, undefined, options.words, basePropertiesRead(base), columns);
  const labels = Float64Array.from(rows, (r) => r.label);
  const vectorize = createVectorizer(all, columns);
  const full = rows.map((row, i) => vectorize(row, signalsOf(row), i));
  const duplicates = duplicateColumns(full, all.length);
  const strength = separation(full, labels, all.length);
  let keep = all
    .map((_, i) => i)
    .filter((i) => !duplicates.has(i) && strength[i]! >= MIN_SEPARATION)
    .sort((x, y) => strength[y]! - strength[x]!)
    .slice(0, MAX_CANDIDATES)
    .sort((x, y) => x - y);
  const signalVaries = signals.some((_, k) =>
    full.some((v) => v.signals[k] !== full[0]!.signals[k]),
  );
  if (keep.length === 0 && !signalVaries)
    throw new NotEnoughDataError(
      "No property varies enough to learn from: every one is missing, the same on (nearly) every contact, or held by too few contacts on one side. Check that the input carries the contacts' properties.",
    );

  /**
   * Fits the kept candidates on `rowsOf` and drops, in rounds, steps against their property's
   * direction, rules under a point and, past the maximum, the least important; refits each time.
   */
  const select = (sampleRows: readonly number[], from: number[]) => {
    let kept = from;
    const sampleLabels = Float64Array.from(sampleRows, (r) => labels[r]!);
    for (let round = 0; ; round++) {
      const vs = project(
        sampleRows.map((r) => full[r]!),
        kept,
      );
      const f = fitLogistic(vs, sampleLabels, kept.length, {
        lambda: options.lambda,
        maxIterations: options.maxIterations,
      });
      if (!f.converged)
        throw new TrainingFailedError(
          `The fit did not converge after ${f.iterations} iterations, so no model was written. The data may hold a property that alone decides the outcome (look for one filled in only after a sale) or too few rows for its ${kept.length} candidate rules.`,
        );
      const w = f.weights;
      const held = new Float64Array(kept.length);
      const totals = vs.map((v) => {
        let t = 0;
        for (const a of v.active) {
          t += w[a]!;
          held[a]!++;
        }
        for (let k = 0; k < v.signals.length; k++) t += w[kept.length + k]! * v.signals[k]!;
        return t;
      });
      const ofTotals = quantiles(totals);
      const spread = ofTotals(0.99) - ofTotals(0.01);
      const scaleNow = spread > 1e-6 ? 100 / spread : 1;
      if (round === 5) return { kept, fit: f, vectors: vs, scale: scaleNow };
      // Threshold steps against their property's direction, then steps under a point.
      const drop = new Set<number>();
      const byGroup = new Map<string, number[]>();
      kept.forEach((c, i) => {
        if (all[c]!.match.type !== 'gte') return;
        const g = all[c]!.group;
        byGroup.set(g, [...(byGroup.get(g) ?? []), i]);
      });
      for (const steps of byGroup.values()) {
        const up = steps.reduce((sum, i) => sum + Math.max(0, w[i]!), 0);
        const down = steps.reduce((sum, i) => sum + Math.max(0, -w[i]!), 0);
        for (const i of steps) if (up >= down ? w[i]! < 0 : w[i]! > 0) drop.add(i);
      }
      kept.forEach((_, i) => {
        if (Math.abs(scaleNow * w[i]!) < MIN_RULE_POINTS) drop.add(i);
      });
      let next = kept.filter((_, i) => !drop.has(i));
      if (next.length > MAX_RULES) {
        // The least important: the weight times how much the rule varies over the rows.
        const importance = (i: number) => {
          const share = held[i]! / vs.length;
          return Math.abs(w[i]!) * Math.sqrt(share * (1 - share));
        };
        next = kept
          .map((c, i) => ({ c, i, weight: importance(i) }))
          .filter(({ i }) => !drop.has(i))
          .sort((x, y) => y.weight - x.weight)
          .slice(0, MAX_RULES)
          .map(({ c }) => c)
          .sort((x, y) => x - y);
      }
      if (next.length === kept.length) return { kept, fit: f, vectors: vs, scale: scaleNow };
      kept = next;
    }
  };
  /**
   * Fits the older 75% of `sampleRows` and keeps the properties whose rules improve the fit of
   * the newer 25% by at least HOLDOUT_MIN_GAIN (log-likelihood): rules that only fit noise go.
   */
  const holdout = (sampleRows: readonly number[], from: number[]): number[] => {
    const cut = Math.floor(sampleRows.length * 0.75);
    const fitRows = sampleRows.slice(0, cut);
    const checkRows = sampleRows.slice(cut);
    const f = fitLogistic(
      project(
        fitRows.map((r) => full[r]!),
        from,
      ),
      Float64Array.from(fitRows, (r) => labels[r]!),
      from.length,
      { lambda: options.lambda, maxIterations: options.maxIterations },
    );
    if (!f.converged) return from;
    const w = f.weights;
    const groupOf = from.map((c) => all[c]!.group);
    const groups = [...new Set(groupOf)];
    const groupIndex = new Map(groups.map((g, i) => [g, i]));
    const gain = new Float64Array(groups.length);
    const parts = new Float64Array(groups.length);
    const touched: number[] = [];
    const logLoss = (z: number, y: number) =>
      (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y * z;
    for (const v of project(
      checkRows.map((r) => full[r]!),
      from,
    ).map((v, i) => ({ v, y: labels[checkRows[i]!]! }))) {
      let z = f.intercept;
      touched.length = 0;
      for (const a of v.v.active) {
        z += w[a]!;
        const g = groupIndex.get(groupOf[a]!)!;
        if (parts[g] === 0) touched.push(g);
        parts[g]! += w[a]!;
      }
      for (let k = 0; k < v.v.signals.length; k++) z += w[from.length + k]! * v.v.signals[k]!;
      const with_ = logLoss(z, v.y);
      for (const g of touched) {
        gain[g]! += logLoss(z - parts[g]!, v.y) - with_;
        parts[g] = 0;
      }
    }
    // Each rule of a property is a chance to fit noise: the bar rises with their number.
    const rulesIn = new Float64Array(groups.length);
    for (const g of groupOf) rulesIn[groupIndex.get(g)!]!++;
    const kept = new Set(groups.filter((_, g) => gain[g]! >= HOLDOUT_MIN_GAIN * (1 + rulesIn[g]!)));
    return from.filter((c) => kept.has(all[c]!.group));
  };
  // Rules are chosen on at most SELECTION_ROWS rows spread over the data (the fits of the
  // first rounds hold the most candidates), then refitted, and checked again, on every row.
  const everyRow = rows.map((_, i) => i);
  const step = Math.max(1, rows.length / SELECTION_ROWS);
  const sample =
    step === 1 ? everyRow : Array.from({ length: SELECTION_ROWS }, (_, i) => Math.floor(i * step));
  const screened = holdout(sample, keep);
  const chosen = sample === everyRow ? null : select(sample, screened);
  const final = select(everyRow, chosen ? chosen.kept : screened);
  keep = final.kept;
  const fit: LogisticFit = final.fit;
  const scale = final.scale;
  const vectors = final.vectors;
  const w = fit.weights;
  const properties = keep.map((f) => all[f]!);

  // Points are the weights on one scale: the middle 98% of the linear score spans 0–100, and
  // the starting points carry the offset, so every point stays explained in the ledger.
  const fitPart = vectors.map((v) => v.active.reduce((s, a) => s + w[a]!, 0));
  const engagementPart = vectors.map((v) =>
    v.signals.reduce((s, x, i) => s + w[properties.length + i]! * x, 0),
  );
  const ofTotals = quantiles(fitPart.map((f, i) => f + engagementPart[i]!));
  const startingPoints = round1(-scale * ofTotals(0.01));

  const referenced = new Set([
    ...base.sql.buyingSignals.flat(),
    ...base.sql.criteria.flatMap((c) =>
      c.anyOf.flatMap((t) => (t.type === 'signal' ? [t.signal] : [])),
    ),
  ]);
  // A number's steps add up: each rule (highest cut first, one per contact) carries the sum
  // of its step and every lower one, so the ledger shows one line for the property.
  // propertyFeatures lists a property's rules together, highest cut first (and `keep` keeps
  // that order): walked from the end, each step is added to the ones below it.
  const pointsOf = new Float64Array(properties.length);
  const running = new Map<string, number>();
  for (let i = properties.length - 1; i >= 0; i--) {
    const f = properties[i]!;
    if (f.match.type !== 'gte') pointsOf[i] = w[i]!;
    else {
      const sum = (running.get(f.group) ?? 0) + w[i]!;
      running.set(f.group, sum);
      pointsOf[i] = sum;
    }
  }
  const rules: FitRule[] = properties.flatMap((f, i) => {
    const points = round1(scale * pointsOf[i]!);
    if (Math.abs(points) < 0.1) return [];
    return [
      { id: f.id, label: f.label, points, group: f.group, anyOf: [f.condition], match: 'any' },
    ];
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
  const fitRaw = fitPart.map((f) => scale * f + startingPoints);
  const engagementRaw = engagementPart.map((e) => scale * e);
  const fitMax = Math.max(1, round1(quantiles(fitRaw)(0.95)));
  const engagementMax = Math.max(1, round1(quantiles(engagementRaw)(0.95)));
  const fitScores = fitRaw.map((f) => clamp(Math.round((100 * f) / fitMax), 0, 100));
  const ofFit = quantiles(fitScores);
  const C = clamp(ofFit(0.3), 0, 97);
  const B = clamp(Math.max(C + 1, ofFit(0.6)), 1, 98);
  const A = clamp(Math.max(B + 1, ofFit(0.85)), 2, 99);

  const engagementIds = new Set(engagement.map((s) => s.id));
  const draft = (minScore: number, minFit: number) => ({
    ...base,
    name: `Trained on ${rows.length.toLocaleString('en-US')} contacts`,
    description: `Weights fitted by regularised logistic regression on ${rows.length} labelled contacts (${rows.filter((r) => r.label === 1).length} conversions); ${rules.length} fit rules, ${engagement.length} engagement and ${negatives.length} negative signals. Base: ${base.name} v${base.version}.`,
    version: base.version + 1,
    fit: { maxPoints: fitMax, startingPoints, rules },
    engagement: { maxPoints: engagementMax, signals: engagement },
    negatives,
    grades: { A, B, C },
    mql: { minScore, minFit },
    sql: {
      ...base.sql,
      // A buying-signal group whose signals all became negative cannot show intent.
      buyingSignals: base.sql.buyingSignals.filter((g) => g.every((id) => engagementIds.has(id))),
      minFit: C,
    },
  });
  const valid = (candidate: unknown) => {
    const parsed = parseModel(candidate);
    if (!parsed.ok)
      throw new Error(
        `the trained model is not valid (a bug): ${parsed.error.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      );
    return parsed.value;
  };
  const model = valid(
    draft(...mqlBand(rows, (s, f) => valid(draft(s, f)), options.targetMqlShare, C)),
  );
  return {
    model,
    fit,
    considered: all.length + signals.length,
    counts: { rules: rules.length, signals: engagement.length, negatives: negatives.length },
  };
}

/**
 * The MQL threshold (and the fit it asks for) that flags about `target` of the rows as MQL or
 * SQL, read from the statuses the model gives them (disqualifiers, blocking signals and the fit
 * gate included), on a sample of at most 5,000 rows.
 */
function mqlBand(
  rows: readonly LabelledRow[],
  modelWith: (minScore: number, minFit: number) => Model,
  target: number,
  gradeC: number,
): [number, number] {
  const step = Math.max(1, Math.floor(rows.length / 5_000));
  const sample = rows.filter((_, i) => i % step === 0);
  const shareAt = (minScore: number, minFit: number) => {
    const model = modelWith(minScore, minFit);
    let flagged = 0;
    for (const row of sample) {
      const status = qualify(row.facts, model, row.at).status;
      if (status === 'mql' || status === 'ready' || status === 'sql') flagged++;
    }
    return flagged / sample.length;
  };
  let best: [number, number] = [50, gradeC];
  let bestGap = Infinity;
  for (const minFit of gradeC > 0 ? [gradeC, 0] : [0]) {
    // The share flagged falls as the threshold rises: the lowest threshold at or under target.
    let lo = 1;
    let hi = 100;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (shareAt(mid, minFit) > target) lo = mid + 1;
      else hi = mid;
    }
    for (const minScore of [lo - 1, lo].filter((s) => s >= 1)) {
      const gap = Math.abs(shareAt(minScore, minFit) - target);
      if (gap < bestGap) [best, bestGap] = [[minScore, minFit], gap];
    }
    if (bestGap <= 0.03) break;
  }
  return best;
}

/** Contact properties the base model's signals read: they are features of those signals. */
function basePropertiesRead(base: Model): Set<string> {
  const read = new Set<string>();
  for (const s of [...base.engagement.signals, ...base.negatives]) {
    const src = s.source;
    if (src.type === 'contact') for (const c of src.anyOf) read.add(`${c.object}.${c.property}`);
    if (src.type === 'count') read.add(`contact.${src.property}`);
  }
  return read;
}

function scoreWith(model: Model, rows: readonly LabelledRow[]): Scored[] {
  return rows.map((row) => {
    const q = qualify(row.facts, model, row.at);
    return {
      score: q.score,
      flagged: q.status === 'mql' || q.status === 'ready' || q.status === 'sql',
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
  const columns = createColumns(ordered);
  const proposed = fitModel(older, signalsOf, active, options, columns);
  const metricsOf = (model: Model) =>
    modelMetrics(scoreWith(model, newer), scoreWith(model, older));
  const final = fitModel(ordered, signalsOf, active, options, columns);
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
