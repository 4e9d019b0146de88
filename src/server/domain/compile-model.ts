import { compileMatch } from './conditions';
import {
  engagementObjects,
  type Condition,
  type Criterion,
  type EngagementObject,
  type Model,
  type Signal,
} from '@lead-qualifier/contract';
import {
  compileCondition,
  compileSignal,
  firstMatch,
  CONVERSION_NAME,
  decayFactor,
  type CompiledCondition,
  type CompiledSignal,
  type SignalContext,
  type SignalHit,
} from './signals';
import { relativeDay } from '@lead-qualifier/shared';
import { describeEngagement } from './describe-engagement';
import { DAY_MS, readNumber, readTime } from './values';
import type { Properties } from './conditions';
import type { EngagementScan } from './engagement-scan';

/** Contact properties that say when the contact last did something. */
export const ACTIVITY_DATE_PROPERTIES = [
  'hs_analytics_last_visit_timestamp',
  'recent_conversion_date',
  'hs_email_last_open_date',
  'hs_email_last_click_date',
  'hs_sales_email_last_replied',
  'hs_last_sales_activity_timestamp',
  'hs_latest_meeting_activity',
  'notes_last_updated',
] as const;

/** Properties this product writes and reads back (DESIGN section 5). */
const FEEDBACK_PROPERTIES = [
  'lq_sql_feedback',
  'lq_sql_feedback_at',
  'lq_status',
  'lq_mql_date',
] as const;

/** Contact properties every model reads besides the ones its rules name. */
const ALWAYS_READ = [
  'email',
  'createdate',
  // Where the lead came from: the funnel's source and inbound/outbound split.
  'hs_analytics_source',
  'lifecyclestage',
  'recent_conversion_event_name',
  'recent_conversion_date',
  'first_conversion_event_name',
  'first_conversion_date',
  'num_conversion_events',
  ...ACTIVITY_DATE_PROPERTIES,
  ...FEEDBACK_PROPERTIES,
];

export interface CompiledRule {
  id: string;
  label: string;
  points: number;
  group: string | undefined;
  conditions: CompiledCondition[];
  /** Whether any one of the conditions must hold, or all of them. */
  match: 'any' | 'all';
}

export interface CompiledSignalRule {
  signal: Signal;
  kind: 'engagement' | 'negative';
  evaluate: CompiledSignal;
}

/** What each signal found, by its index in `CompiledModel.signals`; null when it did not fire. */
export type Hits = ReadonlyArray<SignalHit | null>;

export interface CompiledCriterion {
  criterion: Criterion;
  /** Evidence of the first way it is met, or null. */
  check: (ctx: SignalContext, hits: Hits) => string | null;
}

export interface CompiledModel {
  model: Model;
  fitRules: CompiledRule[];
  signals: CompiledSignalRule[];
  /** Engagement signals by the list they read (one entry per object), and how many slots. */
  engagementScans: EngagementScan[];
  engagementSlots: number;
  disqualifiers: CompiledRule[];
  criteria: CompiledCriterion[];
  /** `model.sql.buyingSignals` as indices into `signals`. */
  buyingGroups: number[][];
  /** For each signal (by index), the ids of the criteria it meets on its own. */
  criteriaMetBy: string[][];
  /** Indices of the engagement signals, the most points first (model order among equals). */
  byPoints: number[];
  /** What the backfill must fetch and the webhooks must watch. */
  reads: {
    contact: string[];
    company: string[];
    engagements: Record<EngagementObject, string[]>;
  };
  /** Contact properties whose earlier values the signals read (see `historyReads`). */
  history: HistoryReads;
}

/**
 * The properties whose history dates what a signal counts: every form submission (the "recent
 * conversion" property's values) and each rise of a decaying counter. Reading history costs
 * requests (HubSpot reads at most 50 contacts' histories at once), so `needed` says which
 * contacts gain from it: more conversions than the first and the most recent; a counter above 1
 * whose points, all dated at its last occurrence, are worth a point or more (its history can
 * only date some of them earlier, so a counter already decayed to nothing needs none).
 */
