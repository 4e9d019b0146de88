import {
  compileTest,
  memoized,
  normalText,
  wordPattern,
  type Properties,
  type PropertyPredicate,
} from './conditions';
import type { Facts } from './facts';
import type { Condition, Signal } from '@lead-qualifier/contract';
import type { EngagementDates } from './engagement-dates';
import type { Occurrences } from './engagement-scan';
import { DAY_MS, readNumber, readString, readTime, type PropertyValue } from './values';
import { conversions, counterSteps, type Conversion, type DatedCount } from './property-history';
import { describeProperty, type Wording } from './wording';

/** What one signal found on one contact. */
export interface SignalHit {
  count: number;
  rawPoints: number;
  points: number;
  /** Latest occurrence, epoch ms; null when the data carries no date. */
  lastAt: number | null;
  /** What it saw, without the date ("Demo request form"). */
  what: string;
}

export interface SignalContext {
  facts: Facts;
  contact: Properties;
  company: Properties;
  now: number;
  /** Latest activity of any kind (epoch ms), or null. */
  lastActivity: number | null;
  /** Engagement dates, parsed once per qualification. */
  dates: EngagementDates;
  /** What each engagement signal matched, by its slot (one walk over each list). */
  found: ReadonlyArray<Occurrences | undefined>;
  /** How a matched property and its value read (the portal's labels). */
  words: Wording;
}

export type CompiledSignal = (ctx: SignalContext) => SignalHit | null;

/** A condition on the contact or its company, compiled. */
export interface CompiledCondition {
  condition: Condition;
  /** Reads the company's properties rather than the contact's. */
  onCompany: boolean;
  test: PropertyPredicate;
}

export function compileCondition(condition: Condition): CompiledCondition {
  return { condition, onCompany: condition.object === 'company', test: compileTest(condition) };
}

/**
 * What the conditions saw, in words, when they hold (`any`: the first that holds; `all`: each
 * of them, joined), or null when they do not.
 */
export function matchConditions(
  conditions: readonly CompiledCondition[],
  match: 'any' | 'all',
  ctx: Pick<SignalContext, 'contact' | 'company' | 'now' | 'words'>,
): string | null {
  if (match === 'any') return firstMatch(conditions, ctx);
  const seen: string[] = [];
  for (const { condition, onCompany, test } of conditions) {
    const props = onCompany ? ctx.company : ctx.contact;
    if (!test(props, ctx.now)) return null;
    const what = describeProperty(
      ctx.words,
      onCompany ? 'company' : 'contact',
      condition.property,
      props[condition.property],
    );
    // Two tests on one property ("contains VP" and "not chief of staff") saw one value.
    if (!seen.includes(what)) seen.push(what);
  }
  return seen.length === 0 ? null : seen.join('; ');
}

/**
 * What the first of `conditions` that holds saw, in words ("Job Title: VP Sales"), or null when
 * none holds.
 */
export function firstMatch(
  conditions: readonly CompiledCondition[],
  ctx: Pick<SignalContext, 'contact' | 'company' | 'now' | 'words'>,
): string | null {
  for (let i = 0; i < conditions.length; i++) {
    const { condition, onCompany, test } = conditions[i]!;
    const props = onCompany ? ctx.company : ctx.contact;
    if (test(props, ctx.now))
      return describeProperty(
        ctx.words,
        onCompany ? 'company' : 'contact',
        condition.property,
        props[condition.property],
      );
  }
  return null;
}

/** "once", "twice", "3 times": how often an engagement signal happened (its label says what). */
function timesOf(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/** The fraction an occurrence still counts after `halfLifeDays` (1 when it has no date). */
export function decayFactor(at: number | null, now: number, halfLifeDays: number | null): number {
  if (halfLifeDays === null || at === null || at >= now) return 1;
  // 0.5 ** (age / halfLife), as exp(): the same value, cheaper to compute.
  return Math.exp((-Math.LN2 * (now - at)) / (halfLifeDays * DAY_MS));
}

/** Sorts a handful of times newest first, in place (insertion sort: no comparator calls). */
function sortNewestFirst(times: number[]): void {
  for (let i = 1; i < times.length; i++) {
    const t = times[i]!;
    let j = i - 1;
    while (j >= 0 && times[j]! < t) {
      times[j + 1] = times[j]!;
      j--;
    }
    times[j + 1] = t;
  }
}

/**
 * Sums the most recent `cap` occurrences, each decayed by its own age. An occurrence without a
 * date counts in full, as if it were the most recent, so adding an occurrence can never lower
 * the sum.
 */
function hitFrom(
  signal: Signal,
  times: number[],
  undated: number,
  now: number,
  what: string,
): SignalHit | null {
  const total = times.length + undated;
  if (total === 0) return null;
  const count = Math.min(total, signal.cap);
  const full = Math.min(undated, count);
  const dated = count - full;
  // Only when the cap drops some occurrences does it matter which: keep the most recent.
  if (dated < times.length) sortNewestFirst(times);
  let points = signal.points * full;
  let lastAt: number | null = null;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (i < dated) points += signal.points * decayFactor(t, now, signal.halfLifeDays);
    if (lastAt === null || t > lastAt) lastAt = t;
  }
  return { count, rawPoints: signal.points * count, points, lastAt, what };
}

