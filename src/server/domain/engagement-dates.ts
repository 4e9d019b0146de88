import type { CrmObject, Facts } from './facts';
import type { EngagementObject } from '@lead-qualifier/contract';
import { readTime, type PropertyValue } from './values';

/** The date of engagement `index` of `object`, read from `property` (parsed at most once). */
export type EngagementDates = (
  object: EngagementObject,
  property: string,
  index: number,
) => number | null;

const UNREAD = -Infinity;

/**
 * An engagement's date read from `property`, falling back to `hs_timestamp` (HubSpot's activity
 * date) and then to `createdAt`.
 */
export function engagementDate(item: CrmObject, property: string): number | null {
  const props = item.properties ?? {};
  return readTime(props[property]) ?? readTime(props['hs_timestamp']) ?? readTime(item.createdAt);
}

/**
 * Engagement dates for one qualification, parsed lazily: only the engagements a rule matched are
 * parsed, each at most once however many criteria read it (see `engagementDate`).
 */
export function createEngagementDates(facts: Facts): EngagementDates {
  // Keyed by object, then by the property string from the model (whose hash V8 caches): a
  // concatenated key would be a new string to hash on every read.
  const cache: Partial<Record<EngagementObject, Map<string, number[]>>> = {};
  return (object, property, index) => {
    const byProperty = (cache[object] ??= new Map());
    let dates = byProperty.get(property);
    if (dates === undefined) {
      dates = new Array<number>((facts.engagements[object] ?? []).length).fill(UNREAD);
      byProperty.set(property, dates);
    }
    const seen = dates[index]!;
    if (seen !== UNREAD) return Number.isNaN(seen) ? null : seen;
    const at = engagementDate(facts.engagements[object]![index]!, property);
    dates[index] = at ?? Number.NaN;
    return at;
  };
}

/** Is `a` later than `b`, both `…T10:00:00Z` or `…T10:00:00.000Z`? Compares text, to the ms. */
function laterCanonical(a: string, b: string): boolean {
  if (a.length === b.length) return a > b;
  for (let i = 0; i < 19; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d > 0;
  }
  // The same second: `…:00.120Z` is later than `…:00Z`; `…:00.000Z` is not.
  if (a.length !== 24) return false;
  return a.charCodeAt(20) !== 48 || a.charCodeAt(21) !== 48 || a.charCodeAt(22) !== 48;
}

/**
 * The latest of many dates, parsing as few as it can. UTC timestamps in the form HubSpot's v3 API
 * sends (`…T10:00:00Z`, `…T10:00:00.000Z`) order like their text, so only the greatest is
 * parsed. When that greatest turns out not to be a valid timestamp after all, `value` is
 * `undefined`: the caller then parses every value (`readTime`) itself. Nothing is kept but the
 * two best values, so adding costs one string comparison.
 */
export class LatestTime {
  private best: string | null = null;
  private other: number | null = null;

  add(value: PropertyValue): void {
    if (value === null || value === undefined) return;
    const n = value.length;
    if ((n === 24 || n === 20) && value.charCodeAt(n - 1) === 90) {
      const best = this.best;
      if (best === null || (n === best.length ? value > best : laterCanonical(value, best)))
        this.best = value;
    } else if (n > 0) {
      const t = readTime(value);
      if (t !== null && (this.other === null || t > this.other)) this.other = t;
    }
  }

  /** The latest, or null when there is none; undefined when the values must all be parsed. */
  get value(): number | null | undefined {
    if (this.best === null) return this.other;
    const fromBest = readTime(this.best);
    if (fromBest === null || this.best.charCodeAt(10) !== 84) return undefined;
    return this.other === null || fromBest > this.other ? fromBest : this.other;
  }
}
