/*
 * The model's fields, each with its own checks (ranges, lengths, allowed values). The checks
 * that need the whole model are in cross-check-model.ts; model-schema.ts puts both together.
 */
import { z } from 'zod';

/**
 * The qualification model is data: admins edit it in the settings page, the trainer proposes
 * it, and every version is validated by this schema before it is stored or used.
 */

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'use lower-case letters, digits and _ (start with a letter)');
const label = z.string().trim().min(1, 'must not be empty').max(120, 'at most 120 characters');
const property = z
  .string()
  .regex(/^[a-z0-9_]{1,100}$/, 'must be a HubSpot internal property name (lower-case, digits, _)');
/**
 * A list a condition may hold empty: it then matches nothing (a list each portal fills in, such
 * as its competitors' domains). A negative operator's list may not: it would match everything.
 */
const openList = z
  .array(z.string().trim().min(1, 'must not be empty').max(500, 'at most 500 characters'))
  .max(2000, 'at most 2,000 values');
const textList = z
  .array(z.string().trim().min(1, 'must not be empty').max(500, 'at most 500 characters'))
  .min(1, 'list at least one value')
  .max(2000, 'at most 2,000 values');
const finite = z.number({ error: 'must be a number' }).refine(Number.isFinite, 'must be finite');
const positive = finite.refine((n) => n > 0, 'must be greater than 0');
/**
 * Points a rule or signal is worth. Bounded so that no sum of them loses precision or stalls
 * scoring: a score is 0–100, so a rule worth more than 1,000 points says nothing more.
 */
const points = finite
  .refine((n) => Math.abs(n) <= 1000, 'must be between -1,000 and 1,000')
  .refine((n) => n !== 0, 'must not be 0');
/** A number of days or hours: at least a minute's worth, at most ten years. */
const span = (unit: 'days' | 'hours', min: number, max: number) =>
  finite
    .refine((n) => n >= min, `must be at least ${min} ${min === 1 ? unit.slice(0, -1) : unit}`)
    .refine((n) => n <= max, `must be at most ${max.toLocaleString('en-US')} ${unit}`);
/** A list of rules or signals: a model of more than this many is not one a person can read. */
const listOf = <T extends z.ZodType>(item: T, what: string, max: number) =>
  z.array(item).max(max, `at most ${max} ${what}`);
/** A score or fit score threshold: scores run from 0 to 100. */
const percent = finite
  .refine((n) => n >= 0, 'must be 0 or more')
  .refine((n) => n <= 100, 'must be at most 100 (scores run from 0 to 100)');
/** Whether any one of a list of conditions must hold, or all of them. */
const conditionMatch = z.enum(['any', 'all']).default('any');

/** A test on one property; `object` says whose property it is when that is not implied. */
const propertyTest = <T extends z.ZodRawShape>(extra: T) =>
  z.discriminatedUnion('operator', [
    z.object({
      ...extra,
      property,
      operator: z.enum(['equals', 'not_equals']),
      value: z.union([z.string().trim().min(1, 'choose or type a value'), finite, z.boolean()]),
    }),
    z.object({
      ...extra,
      property,
      operator: z.enum(['in', 'contains', 'email_domain_in']),
      value: openList,
    }),
    z.object({
      ...extra,
      property,
      operator: z.enum(['not_in', 'not_contains']),
      value: textList,
    }),
    z.object({ ...extra, property, operator: z.enum(['gt', 'gte', 'lt', 'lte']), value: finite }),
    z.object({
      ...extra,
      property,
      operator: z.literal('between'),
      value: z
        .tuple([finite, finite])
        .refine(([min, max]) => min <= max, 'the first number must not exceed the second'),
    }),
    z.object({
      ...extra,
      property,
      operator: z.enum(['within_days', 'older_than_days']),
      value: positive,
    }),
    z.object({
      ...extra,
      property,
      operator: z.enum(['exists', 'not_exists', 'invalid_email']),
    }),
  ]);

export const engagementObjects = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;
export type EngagementObject = (typeof engagementObjects)[number];

export const engagementTestSchema = propertyTest({});
export const conditionSchema = propertyTest({ object: z.enum(['contact', 'company']) });

const engagementMatch = {
  object: z.enum(engagementObjects),
  match: z.enum(['all', 'any']).default('all'),
  where: listOf(engagementTestSchema, 'tests', 50).min(1, 'give at least one test'),
  /** The engagement's own date: its age drives decay and `withinDays`. */
  dateProperty: property.default('hs_timestamp'),
};

const signalSourceSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('contact'),
    /** The conditions; `match` says whether any one or all of them must hold. */
    anyOf: listOf(conditionSchema, 'conditions', 50).min(1, 'give at least one condition'),
    match: conditionMatch,
    /** When it happened; without one the signal does not decay. */
    dateProperty: property.optional(),
  }),
  z.object({ type: z.literal('count'), property, dateProperty: property.optional() }),
  z.object({ type: z.literal('form'), names: textList }),
  z.object({ type: z.literal('engagement'), ...engagementMatch }),
  z.object({ type: z.literal('inactivity'), days: span('days', 1, 3650) }),
]);

