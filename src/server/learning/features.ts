import type { Facts } from '../domain/facts';
import type { Condition, Model, Signal } from '@lead-qualifier/contract';
import { readNumber, type PropertyValue } from '../domain/values';

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
    | { type: 'other' };
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
  /** A value needs this share of the rows (and at least `minCount` of them) to get a rule. */
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

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30) || 'x';

/**
 * Every candidate rule the data supports: for each contact and company property present,
 * numbers become threshold rules (at quartiles and the 90th percentile), categories one rule
 * per common value with rare values pooled, and "unknown" is a value of its own, never a zero.
 */
export function propertyFeatures(
  rows: readonly LabelledRow[],
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
): PropertyFeature[] {
  const features: PropertyFeature[] = [];
  const minCount = Math.max(options.minCount, Math.ceil(options.minShare * rows.length));
  for (const object of ['contact', 'company'] as const) {
    const values = new Map<string, string[]>();
    for (const row of rows) {
      const props =
        object === 'contact' ? row.facts.contact.properties : row.facts.company?.properties;
      if (!props) continue;
      for (const [name, value] of Object.entries(props)) {
        if (excluded(name) || !present(value)) continue;
        let list = values.get(name);
        if (!list) values.set(name, (list = []));
        list.push(value.trim());
      }
    }
    for (const name of [...values.keys()].sort()) {
      const list = values.get(name)!;
      if (list.length < minCount) continue;
      if (list.filter((v) => ISO_DATE.test(v)).length > list.length / 2) continue;
      const base = `${object === 'contact' ? 'c' : 'co'}_${slug(name)}`;
      const missing = rows.length - list.length;
      if (missing >= minCount)
        features.push({
          kind: 'property',
          id: `${base}_unknown`,
          label: `${object === 'company' ? 'Company ' : ''}${name} unknown`,
          group: base,
          condition: { object, property: name, operator: 'not_exists' },
          object,
          property: name,
          match: { type: 'unknown' },
        });
      const numbers = list.map((v) => readNumber(v)).filter((n): n is number => n !== null);
      if (numbers.length >= 0.9 * list.length) {
        // Epoch-millisecond timestamps are dates, not sizes.
        const sorted = Float64Array.from(numbers).sort();
        if (quantile(sorted, 0.5) > 1e11) continue;
        const cuts = [...new Set([0.25, 0.5, 0.75, 0.9].map((q) => quantile(sorted, q)))];
        for (const cut of cuts) {
          const count = sorted.length - lowerBound(sorted, cut);
          if (count < minCount || count === sorted.length) continue;
          features.push({
            kind: 'property',
            id: `${base}_gte_${slug(String(cut))}`,
            label: `${object === 'company' ? 'Company ' : ''}${name} ≥ ${cut.toLocaleString('en-US')}`,
            // Thresholds add up (≥ 50 and ≥ 200 both hold for 300): not alternatives.
            group: `${base}_gte_${slug(String(cut))}`,
            condition: { object, property: name, operator: 'gte', value: cut },
            object,
            property: name,
            match: { type: 'gte', cut },
          });
        }
        continue;
      }
      const counts = new Map<string, number>();
      for (const v of list) counts.set(v.toLowerCase(), (counts.get(v.toLowerCase()) ?? 0) + 1);
      if (counts.size > Math.max(50, options.maxDistinctShare * list.length)) continue;
      const common = [...counts]
        .filter(([, n]) => n >= minCount)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const display = new Map<string, string>();
      for (const v of list) if (!display.has(v.toLowerCase())) display.set(v.toLowerCase(), v);
      for (const [value] of common) {
        features.push({
          kind: 'property',
          id: `${base}_${slug(value)}`,
          label: `${object === 'company' ? 'Company ' : ''}${name} is ${display.get(value)}`,
          group: base,
          condition: { object, property: name, operator: 'in', value: [display.get(value)!] },
          object,
          property: name,
          match: { type: 'value', value },
        });
      }
      const rare = list.length - common.reduce((n, [, c]) => n + c, 0);
      if (rare >= minCount && common.length > 0)
        features.push({
          kind: 'property',
          id: `${base}_other`,
          label: `${object === 'company' ? 'Company ' : ''}${name}: another value`,
          group: base,
          condition: {
            object,
            property: name,
            operator: 'not_in',
            value: common.map(([v]) => display.get(v)!),
          },
          object,
          property: name,
          match: { type: 'other' },
        });
    }
  }
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