/** The window the evidence names for a counter's recent occurrences ("4 in the last 30 days"). */
const RECENT_DAYS = 30;

/** HubSpot's "recent conversion" property: its history holds every form submission. */
export const CONVERSION_NAME = 'recent_conversion_event_name';

/** How many of a counter's occurrences fall in the last RECENT_DAYS (undated ones do not). */
function recentCount(steps: readonly DatedCount[], now: number): number {
  let n = 0;
  for (const s of steps) if (s.at !== null && now - s.at <= RECENT_DAYS * DAY_MS) n += s.n;
  return n;
}

/**
 * A counter's points: its most recent `cap` occurrences (`steps` newest first), each decayed
 * by the age of the step it belongs to; an undated step counts in full.
 */
function countHit(
  signal: Signal,
  steps: readonly DatedCount[],
  now: number,
): Omit<SignalHit, 'what'> {
  let left = signal.cap;
  let points = 0;
  let lastAt: number | null = null;
  for (const step of steps) {
    if (step.at !== null && (lastAt === null || step.at > lastAt)) lastAt = step.at;
    if (left === 0) continue;
    const take = Math.min(step.n, left);
    left -= take;
    points += signal.points * take * decayFactor(step.at, now, signal.halfLifeDays);
  }
  const count = signal.cap - left;
  return { count, rawPoints: signal.points * count, points, lastAt };
}

/**
 * Compiles one signal. An engagement signal reads what the engagement scan matched for it, in
 * `slot` (see `scanEngagements`).
 */
export function compileSignal(signal: Signal, slot?: number): CompiledSignal {
  const source = signal.source;
  switch (source.type) {
    case 'contact': {
      const conditions = source.anyOf.map(compileCondition);
      const { dateProperty, match } = source;
      return (ctx) => {
        const what = matchConditions(conditions, match, ctx);
        if (what === null) return null;
        const at = dateProperty ? readTime(ctx.contact[dateProperty]) : null;
        return hitFrom(signal, at === null ? [] : [at], at === null ? 1 : 0, ctx.now, what);
      };
    }
    case 'count': {
      const { property, dateProperty } = source;
      const label = signal.label.toLowerCase();
      return (ctx) => {
        const n = readNumber(ctx.contact[property]);
        if (n === null || n < 1) return null;
        const occurrences = Math.floor(n);
        const at = dateProperty ? readTime(ctx.contact[dateProperty]) : null;
        const history = ctx.facts.contact.propertiesWithHistory?.[property];
        // Without its history, every occurrence shares the one date the property carries.
        const steps = history ? counterSteps(history, occurrences, at) : [{ at, n: occurrences }];
        const hit = countHit(signal, steps, ctx.now);
        const counted = hit.count < occurrences ? `${hit.count} counted` : null;
        const recent = history ? recentCount(steps, ctx.now) : null;
        const notes = [
          recent !== null && recent < occurrences
            ? `${recent} in the last ${RECENT_DAYS} days`
            : null,
          counted,
        ].filter((x) => x !== null);
        return {
          ...hit,
          what: `${occurrences} ${label}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`,
        };
      };
    }
    case 'form': {
      // Whole words, as `contains` reads them: "demo" is not in "Demographics Benchmark Report".
      const pattern = wordPattern(source.names);
      const named = memoized((name) => pattern.test(normalText(name)));
      const conversion = (name: PropertyValue, at: PropertyValue): Conversion | null => {
        const text = readString(name);
        return text === null ? null : { name: text, at: readTime(at) };
      };
      return (ctx) => {
        const all = conversions(
          ctx.facts.contact.propertiesWithHistory?.[CONVERSION_NAME],
          conversion(ctx.contact[CONVERSION_NAME], ctx.contact['recent_conversion_date']),
          conversion(
            ctx.contact['first_conversion_event_name'],
            ctx.contact['first_conversion_date'],
          ),
        );
        const times: number[] = [];
        let undated = 0;
        let latest: string | null = null;
        for (const c of all) {
          if (!named(c.name)) continue;
          latest ??= c.name;
          if (c.at === null) undated++;
          else times.push(c.at);
        }
        return latest === null ? null : hitFrom(signal, times, undated, ctx.now, latest);
      };
    }
    case 'engagement': {
      if (slot === undefined) throw new Error(`engagement signal ${signal.id} has no scan slot`);
      return (ctx) => {
        const found = ctx.found[slot];
        if (found === undefined) return null;
        const n = found.times.length + found.undated;
        return hitFrom(signal, found.times, found.undated, ctx.now, timesOf(n));
      };
    }
    case 'inactivity': {
      const span = source.days * DAY_MS;
      return (ctx) => {
        const since = ctx.lastActivity ?? readTime(ctx.contact['createdate']);
        if (since === null || ctx.now - since <= span) return null;
        const days = Math.floor((ctx.now - since) / DAY_MS);
        return hitFrom(signal, [], 1, ctx.now, `no activity for ${days} days`);
      };
    }
    default: {
      const unreachable: never = source;
      throw new Error(`unknown signal source ${JSON.stringify(unreachable)}`);
    }
  }
}
