import type { Facts } from '../domain/facts';
import type { Condition, Model, Signal } from '@lead-qualifier/contract';
import { readNumber, type PropertyValue } from '../domain/values';
import { DEFAULT_WORDING, type Wording } from '../domain/wording';

/** One labelled contact: what it looked like at `at`, and whether it converted. */
export interface LabelledRow {
  facts: Facts;
  label: 0 | 1;
  /** The snapshot time (epoch ms): features are read as of then. */
  at: number;
}

/** A candidate rule: a test on one property of the contact or its company. */
export interface PropertyFeature {
  kind: 'property';
  id: string;
  label: string;
  /** Rules on one property are alternatives (one value each): they share a group. */
  group: string;
  condition: Condition;
  /** The property it reads, and what it asks of the value (read once per row for all rules). */
  object: 'contact' | 'company';
  property: string;
  match:
    | { type: 'unknown' }
    | { type: 'gte'; cut: number }
    | { type: 'value'; value: string }
    /** A value none of the listed (lower-case) common values. */
    | { type: 'other'; listed: string[] };
}

/** An engagement or negative signal of the base model, kept with its decay and cap. */
export interface SignalFeature {
  kind: 'signal';
  id: string;
  signal: Signal;
}

/**
 * A row as the fit sees it: the indices of the property rules that hold (0/1 features) and
 * the decayed occurrence count of each signal (the signal's points after decay over its
 * points per occurrence, so a learned weight is directly points per occurrence).
 */
export interface Vector {
  active: Int32Array;
  signals: Float64Array;
}

/**
 * Properties never offered as rules: ids and timestamps, what records the outcome being
 * predicted (a customer's lifecycle stage, its deals), and what this product writes.
 */
const EXCLUDED = new Set([
  'hs_object_id',
  'createdate',
  'lastmodifieddate',
  'hs_lastmodifieddate',
  'hs_createdate',
  'lifecyclestage',
  'hs_lead_status',
  'num_associated_deals',
  'hubspot_owner_id',
  'email',
  'firstname',
  'lastname',
  'phone',
  'website',
  'name',
  'domain',
  'company',
  'closedate',
  'total_revenue',
]);
const EXCLUDED_PREFIXES = ['lq_', 'hs_lifecyclestage_', 'recent_deal_', 'first_deal_'];

interface FeatureOptions {
  /** A rule needs this share of the rows (and at least `minCount`) on each side of it. */
  minShare: number;
  minCount: number;
  /** More distinct values than this share of the rows holding it: free text, not a category. */
  maxDistinctShare: number;
}

const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  minShare: 0.005,
  minCount: 20,
  maxDistinctShare: 0.2,
};

/** How rule labels name a property and a value: the portal's labels in the app. */
export interface FeatureWords {
  property(object: 'contact' | 'company', name: string): string;
  value(object: 'contact' | 'company', name: string, value: string): string;
}

/** Without labels: "a_free_copy_of_x" reads "A free copy of x", true reads Yes. */
const PLAIN_WORDS: FeatureWords = {
  property: (_object, name) => {
    const words = name
      .replace(/^hs_/, '')
      .replace(/[_\s]+/g, ' ')
      .trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
  },
  value: (_object, _name, value) =>
    value.toLowerCase() === 'true' ? 'Yes' : value.toLowerCase() === 'false' ? 'No' : value,
};

/**
 * Rule labels in a portal's words (its property and option labels), HubSpot's default labels
 * where it has none, and plain words from the internal name otherwise.
 */
export function featureWords(wording: Wording = DEFAULT_WORDING): FeatureWords {
  return {
    property: (object, name) =>
      wording.property(object, name)?.label ?? PLAIN_WORDS.property(object, name),
    value: (object, name, value) =>
      wording.property(object, name)?.options.get(value) ?? PLAIN_WORDS.value(object, name, value),
  };
}

/** A learned rule's label, from its condition: "Lead source: Welingak Website". */
function ruleLabel(condition: Condition, words: FeatureWords): string {
  const { object, property } = condition;
  const title = `${object === 'company' ? 'Company ' : ''}${words.property(object, property)}`;
  switch (condition.operator) {
    case 'not_exists':
      return `${title} unknown`;
    case 'gte':
      return `${title} ${condition.value.toLocaleString('en-US')} or more`;
    case 'in':
      return `${title}: ${condition.value.map((v) => words.value(object, property, v)).join(', ')}`;
    case 'not_in':
      return `${title}: another value`;
    default:
      return title;
  }
}

