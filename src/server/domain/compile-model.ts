import { compileMatch, describeValue } from './conditions';
import {
  engagementObjects,
  type Condition,
  type Criterion,
  type EngagementObject,
  type Model,
  type Signal,
} from './model-schema';
import {
  compileCondition,
  compileSignal,
  type CompiledSignal,
  type SignalContext,
} from './signals';
import { DAY_MS } from './values';

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
export const FEEDBACK_PROPERTIES = [
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
  ...ACTIVITY_DATE_PROPERTIES,
  ...FEEDBACK_PROPERTIES,
];

type Test = (ctx: SignalContext) => boolean;

export interface CompiledRule {
  id: string;
  label: string;
  points: number;
  group: string | undefined;
  conditions: Array<{ condition: Condition; test: Test }>;
}

export interface CompiledSignalRule {
  signal: Signal;
  kind: 'engagement' | 'negative';
  evaluate: CompiledSignal;
}

export interface CompiledCriterion {
  criterion: Criterion;
  /** Evidence of the first way it is met, or null. Signal hits are looked up by id. */
  check: (ctx: SignalContext, fired: ReadonlyMap<string, { what: string }>) => string | null;
}

export interface CompiledModel {
  model: Model;
  fitRules: CompiledRule[];
  signals: CompiledSignalRule[];
  disqualifiers: CompiledRule[];
  criteria: CompiledCriterion[];
  /** What the backfill must fetch and the webhooks must watch. */
  reads: {
    contact: string[];
    company: string[];
    engagements: Record<EngagementObject, string[]>;
  };
}

function compileRule(rule: {
  id: string;
  label: string;
  points?: number;
  group?: string;
  anyOf: Condition[];
}): CompiledRule {
  return {
    id: rule.id,
    label: rule.label,
    points: rule.points ?? 0,
    group: rule.group,
    conditions: rule.anyOf.map((condition) => ({ condition, test: compileCondition(condition) })),
  };
}

function compileCriterion(criterion: Criterion): CompiledCriterion {
  const ways = criterion.anyOf.map(
    (
      way,
    ): ((ctx: SignalContext, fired: ReadonlyMap<string, { what: string }>) => string | null) => {
      switch (way.type) {
        case 'property': {
          const test = compileCondition(way.when);
          const { property, object } = way.when;
          return (ctx) =>
            test(ctx)
              ? describeValue(
                  property,
                  (object === 'company' ? ctx.company : ctx.contact)[property],
                )
              : null;
        }
        case 'signal':
          return (_ctx, fired) => fired.get(way.signal)?.what ?? null;
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
              return `${way.object.slice(0, -1)} ${item.id}`;
            }
            return null;
          };
        }
        default: {
          const unreachable: never = way;
          throw new Error(`unknown criterion test ${JSON.stringify(unreachable)}`);
        }
      }
    },
  );
  return {
    criterion,
    check: (ctx, fired) => {
      for (const way of ways) {
        const evidence = way(ctx, fired);
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
  const compiled: CompiledModel = {
    model,
    fitRules: model.fit.rules.map(compileRule),
    signals: [
      ...model.engagement.signals.map((signal) => ({
        signal,
        kind: 'engagement' as const,
        evaluate: compileSignal(signal),
      })),
      ...model.negatives.map((signal) => ({
        signal,
        kind: 'negative' as const,
        evaluate: compileSignal(signal),
      })),
    ],
    disqualifiers: model.disqualifiers.map(compileRule),
    criteria: model.sql.criteria.map(compileCriterion),
    reads: collectReads(model),
  };
  if (useCache) cache.set(model, compiled);
  return compiled;
}
