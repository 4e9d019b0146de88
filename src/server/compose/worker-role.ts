import type { Worker } from 'bullmq';
import type { Config } from '../config';
import { probeCredentials } from '../hubspot/credentials-probe';
import { createWorker } from '../queue/create-worker';
import { JOB_CATALOGUE } from '../queue/job-catalogue';
import { JOBS } from '../queue/jobs';
import { RECENT_FIRST } from '../queue/jobs/start-backfill';
import { QUEUE_NAME } from '../queue/producer';
import { createJobRunner } from '../queue/run-job';
import { createRedis, type Redis } from '../redis';
import { createContactErasure } from '../storage/contact-erasure';
import type { HubSpot, SharedOptions, Stores } from './shared';

/** While the client credentials are refused, each job tries again this often. */
const CREDENTIALS_RETRY_MS = 30_000;

/** The worker role: the job runner, and BullMQ workers on connections of their own. */
export function createWorkerRole(
  config: Config,
  stores: Stores,
  hubspot: HubSpot,
  options: SharedOptions,
) {
  const { logger, metrics, clock } = options;
  const handlers = createJobRunner(
    {
      ...stores,
      crm: hubspot.crm,
      sales: hubspot.sales,
      logger,
      metrics,
      clock,
      erasure: createContactErasure(stores.redis, stores.keys),
      leaseMs: config.WORKER_LOCK_MS,
      recentFirst: options.recentFirst ?? {
        ...RECENT_FIRST,
        minContacts: config.BACKFILL_RECENT_FIRST_CONTACTS || Number.POSITIVE_INFINITY,
      },
    },
    JOBS,
  );
  const workers: Worker[] = [];
  const connections: Redis[] = [];
  let probed = false;
  return {
    /** Starts a worker; each call starts one more (BullMQ spreads jobs over them). */
    start(): Worker {
      if (!probed) {
        probed = true;
        void probeCredentials({ ...stores, tokens: hubspot.tokens, logger }).then(
          (outcome) => {
            if (outcome !== 'no incident') logger.info({ outcome }, 'credentials probed at start');
          },
          (error: unknown) => logger.warn({ err: String(error) }, 'credentials probe failed'),
        );
      }
      const connection = createRedis(config.REDIS_URL);
      connections.push(connection);
      const worker = createWorker({
        connection,
        queueName: QUEUE_NAME,
        prefix: config.QUEUE_PREFIX,
        concurrency: config.WORKER_CONCURRENCY,
        lockDurationMs: config.WORKER_LOCK_MS,
        logger,
        metrics,
        catalogue: JOB_CATALOGUE,
        handlers,
        credentialsRetryMs: options.credentialsRetryMs ?? CREDENTIALS_RETRY_MS,
        onFailedForGood: (job, error) =>
          stores.failures.record({
            at: clock(),
            job: job.name,
            portalId: (job.data as { portalId?: number }).portalId ?? null,
            data: job.data as Record<string, unknown>,
            error: error.message,
          }),
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      for (const c of connections) c.disconnect();
    },
  };
}