/** A trained model's rules labelled in a portal's words (training itself runs without them). */
export function relabelRules(model: Model, words: FeatureWords): Model {
  return {
    ...model,
    fit: {
      ...model.fit,
      rules: model.fit.rules.map((r) =>
        r.anyOf.length === 1 ? { ...r, label: ruleLabel(r.anyOf[0]!, words).slice(0, 120) } : r,
      ),
    },
  };
}

/** Number cuts: the deciles, so a rule model can follow a curve as finely as a regression. */
const CUT_QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T|$)/;

function excluded(name: string): boolean {
  return EXCLUDED.has(name) || EXCLUDED_PREFIXES.some((p) => name.startsWith(p));
}

/** A value HubSpot holds: not missing, not blank. */
export const present = (v: PropertyValue | undefined): v is string =>
  typeof v === 'string' && v.trim() !== '';

function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))]!;
}

/** The first index of a sorted array whose value is at least `x`. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** At most `n` values spread evenly over `list`. */
function spread<T>(list: readonly T[], n: number): readonly T[] {
  if (list.length <= n) return list;
  const step = list.length / n;
  return Array.from({ length: n }, (_, i) => list[Math.floor(i * step)]!);
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30) || 'x';

/**
 * The rows' properties by column, each column read from the rows once and kept: the trainer
 * reads every property of every row several times (candidates for the backtest and for the
 * model, then their vectors), and an array read is far cheaper than a lookup in an object of
 * hundreds of properties. Built over the rows in time order; a fit on the older rows reads the
 * columns' first part.
 */
export interface Columns {
  /** The properties present (among a spread sample of 5,000 rows) that may be features. */
  names(object: 'contact' | 'company'): readonly string[];
  column(object: 'contact' | 'company', name: string): ReadonlyArray<PropertyValue | undefined>;
}

export function createColumns(rows: readonly LabelledRow[]): Columns {
  const cache = new Map<string, Array<PropertyValue | undefined>>();
  const propsOf = (object: 'contact' | 'company', row: LabelledRow) =>
    object === 'contact' ? row.facts.contact.properties : row.facts.company?.properties;
  const named = new Map<string, string[]>();
  return {
    names(object) {
      let list = named.get(object);
      if (!list) {
        const found = new Set<string>();
        for (const row of spread(rows, 5_000)) {
          const props = propsOf(object, row);
          if (props) for (const name of Object.keys(props)) if (!excluded(name)) found.add(name);
        }
        named.set(object, (list = [...found].sort()));
      }
      return list;
    },
    column(object, name) {
      const key = `${object}.${name}`;
      let col = cache.get(key);
      if (!col) {
        col = new Array<PropertyValue | undefined>(rows.length);
        for (let r = 0; r < rows.length; r++) col[r] = propsOf(object, rows[r]!)?.[name];
        cache.set(key, col);
      }
      return col;
    },
  };
}

/**
 * Every candidate rule the data supports, each with enough rows on both of its sides: numbers
 * become threshold rules at their deciles (one group per property, highest cut first, so a
 * contact matches one), categories one rule per common value with rare values pooled and the
 * most common level left as the reference (a yes/no property is one rule, not two), and
 * "unknown" is a level of its own, never a zero. A property (nearly) constant in the data, or
 * one the base model's signals already read (`skip`, as `contact.name`), is not a feature.
 */
