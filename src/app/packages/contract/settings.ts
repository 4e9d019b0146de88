/**
 * What the settings page reads and sends: the model editor, previews, trainings, drift, sync
 * health, the funnel and sales feedback. Each schema names the route it belongs to.
 */
import { handOffViewSchema } from './handoff';
import { z } from 'zod';
import { actorSchema, recordIdSchema } from './common';
import { feedbackStatsSchema } from './feedback';
import { engagementObjects, modelShape } from './model';

/**
 * A model as an answer carries it: each field checked, not the cross-checks against the portal,
 * which a stored model may no longer pass (a lifecycle stage the portal removed since): the form
 * shows such a model and names the problem when it is saved or previewed.
 */
const shownModel = modelShape;
import { gradeSchema, statusSchema } from './qualification';

const count = z.number().int().nonnegative();
const note = (empty: string) => z.string().trim().min(1, empty).max(500, 'at most 500 characters');
const baseVersion = z.number().int().min(1, 'the version the draft was started from');

// --- The model: versions, the draft, what changed ---

export const versionInfoSchema = z.object({
  version: z.number().int(),
  name: z.string(),
  publishedAt: z.number(),
  /** Null for the model the product ships with. */
  publishedBy: actorSchema.nullable(),
  note: z.string(),
});
export type VersionInfo = z.infer<typeof versionInfoSchema>;

export const modelEventSchema = z.object({
  at: z.number(),
  action: z.enum(['installed', 'published', 'rolled_back']),
  version: z.number().int(),
  /** The version that was active before. */
  from: z.number().int().nullable(),
  by: actorSchema.nullable(),
  note: z.string(),
});
export type ModelEvent = z.infer<typeof modelEventSchema>;

export const draftSchema = z.object({
  model: shownModel,
  updatedAt: z.number(),
  updatedBy: actorSchema,
  /** The active version the draft was edited from: publishing over a newer one is refused. */
  baseVersion: z.number().int(),
});
export type Draft = z.infer<typeof draftSchema>;

/** `GET /api/settings/model`, and the answer to every change of the draft or the versions. */
export const modelViewSchema = z.object({
  active: z.object({ version: z.number().int(), model: shownModel }),
  draft: draftSchema.nullable(),
  versions: z.array(versionInfoSchema),
  history: z.array(modelEventSchema),
  /** The portal's lifecycle stages: internal value → label, in the portal's order. */
  stageLabels: z.record(z.string(), z.string()),
});
export type ModelView = z.infer<typeof modelViewSchema>;

/** `GET /api/settings/versions/:version`: one stored version, to compare with the active one. */
export const versionViewSchema = z.object({ info: versionInfoSchema, model: shownModel });
export type VersionView = z.infer<typeof versionViewSchema>;

/** `POST /api/settings/publish` (201): the version made, and the model view after it. */
export const publishedViewSchema = modelViewSchema.extend({ published: versionInfoSchema });
export type PublishedView = z.infer<typeof publishedViewSchema>;

/** `PUT /api/settings/draft`: the model is checked field by field by the server (`model`). */
export const saveDraftRequestSchema = z.object({ model: z.unknown(), baseVersion });
export type SaveDraftRequest = z.input<typeof saveDraftRequestSchema>;

/**
 * `POST /api/settings/previews`: what the form holds now, saved or not (`model`), or a stored
 * version to roll back to (`version`).
 */
export const previewRequestSchema = z
  .object({
    model: z.unknown().optional(),
    version: z.number().int().min(1, 'a version from the versions list').optional(),
  })
  .refine((b) => (b.model === undefined) !== (b.version === undefined), {
    message: 'send the model to preview, or the version to roll back to (one of them)',
  });
export type PreviewRequest = z.input<typeof previewRequestSchema>;

/** `POST /api/settings/publish`. */
export const publishRequestSchema = z.object({
  baseVersion,
  note: note('say what changed and why'),
  /** The preview of exactly this draft: nothing is published unseen. */
  previewId: recordIdSchema,
});
export type PublishRequest = z.input<typeof publishRequestSchema>;

