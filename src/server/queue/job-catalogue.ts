import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';

/**
 * A job is a name, the zod schema of its payload (ids only: never tokens or PII) and its
 * BullMQ options. Producers and the worker both go through the catalogue, so a payload is
 * validated when it is enqueued and again when it is run.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  schema: S;
  options: JobsOptions;
}

export type JobCatalogue = Record<string, JobDefinition>;

/** Retries with exponential backoff for the transient failures (429, 5xx, a Redis blip). */
export const RETRYING: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3_600 },
};
