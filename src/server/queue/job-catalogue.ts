import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/**
 * Every job: its name, the zod schema of its payload (ids only: never tokens or PII) and its
 * BullMQ options. Producers and the worker both go through the catalogue, so a payload is
 * validated when it is enqueued and again when it is run.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  schema: S;
  options: JobsOptions;
}

/** Retries with exponential backoff for the transient failures (429, 5xx, a Redis blip). */
const RETRY_WITH_BACKOFF: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3_600 },
};

/**
 * Bulk work (a backfill, a catch-up, a weekly check) goes after realtime work (a person's
 * change, "Rescore now", an SLA check): BullMQ hands out jobs without a priority before any job
 * with one, so a worker slot that frees up serves a person's change first, whatever the portal.
 */
const BULK: JobsOptions = { priority: 10 };

const portalId = z.number().int().positive();
const objectId = z.string().regex(/^\d+$/, 'a HubSpot object id');

export const JOB_CATALOGUE = {
  'setup-portal': { schema: z.object({ portalId }), options: { ...RETRY_WITH_BACKOFF, ...BULK } },
  'backfill-page': {
    schema: z.object({ portalId, runId: z.string().min(1), after: z.string().nullable() }),
    options: { ...RETRY_WITH_BACKOFF, ...BULK },
  },
  /** A page of a big portal's recently active contacts, scored before the rest. */
  'backfill-recent': {
    schema: z.object({
      portalId,
      runId: z.string().min(1),
      since: z.number().int().nonnegative(),
      afterId: objectId.nullable(),
      listed: z.number().int().nonnegative(),
    }),
    options: { ...RETRY_WITH_BACKOFF, ...BULK },
  },
  /** One contact, now (the card's "Rescore now"). */
  rescore: {
    schema: z.object({ portalId, contactId: objectId, reason: z.enum(['manual']) }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true, removeOnFail: true },
  },
  /** The contacts waiting in the portal's pending set, up to 100 per run (webhooks, sweep). */
  'rescore-pending': {
    schema: z.object({ portalId }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true, removeOnFail: true },
  },
  'engagement-created': {
    schema: z.object({
      portalId,
      objectType: z.enum(['calls', 'emails', 'meetings', 'notes', 'tasks']),
      objectId,
    }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true, removeOnFail: true },
  },
  /** The engagements logged since the last run: their contacts join the pending set. */
  'engagements-created': {
    schema: z.object({ portalId }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true, removeOnFail: true },
  },
  /** One contact deleted (queued by versions before deletions were gathered per batch). */
  'contact-deleted': {
    schema: z.object({ portalId, contactId: objectId }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true, removeOnFail: true },
  },
  /** The contacts one webhook batch says were deleted (or merged away) in a portal. */
  'contacts-deleted': {
    schema: z.object({ portalId, contactIds: z.array(objectId).min(1).max(1_000) }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true, removeOnFail: true },
  },
  /** A privacy deletion: every record of the contact is erased (runs without an installation). */
  'contact-erased': {
    schema: z.object({
      portalId,
      contactId: objectId,
      pass: z.union([z.literal(1), z.literal(2)]),
    }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true },
  },
  /** A rep accepted or rejected an SQL: write the feedback properties, then rescore. */
  'sql-feedback': {
    schema: z.object({ portalId, contactId: objectId, feedbackId: z.string().min(1) }),
    options: RETRY_WITH_BACKOFF,
  },
  /** Every contact again, after a publish or a rollback (a new backfill run). */
  'rescore-portal': {
    schema: z.object({ portalId, reason: z.enum(['published', 'rolled_back']) }),
    options: { ...RETRY_WITH_BACKOFF, ...BULK },
  },
  /** An uninstalled portal's data erased, once its retention is over (runs without an install). */
  'purge-portal': {
    schema: z.object({ portalId, installedAt: z.number().int().nonnegative() }),
    options: { ...RETRY_WITH_BACKOFF, ...BULK, removeOnComplete: true },
  },
  /** After a credentials incident: the contacts changed since it began, a search page a run. */
  'catch-up': {
    schema: z.object({
      portalId,
      since: z.number().int().nonnegative(),
      after: z.string().nullable(),
    }),
    options: { ...RETRY_WITH_BACKOFF, ...BULK },
  },
  /** A draft model replayed over the portal's stored facts, beside the active one. */
  preview: {
    schema: z.object({ portalId, previewId: z.string().regex(/^[a-z0-9-]+$/) }),
    options: { ...RETRY_WITH_BACKOFF, attempts: 3, removeOnComplete: true },
  },
  /** Learns a model from the portal's closed-won data and backtests it (an admin asked). */
  train: {
    schema: z.object({ portalId, trainingId: z.string().regex(/^[a-z0-9-]+$/) }),
    options: { ...RETRY_WITH_BACKOFF, attempts: 2, removeOnComplete: true },
  },
  /** Weekly: each grade's conversion now against its calibration; drift is flagged in settings. */
  'drift-check': {
    schema: z.object({ portalId }),
    options: { ...RETRY_WITH_BACKOFF, ...BULK, attempts: 3, removeOnComplete: true },
  },
  /** At an SQL's SLA due time: was it accepted, rejected or worked? If not, flag the breach. */
  'sla-check': {
    schema: z.object({ portalId, contactId: objectId, dueAt: z.number().int().positive() }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true },
  },
  /** A contact ready for sales becomes a HubSpot Lead (or task) for its routed owner. */
  'hand-off': {
    schema: z.object({ portalId, contactId: objectId }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true },
  },
  /** Leads changed in HubSpot (webhook): their stage is sales' answer. */
  'leads-changed': {
    schema: z.object({ portalId, leadIds: z.array(objectId).min(1).max(1_000) }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true },
  },
  /** Every open lead read again: the fallback for a lead webhook that never came. */
  'leads-sweep': {
    schema: z.object({ portalId }),
    options: { ...RETRY_WITH_BACKOFF, ...BULK, attempts: 3, removeOnComplete: true },
  },
  /** At a hand-off's first-touch due time: was the lead worked? If not, flag the breach. */
  'first-touch-check': {
    schema: z.object({ portalId, contactId: objectId, dueAt: z.number().int().positive() }),
    options: { ...RETRY_WITH_BACKOFF, removeOnComplete: true },
  },
  sweep: {
    schema: z.object({ portalId }),
    options: { ...RETRY_WITH_BACKOFF, attempts: 3, removeOnComplete: true },
  },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOB_CATALOGUE;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_CATALOGUE)[N]['schema']>;
export type JobCatalogue = Record<string, JobDefinition>;
