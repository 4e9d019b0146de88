import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from '../logger';
import type { Redis } from '../redis';
import type { JobCatalogue } from './job-catalogue';

export type JobHandler = (payload: unknown, job: Job) => Promise<unknown>;

export interface WorkerOptions {
  connection: Redis;
  queueName: string;
  prefix: string;
  concurrency: number;
  logger: Logger;
  catalogue: JobCatalogue;
  handlers: Record<string, JobHandler>;
}

/** A BullMQ worker that validates each payload against the catalogue before running it. */
export function createWorker(options: WorkerOptions): Worker {
  const logger = options.logger.child({ component: 'worker' });
  const worker = new Worker(
    options.queueName,
    async (job) => {
      const definition = options.catalogue[job.name];
      const handler = options.handlers[job.name];
      if (!definition || !handler) {
        throw new UnrecoverableError(`unknown job "${job.name}": no handler in the catalogue`);
      }
      const payload = definition.schema.safeParse(job.data);
      if (!payload.success) {
        throw new UnrecoverableError(`invalid payload for "${job.name}": ${payload.error.message}`);
      }
      return handler(payload.data, job);
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      autorun: true,
    },
  );
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  worker.on('failed', (job, error) =>
    logger.warn(
      { jobId: job?.id, job: job?.name, attempts: job?.attemptsMade, err: error },
      'job failed',
    ),
  );
  return worker;
}
