import type { Worker } from 'bullmq';
import type { Express } from 'express';
import { decodeKey, type Config } from './config';
import { createHubSpotCrm } from './hubspot/hubspot-crm';
import type { CrmPort } from './hubspot/crm-port';
import { createOAuthClient, type OAuthClient } from './hubspot/oauth-client';
import { createRateLimiter, HUBSPOT_BUCKETS, type Bucket } from './hubspot/rate-limiter';
import { createTokenManager, type TokenManager } from './hubspot/token-manager';
import { Gauge } from 'prom-client';
import { cardRoutes } from './http/card-routes';
import { createApp } from './http/create-app';
import { settingsRoutes } from './http/settings-routes';
import { queueDashboard } from './http/queue-dashboard';
import { oauthRoutes } from './http/oauth-routes';
import { webhookRoutes } from './http/webhook-routes';
import { createLogger, type Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { createWorker } from './queue/create-worker';
import { JOBS } from './queue/jobs';
import { createJobRunner } from './queue/run-job';
import { JOB_CATALOGUE } from './queue/job-catalogue';
import { createProducer, QUEUE_NAME, type Producer } from './queue/producer';
import { createRedis, type Redis } from './redis';
import { createBackfillStore, type BackfillStore } from './storage/backfill-store';
import { createActivityStore } from './storage/activity-store';
import { createFailureLog } from './storage/failure-log';
import { createFeedbackStore, type FeedbackStore } from './storage/feedback-store';
import { createPreviewStore } from './storage/preview-store';
import { createStatusLog } from './storage/status-log';
import { createTrainingStore } from './storage/training-store';
import { createDriftStore } from './storage/drift-store';
import { createInstallationStore, type InstallationStore } from './storage/installation-store';
import { createKeys, type Keys } from './storage/keys';
import { createModelStore, type ModelStore } from './storage/model-store';
import { createPendingRescores } from './storage/pending-rescores';
import { createContactErasure } from './storage/contact-erasure';
import { createLifecycleStageStore } from './storage/lifecycle-stage-store';
import {
  createCredentialsAlarmStore,
  type CredentialsAlarmStore,
} from './storage/credentials-alarm';
import { createScoreStore, type ScoreStore } from './storage/score-store';
import { createTokenCipher } from './storage/token-cipher';

export interface RuntimeOptions {
  logger?: Logger;
  metrics?: Metrics;
  clock?: () => number;
  /** When a privacy deletion's second erase pass runs (tests shorten it). */
  eraseAgainAfterMs?: number;
  /** HubSpot's rate-limit windows; tests and benchmarks scale them with the sandbox's. */
  buckets?: Record<keyof typeof HUBSPOT_BUCKETS, Bucket>;
}

export interface Runtime {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  redis: Redis;
  keys: Keys;
  producer: Producer;
  installations: InstallationStore;
  models: ModelStore;
  scores: ScoreStore;
  feedback: FeedbackStore;
  backfills: BackfillStore;
  tokens: TokenManager;
  oauth: OAuthClient;
  alarm: CredentialsAlarmStore;
  crm: CrmPort;
  /** The web role's Express app (not listening). */
  app: Express;
  /** Starts a worker; each call starts one more (BullMQ spreads jobs over them). */
  startWorker(): Worker;
  close(): Promise<void>;
}

/** The composition root: every dependency built once from the configuration. */
export function createRuntime(config: Config, options: RuntimeOptions = {}): Runtime {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const metrics = options.metrics ?? createMetrics();
  const clock = options.clock ?? Date.now;
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
  const keys = createKeys(config.QUEUE_PREFIX);
  // The card's reads: several small commands per request, sent together (one write, one
  // round trip) on a connection of their own, apart from the queue's.
  const uiRedis = createRedis(config.REDIS_URL, { enableAutoPipelining: true });
  uiRedis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
  const cipher = createTokenCipher(decodeKey(config.TOKEN_ENCRYPTION_KEY)!);
  const installations = createInstallationStore(redis, keys, cipher);
  const models = createModelStore(redis, keys, clock);
  const feedback = createFeedbackStore(redis, keys);
  const activity = createActivityStore(redis, keys);
  const previews = createPreviewStore(redis, keys);
  const statusLog = createStatusLog(redis, keys);
  const trainings = createTrainingStore(redis, keys);
  const drift = createDriftStore(redis, keys);
  const scores = createScoreStore(redis, keys);
  const backfills = createBackfillStore(redis, keys, clock);
  const failures = createFailureLog(redis, config.QUEUE_PREFIX);
  const producer = createProducer(redis, config.QUEUE_PREFIX, {
    eraseAgainAfterMs: options.eraseAgainAfterMs,
  });
  const pending = createPendingRescores(redis, keys, clock);
  const oauth = createOAuthClient({
    basePath: config.HUBSPOT_API_BASE_URL,
    clientId: config.HUBSPOT_CLIENT_ID,
    clientSecret: config.HUBSPOT_CLIENT_SECRET,
    clock,
  });
  const alarm = createCredentialsAlarmStore(redis, keys);
  const stages = createLifecycleStageStore(redis, keys);
  const tokens = createTokenManager({
    redis,
    keys,
    installations,
    oauth,
    alarm,
    metrics,
    logger,
    clock,
  });
  const limiter = createRateLimiter(
    redis,
    keys,
    options.buckets ?? {
      ...HUBSPOT_BUCKETS,
      burst: { ...HUBSPOT_BUCKETS.burst, limit: config.HUBSPOT_BURST_LIMIT },
    },
  );
  const crm = createHubSpotCrm({ basePath: config.HUBSPOT_API_BASE_URL, tokens, limiter, metrics });
  const base = config.PUBLIC_BASE_URL.replace(/\/$/, '');
  const clientSecrets = [
    config.HUBSPOT_CLIENT_SECRET,
    ...(config.HUBSPOT_CLIENT_SECRET_PREVIOUS ? [config.HUBSPOT_CLIENT_SECRET_PREVIOUS] : []),
  ];
  const signed = {
    publicBaseUrl: base,
    clientSecrets,
    appId: config.HUBSPOT_APP_ID,
    installations,
    logger,
    clock,
  };

  // Queue depth by state, read when /metrics is scraped.
  new Gauge({
    name: 'lq_queue_jobs',
    help: 'Jobs in the queue by state.',
    labelNames: ['state'],
    registers: [metrics.registry],
    async collect() {
      const counts = await producer.queue.getJobCounts(
        'waiting',
        'delayed',
        'active',
        'failed',
        'prioritized',
      );
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });

  const app = createApp({
    redis,
    logger,
    metrics,
    alarm,
    routers: [
      ...(config.ADMIN_PASSWORD ? [queueDashboard(producer.queue, config.ADMIN_PASSWORD)] : []),
      oauthRoutes({
        publicBaseUrl: base,
        authorizeUrl: config.HUBSPOT_AUTHORIZE_URL,
        clientId: config.HUBSPOT_CLIENT_ID,
        oauth,
        alarm,
        metrics,
        redis,
        keys,
        installations,
        producer,
        logger,
        clock,
      }),
      webhookRoutes({
        publicBaseUrl: base,
        clientSecrets,
        appId: config.HUBSPOT_APP_ID,
        producer,
        pending,
        activity,
        installations,
        logger,
        metrics,
        clock,
      }),
      cardRoutes({
        ...signed,
        scores: createScoreStore(uiRedis, keys),
        feedback: createFeedbackStore(uiRedis, keys),
        models: createModelStore(uiRedis, keys, clock),
        producer,
        stages: createLifecycleStageStore(uiRedis, keys),
      }),
      settingsRoutes({
        ...signed,
        models,
        scores,
        previews,
        feedback,
        activity,
        backfills,
        crm,
        producer,
        failures,
        pending,
        statusLog,
        trainings,
        drift,
        alarm,
        stages,
      }),
    ],
  });

  const workers: Worker[] = [];
  const connections: Redis[] = [];
  const handlers = createJobRunner(
    {
      crm,
      models,
      scores,
      logger,
      metrics,
      clock,
      redis,
      keys,
      producer,
      installations,
      backfills,
      pending,
      feedback,
      activity,
      previews,
      statusLog,
      trainings,
      drift,
      erasure: createContactErasure(redis, keys),
      stages,
    },
    JOBS,
  );

  return {
    config,
    logger,
    metrics,
    redis,
    keys,
    producer,
    installations,
    models,
    scores,
    feedback,
    backfills,
    tokens,
    oauth,
    alarm,
    crm,
    app,
    startWorker() {
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
        onFailedForGood: (job, error) =>
          failures.record({
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
      await producer.close();
      for (const c of connections) c.disconnect();
      await redis.quit().catch(() => redis.disconnect());
      await uiRedis.quit().catch(() => uiRedis.disconnect());
    },
  };
}