export interface HistoryReads {
  properties: string[];
  needed: (contact: Properties, now: number) => boolean;
}

/** Below this, a counter's points are not worth a request for its history. */
const HISTORY_MIN_POINTS = 1;

function historyReads(model: Model): HistoryReads {
  const signals = [...model.engagement.signals, ...model.negatives];
  const counters = signals.flatMap((s) =>
    s.source.type === 'count' && s.halfLifeDays !== null
      ? [
          {
            property: s.source.property,
            dateProperty: s.source.dateProperty,
            points: Math.abs(s.points),
            cap: s.cap,
            halfLifeDays: s.halfLifeDays,
          },
        ]
      : [],
  );
  const forms = signals.some((s) => s.source.type === 'form');
  const properties = [
    ...new Set([...counters.map((c) => c.property), ...(forms ? [CONVERSION_NAME] : [])]),
  ];
  return {
    properties,
    needed: (contact, now) =>
      (forms && (readNumber(contact[CONVERSION_COUNT]) ?? 0) > 2) ||
      counters.some((c) => {
        const n = readNumber(contact[c.property]) ?? 0;
        if (n <= 1) return false;
        const at = c.dateProperty ? readTime(contact[c.dateProperty]) : null;
        return (
          c.points * Math.min(n, c.cap) * decayFactor(at, now, c.halfLifeDays) >= HISTORY_MIN_POINTS
        );
      }),
  };
}

/** How many forms the contact submitted, which says whether their history adds any. */
const CONVERSION_COUNT = 'num_conversion_events';

function compileRule(rule: {
  id: string;
  label: string;
  points?: number;
  group?: string;
  anyOf: Condition[];
  match: 'any' | 'all';
}): CompiledRule {
  return {
    id: rule.id,
    label: rule.label,
    points: rule.points ?? 0,
    group: rule.group,
    conditions: rule.anyOf.map(compileCondition),
    match: rule.match,
  };
}

function compileCriterion(
  criterion: Criterion,
  signalIndex: ReadonlyMap<string, number>,
  signals: readonly Signal[],
): CompiledCriterion {
  const ways = criterion.anyOf.map((way): ((ctx: SignalContext, hits: Hits) => string | null) => {
    switch (way.type) {
      case 'property': {
        const conditions = [compileCondition(way.when)];
        return (ctx) => firstMatch(conditions, ctx);
      }
      case 'signal': {
        const index = signalIndex.get(way.signal);
        const label = index === undefined ? '' : signals[index]!.label;
        return (ctx, hits) => {
          const hit = index === undefined ? null : hits[index];
          if (!hit) return null;
          return hit.lastAt === null ? label : `${label}, ${relativeDay(hit.lastAt, ctx.now)}`;
        };
      }
      case 'engagement': {
        const test = compileMatch(way.where, way.match);
        const span = way.withinDays === undefined ? null : way.withinDays * DAY_MS;
        return (ctx) => {
          const list = ctx.facts.engagements[way.object] ?? [];
          for (let i = 0; i < list.length; i++) {
            const item = list[i]!;
            if (!test(item.properties ?? {}, ctx.now)) continue;
            if (span !== null) {
              const at = ctx.dates(way.object, way.dateProperty, i);
              // Within the window either side of now: a meeting booked for next week counts.
              if (at === null || Math.abs(ctx.now - at) > span) continue;
            }
            return describeEngagement(
              way.object,
              item.properties ?? {},
              ctx.dates(way.object, 'hs_timestamp', i),
              ctx.now,
            );
          }
          return null;
        };
      }
      default: {
        const unreachable: never = way;
        throw new Error(`unknown criterion test ${JSON.stringify(unreachable)}`);
      }
    }
  });
  return {
    criterion,
    check: (ctx, hits) => {
      for (const way of ways) {
        const evidence = way(ctx, hits);
        if (evidence !== null) return evidence;
      }
      return null;
    },
  };
}

