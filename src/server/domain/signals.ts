import { compileMatch, describeValue, compileTest, type Properties } from './conditions';
import type { Facts } from './facts';
import type { Condition, Signal } from './model-schema';
import type { EngagementDates } from './engagement-dates';
import { DAY_MS, readNumber, readString, readTime } from './values';

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
}

export type CompiledSignal = (ctx: SignalContext) => SignalHit | null;

const EMPTY: Properties = {};

/** A condition on the contact or its company, compiled. */
export function compileCondition(condition: Condition) {
  const test = compileTest(condition);
  return condition.object === 'company'
    ? (ctx: Pick<SignalContext, 'contact' | 'company' | 'now'>) => test(ctx.company, ctx.now)
    : (ctx: Pick<SignalContext, 'contact' | 'company' | 'now'>) => test(ctx.contact, ctx.now);
}

/** The fraction an occurrence still counts after `halfLifeDays` (1 when it has no date). */
function decayFactor(at: number | null, now: number, halfLifeDays: number | null): number {
  if (halfLifeDays === null || at === null || at >= now) return 1;
  // 0.5 ** (age / halfLife), as exp(): the same value, cheaper to compute.
  return Math.exp((-Math.LN2 * (now - at)) / (halfLifeDays * DAY_MS));
}

const NEWEST_FIRST = (a: number, b: number) => b - a;

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
  if (dated < times.length) times.sort(NEWEST_FIRST);
  let points = signal.points * full;
  let lastAt: number | null = null;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (i < dated) points += signal.points * decayFactor(t, now, signal.halfLifeDays);
    if (lastAt === null || t > lastAt) lastAt = t;
  }
  return { count, rawPoints: signal.points * count, points, lastAt, what };
}

export function compileSignal(signal: Signal): CompiledSignal {
  const source = signal.source;
  switch (source.type) {
    case 'contact': {
      const conditions = source.anyOf.map((c) => ({ c, test: compileCondition(c) }));
      const dateProperty = source.dateProperty;
      return (ctx) => {
        const found = conditions.find(({ test }) => test(ctx));
        if (!found) return null;
        const props = found.c.object === 'company' ? ctx.company : ctx.contact;
        const at = dateProperty ? readTime(ctx.contact[dateProperty]) : null;
        const what = describeValue(found.c.property, props[found.c.property]);
        return hitFrom(signal, at === null ? [] : [at], at === null ? 1 : 0, ctx.now, what);
      };
    }
    case 'count': {
      const { property, dateProperty } = source;
      return (ctx) => {
        const n = readNumber(ctx.contact[property]);
        if (n === null || n < 1) return null;
        const occurrences = Math.floor(n);
        const at = dateProperty ? readTime(ctx.contact[dateProperty]) : null;
        const count = Math.min(occurrences, signal.cap);
        const what = `${occurrences} × ${signal.label.toLowerCase()}${count < occurrences ? ` (${count} count)` : ''}`;
        // Every occurrence shares the one date the property carries.
        return {
          count,
          rawPoints: signal.points * count,
          points: signal.points * count * decayFactor(at, ctx.now, signal.halfLifeDays),
          lastAt: at,
          what,
        };
      };
    }
    case 'form': {
      const names = source.names.map((n) => n.toLowerCase());
      const matches = (name: string | null) =>
        name !== null && names.some((n) => name.toLowerCase().includes(n));
      return (ctx) => {
        const recent = readString(ctx.contact['recent_conversion_event_name']);
        const recentAt = readTime(ctx.contact['recent_conversion_date']);
        const first = readString(ctx.contact['first_conversion_event_name']);
        const firstAt = readTime(ctx.contact['first_conversion_date']);
        const times: number[] = [];
        let undated = 0;
        let what: string | null = null;
        if (matches(recent)) {
          what = recent;
          if (recentAt === null) undated++;
          else times.push(recentAt);
        }
        // The first conversion is a separate occurrence unless it is the same event.
        if (matches(first) && !(first === recent && firstAt === recentAt)) {
          what ??= first;
          if (firstAt === null) undated++;
          else times.push(firstAt);
        }
        return what === null ? null : hitFrom(signal, times, undated, ctx.now, what);
      };
    }
    case 'engagement': {
      const { object, dateProperty } = source;
      const test = compileMatch(source.where, source.match);
      return (ctx) => {
        const list = ctx.facts.engagements[object];
        if (!list || list.length === 0) return null;
        const times: number[] = [];
        let undated = 0;
        for (let i = 0; i < list.length; i++) {
          if (!test(list[i]!.properties ?? EMPTY, ctx.now)) continue;
          const at = ctx.dates(object, dateProperty, i);
          if (at === null) undated++;
          else times.push(at);
        }
        const n = times.length + undated;
        return hitFrom(
          signal,
          times,
          undated,
          ctx.now,
          n === 1 ? signal.label : `${n} × ${signal.label.toLowerCase()}`,
        );
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