/** `POST /api/settings/rollback`. */
export const rollbackRequestSchema = z.object({
  version: z.number().int().min(1, 'a version from the versions list'),
  note: note('say why you roll back'),
  /** The preview of this rollback: what it changes, seen before it is done. */
  previewId: recordIdSchema,
});
export type RollbackRequest = z.input<typeof rollbackRequestSchema>;

// --- The account's properties, for the form's pickers ---

export const propertySummarySchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  fieldType: z.string(),
  groupName: z.string(),
  options: z.array(z.object({ label: z.string(), value: z.string() })),
});
export type PropertySummary = z.infer<typeof propertySummarySchema>;

/** `GET /api/settings/properties`. */
export const propertiesViewSchema = z.object({
  contacts: z.array(propertySummarySchema),
  companies: z.array(propertySummarySchema),
  /** Each engagement type's properties (calls, e-mails, meetings, notes, tasks). */
  engagements: z.record(z.enum(engagementObjects), z.array(propertySummarySchema)),
  /** Lists that could not be read, and why (an install from before a scope was added). */
  warnings: z.array(z.string()),
});
export type PropertiesView = z.infer<typeof propertiesViewSchema>;

// --- Previews: what a draft would change, before it is published ---

const scoreStatus = z.object({ score: z.number(), status: statusSchema, grade: z.string() });

export const previewSampleSchema = z.object({
  contactId: z.string(),
  /** The domain of the contact's e-mail address (never the address: it is not kept). */
  domain: z.string().nullable(),
  /** The contact's name as HubSpot holds it, read for the answer (never stored). */
  contactName: z.string().nullable().optional(),
  before: scoreStatus,
  after: scoreStatus,
  /** Rules whose points changed, biggest first: what made the difference. */
  reasons: z.array(
    z.object({ rule: z.string(), label: z.string(), before: z.number(), after: z.number() }),
  ),
  /** Why the new status is what it is. */
  why: z.string(),
});
export type PreviewSample = z.infer<typeof previewSampleSchema>;

export const previewResultSchema = z.object({
  contacts: count,
  distribution: z.object({ before: z.array(count), after: z.array(count) }),
  statuses: z.object({ before: z.record(z.string(), count), after: z.record(z.string(), count) }),
  /** from → to → count, only for contacts whose status changes. */
  transitions: z.array(z.object({ from: statusSchema, to: statusSchema, count })),
  up: count,
  down: count,
  /** Status changes between equals: lead ↔ recycled. */
  sideways: count,
  scoreChanged: count,
  /** Mean score before and after. */
  meanScore: z.object({ before: z.number(), after: z.number() }),
  /**
   * Contacts whose lifecycle stage the change would move forward, by the stage they move to.
   * HubSpot stages only move forward: a later rollback does not move them back.
   */
  lifecycleForward: z.array(z.object({ stage: z.string(), count })).default([]),
  samples: z.array(previewSampleSchema),
});
export type PreviewResult = z.infer<typeof previewResultSchema>;

/** `POST /api/settings/previews` (202) and `GET /api/settings/previews/:previewId`. */
export const previewRecordSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  requestedAt: z.number(),
  by: actorSchema,
  activeVersion: z.number().int(),
  draft: shownModel,
  done: count,
  total: count,
  /** Properties the draft reads that the stored facts do not hold yet (read once published). */
  unsynced: z.array(z.string()),
  result: previewResultSchema.nullable(),
  error: z.string().nullable(),
  /** A rollback's preview: the version it would make active again (null: the form's model). */
  rollbackTo: z.number().int().nullable().default(null),
});
export type PreviewRecord = z.infer<typeof previewRecordSchema>;

// --- Trainings: a model learned from the account's own outcomes ---