export const signalSchema = z.object({
  id,
  label,
  /** Points per occurrence before decay; negative for a negative signal. */
  points,
  /** Days after which an occurrence counts half; null = no decay. */
  halfLifeDays: span('days', 0.01, 3650).nullable().default(null),
  /** At most this many occurrences count (a frequency cap). */
  cap: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1,000')
    .default(1),
  source: signalSourceSchema,
  /** A contact with this signal never becomes MQL by score (e.g. unsubscribed). */
  blocksMql: z.boolean().default(false),
});

export const fitRuleSchema = z.object({
  id,
  label,
  points,
  /** Rules sharing a group are alternatives: only the first that matches counts. */
  group: id.optional(),
  /** The conditions; `match` says whether any one or all of them must hold. */
  anyOf: listOf(conditionSchema, 'conditions', 50).min(1, 'give at least one condition'),
  match: conditionMatch,
});

const disqualifierSchema = z.object({
  id,
  label,
  anyOf: listOf(conditionSchema, 'conditions', 50).min(1, 'give at least one condition'),
  match: conditionMatch,
});

const criterionTestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('property'), when: conditionSchema }),
  z.object({ type: z.literal('signal'), signal: id }),
  z.object({
    type: z.literal('engagement'),
    ...engagementMatch,
    withinDays: span('days', 0.01, 3650).optional(),
  }),
]);

export const criterionSchema = z.object({
  id,
  label,
  /** What a rep can do to meet it, shown in the card's next steps. */
  hint: label,
  anyOf: listOf(criterionTestSchema, 'ways', 20).min(1, 'give at least one way to meet it'),
});

export const DEFAULT_LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
] as const;

/** Which lifecycle stage each status moves a contact to, in a portal with HubSpot's stages. */
const DEFAULT_STAGE_MAPPING = {
  lead: 'lead',
  mql: 'marketingqualifiedlead',
  sql: 'salesqualifiedlead',
} as const;

const stageValue = z
  .string()
  .min(1, 'choose a stage, or none')
  .max(100, 'at most 100 characters')
  .nullable();

export const modelShape = z.object({
  version: z.number().int('must be a whole number').min(1, 'must be at least 1'),
  name: label,
  description: z.string().max(2000).optional(),
  fit: z.object({
    /** The points an ideal profile earns: the fit score is fit points over this, in %. */
    maxPoints: positive.refine((n) => n <= 100_000, 'must be at most 100,000'),
    /**
     * Points every contact starts with (a learned model's offset: what the rules add to), shown
     * as a ledger line of its own. 0: none.
     */
    startingPoints: finite
      .refine((n) => Math.abs(n) <= 1000, 'must be between -1,000 and 1,000')
      .default(0),
    rules: listOf(fitRuleSchema, 'fit rules', 500),
  }),
  engagement: z.object({
    /** The engagement points that make an engagement score of 100. */
    maxPoints: positive.refine((n) => n <= 100_000, 'must be at most 100,000'),
    signals: listOf(signalSchema, 'engagement signals', 200),
  }),
  negatives: listOf(signalSchema, 'negative signals', 200),
  disqualifiers: listOf(disqualifierSchema, 'disqualifiers', 200),
  /** Minimum fit score for each grade; below C is D. */
  grades: z.object({ A: percent, B: percent, C: percent }),
  mql: z.object({ minScore: percent, minFit: percent }),
  sql: z.object({
    /** Groups of signal ids: the contact shows buying intent when every signal of a group fired. */
    buyingSignals: listOf(
      z.array(id).min(1, 'a group needs a signal').max(20, 'at most 20 signals'),
      'combinations',
      100,
    ),
    criteria: listOf(criterionSchema, 'criteria', 50),
    minCriteria: z.number().int('must be a whole number').min(0, 'must not be negative'),
    minFit: percent,
    /**
     * Who makes an SQL: `rep_accepts` (the default) — the model marks the lead ready for sales
     * and it becomes an SQL when a rep accepts it; `automatic` — the model makes it an SQL.
     */
    handOff: z.enum(['rep_accepts', 'automatic']).default('rep_accepts'),
    /** A buying signal counts for SQL while its latest occurrence is this recent. */
    buyingWindowDays: span('days', 1, 3650).default(90),
  }),
  slaHours: span('hours', 0.001, 8760),
  /** Which qualifications start a follow-up SLA: SQLs only, or MQLs too. */
  slaFor: z.enum(['sql', 'mql_and_sql']).default('sql'),
  recycleDays: span('days', 1, 3650),
  lifecycle: z.object({
    /**
     * The portal's stages in order (HubSpot lets admins reorder, add and remove them). Scoring
     * uses the portal's list as read from HubSpot; this one stands in until it is known.
     */
    stages: z
      .array(z.string().min(1))
      .min(1, 'list the stages in order')
      .default([...DEFAULT_LIFECYCLE_STAGES]),
    /**
     * The stage (internal value) each status moves a contact to; null: that status writes no
     * stage. Defaults: HubSpot's standard stages.
     */
    mapping: z
      .object({
        lead: stageValue,
        mql: stageValue,
        sql: stageValue,
      })
      .default({ ...DEFAULT_STAGE_MAPPING }),
    /** Move a recycled contact back to `lead` (clears, then sets: HubSpot ignores a backward set). */
    recycleMovesBack: z.boolean().default(false),
  }),
});
