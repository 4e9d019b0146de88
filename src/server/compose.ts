import type { Worker } from 'bullmq';
import type { Express } from 'express';
import type { Config } from './config';
import type { HUBSPOT_BUCKETS, Bucket } from './hubspot/rate-limiter';
import type { CrmPort } from './hubspot/crm-port';
import type { OAuthClient } from './hubspot/oauth-client';
import type { TokenManager } from './hubspot/token-manager';
import { createLogger, type Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import type { Producer } from './queue/producer';
import type { Redis } from './redis';
import type { BackfillStore } from './storage/backfill-store';
import type { CredentialsAlarmStore } from './storage/credentials-alarm';
import type { FeedbackStore } from './storage/feedback-store';
import type { InstallationStore } from './storage/installation-store';
import type { Keys } from './storage/keys';
import type { ModelStore } from './storage/model-store';
import type { ScoreStore } from './storage/score-store';
import { createHubSpot, createStores, type SharedOptions } from './compose/shared';
import { createWebRole } from './compose/web-role';
import { createWorkerRole } from './compose/worker-role';
import type { RecentFirst } from './queue/jobs/start-backfill';

export interface RuntimeOptions {
  logger?: Logger;
  metrics?: Metrics;
  clock?: () => number;
  /** When a privacy deletion's second erase pass runs (tests shorten it). */
  eraseAgainAfterMs?: number;
  /** HubSpot's rate-limit windows; tests and benchmarks scale them with the sandbox's. */
  buckets?: Record<keyof typeof HUBSPOT_BUCKETS, Bucket>;
  /**
   * While HubSpot refuses the app's client id or secret (a bad deploy), each job waits this
   * long and tries again, however long the incident lasts (default 30 s; tests shorten it).
   */
  credentialsRetryMs?: number;
  /**
   * How long an uninstalled portal's data (models, scores, facts, feedback, funnel) is kept,
   * for a reinstall to find it, before it is purged (default 30 days; tests shorten it).
   */
  uninstalledRetentionMs?: number;
  /** When a backfill scores the recently active contacts first (default: RECENT_FIRST). */
  recentFirst?: RecentFirst;
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
  /** The web role's Express app (not listening), built the first time it is asked for. */
  readonly app: Express;
  /** Starts a worker; each call starts one more (BullMQ spreads jobs over them). */
  startWorker(): Worker;
  close(): Promise<void>;
}

/**
 * The composition root: the stores and HubSpot built once from the configuration; the web
 * role (Express, its own pipelined Redis connection) and the worker role (the job runner,
 * BullMQ workers) only when the process runs them.
 */
export function createRuntime(config: Config, options: RuntimeOptions = {}): Runtime {
  const shared: SharedOptions = {
    logger: options.logger ?? createLogger({ level: config.LOG_LEVEL }),
    metrics: options.metrics ?? createMetrics(),
    // The one clock of the process: every store, route and job gets this one.
    clock: options.clock ?? Date.now,
    ...(options.eraseAgainAfterMs !== undefined
      ? { eraseAgainAfterMs: options.eraseAgainAfterMs }
      : {}),
    ...(options.buckets ? { buckets: options.buckets } : {}),
    ...(options.uninstalledRetentionMs !== undefined
      ? { uninstalledRetentionMs: options.uninstalledRetentionMs }
      : {}),
    ...(options.credentialsRetryMs !== undefined
      ? { credentialsRetryMs: options.credentialsRetryMs }
      : {}),
    ...(options.recentFirst !== undefined ? { recentFirst: options.recentFirst } : {}),
  };
  const stores = createStores(config, shared);
  const hubspot = createHubSpot(config, stores, shared);
  let web: ReturnType<typeof createWebRole> | null = null;
  let worker: ReturnType<typeof createWorkerRole> | null = null;

  return {
    config,
    logger: shared.logger,
    metrics: shared.metrics,
    redis: stores.redis,
    keys: stores.keys,
    producer: stores.producer,
    installations: stores.installations,
    models: stores.models,
    scores: stores.scores,
    feedback: stores.feedback,
    backfills: stores.backfills,
    alarm: stores.alarm,
    ...hubspot,
    get app() {
      web ??= createWebRole(config, stores, hubspot, shared);
      return web.app;
    },
    startWorker() {
      worker ??= createWorkerRole(config, stores, hubspot, shared);
      return worker.start();
    },
    async close() {
      await worker?.close();
      await stores.producer.close();
      await stores.redis.quit().catch(() => stores.redis.disconnect());
      if (web) await web.uiRedis.quit().catch(() => web?.uiRedis.disconnect());
    },
  };
}