const gradeCalibrationSchema = z.object({
  grade: gradeSchema,
  /** Contacts of this grade in the test period. */
  count,
  /** Conversion rate of this grade in the training period: what the grade promises. */
  predicted: z.number().nullable(),
  /** Conversion rate of this grade in the test period: what it delivered. */
  observed: z.number().nullable(),
});

export const modelMetricsSchema = z.object({
  /** Area under the ROC curve of the score (ties count half). */
  auc: z.number(),
  /** Conversion rate of the top 10% by score over the overall rate. */
  topDecileLift: z.number(),
  /** Share of all conversions the model flagged as MQL or SQL. */
  conversionsCaptured: z.number(),
  /** Share of all contacts flagged as MQL or SQL. */
  flaggedShare: z.number(),
  calibration: z.array(gradeCalibrationSchema),
  /** Cumulative gains: the share of conversions among the top 10%, 20%, … 100% by score. */
  gains: z.array(z.number()),
});
export type ModelMetrics = z.infer<typeof modelMetricsSchema>;

const period = z.object({ rows: count, positives: count, from: z.string(), to: z.string() });

export const trainReportSchema = z.object({
  rows: count,
  positives: count,
  features: z.object({ considered: count, rules: count, signals: count, negatives: count }),
  mqlThreshold: z.number(),
  backtest: z.object({
    split: z.literal('time'),
    train: period,
    test: period,
    proposed: modelMetricsSchema,
    active: modelMetricsSchema.extend({ modelVersion: z.number().int() }),
  }),
  fit: z.object({ iterations: count, converged: z.boolean() }),
});
export type TrainReport = z.infer<typeof trainReportSchema>;

/** `POST /api/settings/trainings` (202) and `GET /api/settings/trainings/:trainingId`. */
export const trainingRecordSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'refused', 'failed']),
  requestedAt: z.number(),
  by: actorSchema,
  /** Labelled contacts found (converted, not converted), and those left out (deal open). */
  labels: z.object({ positives: count, negatives: count, open: count }).nullable(),
  report: trainReportSchema.nullable(),
  model: shownModel.nullable(),
  /** Why it was refused (too little data: how much more is needed) or failed. */
  message: z.string().nullable(),
});
export type TrainingRecord = z.infer<typeof trainingRecordSchema>;

// --- Drift: do the grades still convert as they did ---

export const driftReportSchema = z.object({
  at: z.number(),
  modelVersion: z.number().int(),
  /** The snapshot this one is compared with: the first under the same model version. */
  baselineAt: z.number().nullable(),
  grades: z.array(
    z.object({
      grade: gradeSchema,
      count,
      rate: z.number().nullable(),
      baselineRate: z.number().nullable(),
    }),
  ),
  drifted: z.boolean(),
  findings: z.array(z.object({ grade: gradeSchema.nullable(), message: z.string() })),
});
export type DriftReport = z.infer<typeof driftReportSchema>;
export type DriftFinding = DriftReport['findings'][number];

/** `GET /api/settings/drift`: the latest check's report, or null before the first. */
export const driftViewSchema = z.object({ report: driftReportSchema.nullable() });
export type DriftView = z.infer<typeof driftViewSchema>;

/** `POST /api/settings/drift-checks` (202). */
export const queuedSchema = z.object({ queued: z.literal(true) });

// --- Sync health ---

const lastProblem = z.object({
  count,
  lastAt: z.number().nullable(),
  lastProblem: z.string().nullable(),
});

export const portalActivitySchema = z.object({
  lastWebhookAt: z.number().nullable(),
  webhookEvents: count,
  /** Webhook event to rescored, over the recent rescores (ms). */
  rescoreLatency: z.object({ count, p50: z.number().nullable(), p95: z.number().nullable() }),
  /** Webhook events we could not read and skipped: how many, and the latest one's problem. */
  skippedEvents: lastProblem,
  /** Writes HubSpot refused (a value, a contact), left out so the rest was written. */
  refusedWrites: lastProblem,
  /** SQL follow-up SLAs checked at their due time: met (worked in time) or breached. */
  sla: z.object({ met: count, breached: count }),
});
export type PortalActivity = z.infer<typeof portalActivitySchema>;