export function propertyFeatures(
  rows: readonly LabelledRow[],
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
  words: FeatureWords = featureWords(),
  skip: ReadonlySet<string> = new Set(),
  /** The rows' columns: `rows` are their first rows (built here when not given). */
  columns: Columns = createColumns(rows),
): PropertyFeature[] {
  const features: PropertyFeature[] = [];
  const minCount = Math.max(options.minCount, Math.ceil(options.minShare * rows.length));
  /** Enough rows on both sides of a rule that holds for `n` of them. */
  const supported = (n: number) => n >= minCount && rows.length - n >= minCount;
  for (const object of ['contact', 'company'] as const) {
    const n = rows.length;
    const names = columns.names(object).filter((name) => !skip.has(`${object}.${name}`));
    for (const name of names) {
      const values = columns.column(object, name);
      // What kind of property it is, read off a spread sample of its values (at most 1,000).
      const look: string[] = [];
      for (let i = 0; i < 2_000 && look.length < 1_000; i++) {
        const v = values[Math.floor((i * n) / 2_000)];
        if (present(v)) look.push(v.trim());
      }
      if (look.length === 0) continue;
      if (look.filter((v) => ISO_DATE.test(v)).length > look.length / 2) continue;
      const numeric = look.filter((v) => readNumber(v) !== null).length >= 0.9 * look.length;
      // One pass over every row: numbers into a typed array, other values counted as
      // written; nothing is kept per value.
      let held = 0;
      const numbers = numeric ? new Float64Array(n) : null;
      let numberCount = 0;
      const written = new Map<string, number>();
      for (let r = 0; r < n; r++) {
        const v = values[r];
        if (v === undefined || v === null || !present(v)) continue;
        held++;
        if (numbers) {
          const n = readNumber(v);
          if (n !== null) numbers[numberCount++] = n;
        } else written.set(v, (written.get(v) ?? 0) + 1);
      }
      if (held < minCount) continue;
      const base = `${object === 'contact' ? 'c' : 'co'}_${slug(name)}`;
      const missing = rows.length - held;
      const unknown: PropertyFeature = {
        kind: 'property',
        id: `${base}_unknown`,
        label: '',
        group: base,
        condition: { object, property: name, operator: 'not_exists' },
        object,
        property: name,
        match: { type: 'unknown' },
      };
      if (numbers) {
        if (numberCount < 0.9 * held) continue;
        // Epoch-millisecond timestamps are dates, not sizes.
        const sorted = numbers.subarray(0, numberCount).sort();
        if (quantile(sorted, 0.5) > 1e11) continue;
        const cuts = [...new Set(CUT_QUANTILES.map((q) => quantile(sorted, q)))]
          .filter((cut) => supported(sorted.length - lowerBound(sorted, cut)))
          .sort((x, y) => y - x);
        // Highest cut first: within the group the first rule that holds is the one that counts.
        for (const cut of cuts)
          features.push({
            kind: 'property',
            id: `${base}_gte_${slug(String(cut))}`,
            label: '',
            group: base,
            condition: { object, property: name, operator: 'gte', value: cut },
            object,
            property: name,
            match: { type: 'gte', cut },
          });
        if (supported(missing)) features.push(unknown);
        continue;
      }
      // Values folded by case (few distinct values: cheap). Values written with spaces
      // around them count as the trimmed value.
      const counts = new Map<string, number>();
      const display = new Map<string, string>();
      for (const [raw, n] of written) {
        const v = raw.trim();
        const lower = v.toLowerCase();
        counts.set(lower, (counts.get(lower) ?? 0) + n);
        if (!display.has(lower)) display.set(lower, v);
      }
      if (counts.size > Math.max(50, options.maxDistinctShare * held)) continue;
      const common = [...counts]
        .filter(([, n]) => n >= minCount)
        .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
      const rare = held - common.reduce((n, [, c]) => n + c, 0);
      // The levels, each with its rows: the most common is the reference and gets no rule.
      const levels: Array<{ n: number; feature: PropertyFeature }> = common.map(([value, n]) => ({
        n,
        feature: {
          kind: 'property',
          id: `${base}_${slug(value)}`,
          label: '',
          group: base,
          condition: { object, property: name, operator: 'in', value: [display.get(value)!] },
          object,
          property: name,
          match: { type: 'value', value },
        },
      }));
      if (rare >= minCount && common.length > 0)
        levels.push({
          n: rare,
          feature: {
            kind: 'property',
            id: `${base}_other`,
            label: '',
            group: base,
            condition: {
              object,
              property: name,
              operator: 'not_in',
              value: common.map(([v]) => display.get(v)!),
            },
            object,
            property: name,
            match: { type: 'other', listed: common.map(([v]) => v) },
          },
        });
      if (missing >= minCount) levels.push({ n: missing, feature: unknown });
      const reference = levels.reduce<(typeof levels)[number] | null>(
        (best, l) => (best === null || l.n > best.n ? l : best),
        null,
      );
      for (const level of levels)
        if (level !== reference && supported(level.n)) features.push(level.feature);
    }
  }
  for (const f of features) f.label = ruleLabel(f.condition, words).slice(0, 120);
  // Ids must be unique across properties whose names slug alike.
  const seen = new Map<string, number>();
  for (const f of features) {
    const n = seen.get(f.id) ?? 0;
    seen.set(f.id, n + 1);
    if (n > 0) f.id = `${f.id}_${n + 1}`;
  }
  return features;
}

/** The base model's signals (engagement and negative): the trainer re-weighs them. */
export function signalFeatures(base: Model): SignalFeature[] {
  return [...base.engagement.signals, ...base.negatives].map((signal) => ({
    kind: 'signal',
    id: signal.id,
    signal,
  }));
}
