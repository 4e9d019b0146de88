import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { ClientRejectedError } from '../hubspot/oauth-client';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Redis } from '../redis';
import type { JobHandler } from './job-scope';
import { toJobError } from './run-job';
import { RunLater } from './run-later';
import type { JobCatalogue } from './job-catalogue';

interface WorkerOptions {
  connection: Redis;
  queueName: string;
  prefix: string;
  concurrency: number;
  /** BullMQ lock: a crashed worker's job is taken over once it lapses. */
  lockDurationMs?: number;
  logger: Logger;
  metrics?: Metrics;
  catalogue: JobCatalogue;
  handlers: Record<string, JobHandler>;
  /** Called once a job has failed for good (out of attempts, or unrecoverable). */
  onFailedForGood?: (job: Job, error: Error) => Promise<void>;
  /** How long a job waits while HubSpot refuses the app's client credentials. */
  credentialsRetryMs: number;
}

/** A BullMQ worker that validates each payload against the catalogue before running it. */
export function createWorker(options: WorkerOptions): Worker {
  const logger = options.logger.child({ component: 'worker' });
  const worker = new Worker(
    options.queueName,
    async (job, token) => {
      const definition = options.catalogue[job.name];
      const handler = options.handlers[job.name];
      if (!definition || !handler)
        throw new UnrecoverableError(`unknown job "${job.name}": no handler in the catalogue`);
      const payload = definition.schema.safeParse(job.data);
      if (!payload.success)
        throw new UnrecoverableError(`invalid payload for "${job.name}": ${payload.error.message}`);
      const stop = options.metrics?.jobDuration.startTimer({ job: job.name });
      try {
        const result = await handler(payload.data as never, job);
        stop?.({ outcome: 'done' });
        return result;
      } catch (error) {
        if (error instanceof RunLater && token !== undefined) {
          stop?.({ outcome: 'later' });
          await job.moveToDelayed(Date.now() + error.delayMs, token);
          throw new DelayedError();
        }
        if (error instanceof ClientRejectedError && token !== undefined) {
          // A bad deploy (the wrong client secret) is no fault of the job's: it waits, without
          // spending an attempt, for as long as the incident lasts, and runs once the right
          // configuration is back. Its portal's events stay queued behind it, none dropped.
          stop?.({ outcome: 'parked' });
          logger.warn(
            { jobId: job.id, job: job.name, retryInMs: options.credentialsRetryMs },
            'HubSpot refused the client credentials: job parked until they are fixed',
          );
          await job.moveToDelayed(Date.now() + options.credentialsRetryMs, token);
          throw new DelayedError();
        }
        stop?.({ outcome: 'failed' });
        throw toJobError(error);
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      autorun: true,
      ...(options.lockDurationMs
        ? {
            lockDuration: options.lockDurationMs,
            stalledInterval: Math.max(500, Math.floor(options.lockDurationMs / 2)),
          }
        : {}),
    },
  );
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  worker.on('failed', (job, error) => {
    if (!job) return;
    const forGood =
      error instanceof UnrecoverableError ||
      error.name === 'UnrecoverableError' ||
      job.attemptsMade >= (job.opts.attempts ?? 1);
    const portalId = (job.data as { portalId?: number }).portalId;
    logger[forGood ? 'error' : 'warn'](
      { jobId: job.id, job: job.name, portalId, attempts: job.attemptsMade, err: error.message },
      forGood ? 'job failed for good' : 'job failed, will retry',
    );
    if (forGood) void options.onFailedForGood?.(job, error);
  });
  return worker;
}