export const failureRecordSchema = z.object({
  at: z.number(),
  job: z.string(),
  portalId: z.number().nullable(),
  /** The job's ids (never tokens or PII: payloads carry ids only). */
  data: z.record(z.string(), z.unknown()),
  error: z.string(),
});
export type FailureRecord = z.infer<typeof failureRecordSchema>;

/** `GET /api/settings/health`. */
export const healthViewSchema = z.object({
  now: z.number(),
  installation: z
    .object({ status: z.enum(['active', 'uninstalled']), installedAt: z.number() })
    .nullable(),
  backfill: z
    .object({
      status: z.enum(['running', 'done']),
      done: count,
      written: count,
      total: count,
      startedAt: z.number(),
      finishedAt: z.number(),
      /** Contacts scored so far (in either phase), per second, and the expected finish. */
      scored: count,
      ratePerSecond: z.number().nullable(),
      etaAt: z.number().nullable(),
      /**
       * `recent`: a big portal's recently active contacts (active since `recent.since`) are
       * scored first, then every other contact (`all`, in id order).
       */
      phase: z.enum(['recent', 'all']),
      recent: z
        .object({
          since: z.number(),
          total: count,
          done: count,
          /** When every one was scored (null: not yet), and when that is expected meanwhile. */
          finishedAt: z.number().nullable(),
          etaAt: z.number().nullable(),
        })
        .nullable(),
    })
    .nullable(),
  activity: portalActivitySchema,
  scoredContacts: count,
  /** Jobs for this portal that failed for good: errors needing attention, newest first. */
  failures: z.array(failureRecordSchema),
  /** Contacts changed in HubSpot and waiting to be rescored. */
  rescores: z.object({ pending: count, processing: count }),
  /** HubSpot refuses the app's client credentials (a deployment problem): since when, why. */
  credentialsProblem: z.object({ since: z.number(), message: z.string() }).nullable(),
});
export type HealthView = z.infer<typeof healthViewSchema>;

// --- The funnel ---

const share = z.number().nullable();

export const funnelSegmentSchema = z.object({
  leads: count,
  mqls: count,
  sqls: count,
  /** Shares of the segment's leads that reached MQL, and of its MQLs that reached SQL. */
  leadToMql: share,
  mqlToSql: share,
  /** Median days from the contact's creation to its first MQL / SQL. */
  medianDaysToMql: z.number().nullable(),
  medianDaysToSql: z.number().nullable(),
  /** SQLs now at opportunity or beyond, and of those the customers. */
  opportunities: count,
  won: count,
  sqlToOpportunity: share,
  winRate: share,
});
export type FunnelSegment = z.infer<typeof funnelSegmentSchema>;

export const funnelSchema = z.object({
  overall: funnelSegmentSchema,
  /** By the month the lead arrived (its creation, or its first scoring), oldest first. */
  byPeriod: z.array(funnelSegmentSchema.extend({ period: z.string() })),
  bySource: z.array(funnelSegmentSchema.extend({ source: z.string() })),
  byChannel: z.array(funnelSegmentSchema.extend({ channel: z.enum(['inbound', 'outbound']) })),
});
export type Funnel = z.infer<typeof funnelSchema>;

/** `GET /api/settings/funnel`. */
export const funnelViewSchema = z.object({
  funnel: funnelSchema,
  /** SQL acceptance and rejection reasons. */
  feedback: feedbackStatsSchema,
  sla: z.object({ met: count, breached: count }),
  /** Speed to lead: hand-offs to sales and their first touch (see the hand-off). */
  speedToLead: handOffViewSchema.shape.firstTouch,
  /** Status changes recorded (what the funnel is computed from). */
  changes: count,
});
export type FunnelView = z.infer<typeof funnelViewSchema>;
