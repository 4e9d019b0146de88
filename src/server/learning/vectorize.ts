import type { Model } from '@lead-qualifier/contract';
import { qualify } from '../domain/qualify';
import { readNumber } from '../domain/values';
import {
  present,
  type Columns,
  type LabelledRow,
  type PropertyFeature,
  type SignalFeature,
  type Vector,
} from './features';

/**
 * Reads rows into the fit's vectors. Each property is read and normalised once per row, and
 * its value looked up among that property's rules; the signals come from `createSignalReader`.
 */
export function createVectorizer(properties: readonly PropertyFeature[], rowColumns?: Columns) {
  type Column = {
    object: 'contact' | 'company';
    property: string;
    unknown: number | null;
    other: number | null;
    /** The common values (lower case): a value none of them is "another value". */
    listed: Set<string>;
    values: Map<string, number>;
    /** Written value → the feature it holds (-1: none). */
    memo: Map<string, number>;
    cuts: Array<{ cut: number; index: number }>;
  };
  const columns = new Map<string, Column>();
  properties.forEach((f, index) => {
    const key = `${f.object}.${f.property}`;
    let col = columns.get(key);
    if (!col)
      columns.set(
        key,
        (col = {
          object: f.object,
          property: f.property,
          unknown: null,
          other: null,
          listed: new Set(),
          values: new Map(),
          memo: new Map(),
          cuts: [],
        }),
      );
    if (f.match.type === 'unknown') col.unknown = index;
    else if (f.match.type === 'other') {
      col.other = index;
      col.listed = new Set(f.match.listed);
    } else if (f.match.type === 'value') col.values.set(f.match.value, index);
    else col.cuts.push({ cut: f.match.cut, index });
  });
  const list = [...columns.values()];
  // With the rows' columns, a row's values are read by its index in them.
  const read = list.map((col) => (rowColumns ? rowColumns.column(col.object, col.property) : null));
  /** The vector of `row`, the `at`th row of the columns when they were given. */
  // A row holds at most one rule per property level: the scratch never overflows.
  const scratch = new Int32Array(Math.max(1, properties.length));
  return (row: LabelledRow, signals: Float64Array, at = -1): Vector => {
    let k = 0;
    for (let c = 0; c < list.length; c++) {
      const col = list[c]!;
      const column = read[c];
      const v =
        column && at >= 0
          ? column[at]
          : col.object === 'contact'
            ? row.facts.contact.properties[col.property]
            : row.facts.company?.properties[col.property];
      if (!present(v)) {
        if (col.unknown !== null) scratch[k++] = col.unknown;
        continue;
      }
      if (col.cuts.length > 0) {
        // A number property holding text is unknown, as scoring treats it.
        const n = readNumber(v);
        if (n === null) {
          if (col.unknown !== null) scratch[k++] = col.unknown;
        } else {
          for (const c of col.cuts) if (n >= c.cut) scratch[k++] = c.index;
        }
        continue;
      }
      // The feature each written value holds, remembered per column (few distinct values).
      let index = col.memo.get(v);
      if (index === undefined) {
        const value = v.trim().toLowerCase();
        const hit = col.values.get(value);
        index =
          hit !== undefined ? hit : col.other !== null && !col.listed.has(value) ? col.other : -1;
        if (col.memo.size < 10_000) col.memo.set(v, index);
      }
      if (index >= 0) scratch[k++] = index;
    }
    // One copy per row, sorted natively (a typed array sorts numbers without a comparator).
    return { active: scratch.slice(0, k).sort(), signals };
  };
}

/**
 * How much of each base-model signal a row has: the signal's points after decay over its
 * points per occurrence, read from the base model's own evaluation (decay, caps, evidence
 * exactly as scoring does them). Computed once per row, whatever rules are fitted.
 */
export function createSignalReader(
  signals: readonly SignalFeature[],
  base: Model,
): (row: LabelledRow) => Float64Array {
  const index = new Map(signals.map((s, i) => [s.id, i]));
  return (row) => {
    const values = new Float64Array(signals.length);
    const q = qualify(row.facts, base, row.at, { cache: true });
    for (const entry of q.ledger) {
      const i = index.get(entry.rule);
      if (i === undefined) continue;
      values[i] = entry.points / signals[i]!.signal.points;
    }
    return values;
  };
}
