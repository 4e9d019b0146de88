/**
 * What `qualify` returns: everything the card shows and every property a workflow reads. The
 * scoring model produces it, the score store keeps it, and the card reads it as it is.
 */
import { z } from 'zod';

/**
 * `ready`: the model finds the lead ready for sales (buying signal, fit and criteria); it becomes
 * an SQL when a rep accepts it (or at once, with the model's `sql.handOff: 'automatic'`).
 */
export const STATUSES = [
  'unscored',
  'lead',
  'mql',
  'ready',
  'sql',
  'disqualified',
  'recycled',
] as const;
export const statusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof statusSchema>;

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export const gradeSchema = z.enum(GRADES);
export type Grade = z.infer<typeof gradeSchema>;

export const ledgerEntrySchema = z.object({
  /** The rule or signal id in the model. */
  rule: z.string(),
  label: z.string(),
  kind: z.enum(['disqualifier', 'fit', 'engagement', 'negative']),
  /** Occurrences counted (after the frequency cap). */
  count: z.number(),
  /** Points before decay. */
  rawPoints: z.number(),
  /** Points after decay: what the score got. */
  points: z.number(),
  /** When it last happened (epoch ms), or null when the data has no date. */
  at: z.number().nullable(),
  /** What it saw, and when: "Demo request form, 3 days ago". */
  evidence: z.string(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const criterionResultSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** What met it, or for a missing criterion what would. */
  evidence: z.string(),
});
export type CriterionResult = z.infer<typeof criterionResultSchema>;

export const nextStepSchema = z.object({
  text: z.string(),
  /** Points it would add, when it is a scored signal. */
  points: z.number().nullable(),
  /** The status it would reach on its own, if any. */
  reaches: z.enum(['mql', 'ready', 'sql']).nullable(),
});
export type NextStep = z.infer<typeof nextStepSchema>;

export const lifecycleDecisionSchema = z.object({
  current: z.string().nullable(),
  /** The stage to write; equals `current` when nothing should change. */
  target: z.string().nullable(),
  change: z.enum(['none', 'forward', 'backward']),
});
export type LifecycleDecision = z.infer<typeof lifecycleDecisionSchema>;

export const qualificationSchema = z.object({
  contactId: z.string(),
  modelVersion: z.number(),
  status: statusSchema,
  /** Why the status is what it is, in one line. */
  reason: z.string(),
  score: z.number(),
  fitScore: z.number(),
  engagementScore: z.number(),
  grade: gradeSchema,
  /** Sums of the ledger's points (after decay), before rounding and clamping. */
  raw: z.object({ fit: z.number(), engagement: z.number(), total: z.number() }),
  lifecycle: lifecycleDecisionSchema,
  ledger: z.array(ledgerEntrySchema),
  buyingSignal: z.object({ met: z.boolean(), evidence: z.string().nullable() }),
  criteria: z.object({
    met: z.array(criterionResultSchema),
    missing: z.array(criterionResultSchema),
  }),
  next: z.array(nextStepSchema),
  /** Epoch ms of the latest activity of any kind, or null. */
  lastActivityAt: z.number().nullable(),
});
export type Qualification = z.infer<typeof qualificationSchema>;

/** When the lead reached MQL and SQL, and its follow-up deadline (as written to HubSpot). */
export const milestonesSchema = z.object({
  mqlAt: z.number().nullable(),
  /** When the model found it ready for sales (null for a record from before this was kept). */
  readyAt: z.number().nullable().default(null),
  sqlAt: z.number().nullable(),
  /** The SQL (or MQL) follow-up SLA's due time, and when it was breached. */
  slaDueAt: z.number().nullable(),
  slaBreachedAt: z.number().nullable(),
});
export type Milestones = z.infer<typeof milestonesSchema>;
/** A lead that has reached neither, or a record from before the dates were kept. */
export const NO_MILESTONES: Milestones = {
  mqlAt: null,
  readyAt: null,
  sqlAt: null,
  slaDueAt: null,
  slaBreachedAt: null,
};

/** One change of the lead's status, newest first on the card: when, from what, and why. */
export const statusChangeViewSchema = z.object({
  at: z.number(),
  from: statusSchema.nullable(),
  to: statusSchema,
  score: z.number(),
  reason: z.string(),
});
export type StatusChangeView = z.infer<typeof statusChangeViewSchema>;

/** A qualification as stored and shown: with when it was scored. */
export const scoredQualificationSchema = qualificationSchema.extend({ scoredAt: z.number() });
export type ScoredQualification = z.infer<typeof scoredQualificationSchema>;