function collectReads(model: Model): CompiledModel['reads'] {
  const contact = new Set<string>(ALWAYS_READ);
  const company = new Set<string>();
  const engagements = Object.fromEntries(
    engagementObjects.map((o) => [o, new Set<string>(['hs_timestamp'])]),
  ) as Record<EngagementObject, Set<string>>;
  const addCondition = (c: Condition) =>
    (c.object === 'company' ? company : contact).add(c.property);
  const addEngagement = (o: EngagementObject, props: string[]) =>
    props.forEach((p) => engagements[o].add(p));

  model.fit.rules.forEach((r) => r.anyOf.forEach(addCondition));
  model.disqualifiers.forEach((r) => r.anyOf.forEach(addCondition));
  for (const s of [...model.engagement.signals, ...model.negatives]) {
    const src = s.source;
    if (src.type === 'contact') {
      src.anyOf.forEach(addCondition);
      if (src.dateProperty) contact.add(src.dateProperty);
    } else if (src.type === 'count') {
      contact.add(src.property);
      if (src.dateProperty) contact.add(src.dateProperty);
    } else if (src.type === 'engagement') {
      addEngagement(src.object, [src.dateProperty, ...src.where.map((w) => w.property)]);
    }
  }
  for (const c of model.sql.criteria) {
    for (const way of c.anyOf) {
      if (way.type === 'property') addCondition(way.when);
      if (way.type === 'engagement')
        addEngagement(way.object, [way.dateProperty, ...way.where.map((w) => w.property)]);
    }
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    contact: sorted(contact),
    company: sorted(company),
    engagements: Object.fromEntries(
      engagementObjects.map((o) => [o, sorted(engagements[o])]),
    ) as Record<EngagementObject, string[]>,
  };
}

const cache = new WeakMap<Model, CompiledModel>();

/** Compiles a validated model once; later calls with the same object reuse it. */
export function compileModel(model: Model, options: { cache?: boolean } = {}): CompiledModel {
  const useCache = options.cache ?? true;
  const hit = useCache ? cache.get(model) : undefined;
  if (hit) return hit;
  // One scan per engagement object, in a fixed order, whether signals read it or not: the walk
  // also finds the latest activity.
  const scans: EngagementScan[] = engagementObjects.map((object) => ({ object, signals: [] }));
  let slots = 0;
  const compileScored = (signal: Signal, kind: 'engagement' | 'negative'): CompiledSignalRule => {
    const source = signal.source;
    if (source.type !== 'engagement') return { signal, kind, evaluate: compileSignal(signal) };
    const slot = slots++;
    scans
      .find((s) => s.object === source.object)!
      .signals.push({
        slot,
        test: compileMatch(source.where, source.match),
        dateProperty: source.dateProperty,
      });
    return { signal, kind, evaluate: compileSignal(signal, slot) };
  };
  const signals = [
    ...model.engagement.signals.map((signal) => compileScored(signal, 'engagement')),
    ...model.negatives.map((signal) => compileScored(signal, 'negative')),
  ];
  const signalIndex = new Map(signals.map(({ signal }, i) => [signal.id, i]));
  const compiled: CompiledModel = {
    model,
    fitRules: model.fit.rules.map(compileRule),
    signals,
    engagementScans: scans,
    engagementSlots: slots,
    disqualifiers: model.disqualifiers.map(compileRule),
    criteria: model.sql.criteria.map((c) =>
      compileCriterion(
        c,
        signalIndex,
        signals.map((s) => s.signal),
      ),
    ),
    // A group naming a signal the model does not have can never be met: left out.
    buyingGroups: model.sql.buyingSignals
      .map((group) => group.map((id) => signalIndex.get(id) ?? -1))
      .filter((group) => group.every((i) => i >= 0)),
    criteriaMetBy: signals.map(({ signal }) =>
      model.sql.criteria
        .filter((c) => c.anyOf.some((w) => w.type === 'signal' && w.signal === signal.id))
        .map((c) => c.id),
    ),
    byPoints: signals
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.kind === 'engagement')
      .sort((a, b) => b.s.signal.points - a.s.signal.points)
      .map(({ i }) => i),
    reads: collectReads(model),
    history: historyReads(model),
  };
  if (useCache) cache.set(model, compiled);
  return compiled;
}
