import { decodeKey, type Config } from '../config';
import { createHubSpotCrm } from '../hubspot/hubspot-crm';
import { createOAuthClient } from '../hubspot/oauth-client';
import { createRateLimiter, HUBSPOT_BUCKETS, type Bucket } from '../hubspot/rate-limiter';
import { createTokenManager } from '../hubspot/token-manager';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { createProducer } from '../queue/producer';
import { createRedis } from '../redis';
import { createActivityStore } from '../storage/activity-store';
import { createBackfillStore } from '../storage/backfill-store';
import { createCredentialsAlarmStore } from '../storage/credentials-alarm';
import { createDriftStore } from '../storage/drift-store';
import { createFailureLog } from '../storage/failure-log';
import { createFeedbackStore } from '../storage/feedback-store';
import { createHandOffStore } from '../storage/handoff-store';
import { createSalesCrm } from '../hubspot/sales-crm';
import { createInstallationStore } from '../storage/installation-store';
import { createKeys } from '../storage/keys';
import { createPropertyLabelStore } from '../storage/property-label-store';
import { createLifecycleStageStore } from '../storage/lifecycle-stage-store';
import type { RecentFirst } from '../queue/jobs/start-backfill';
import { createModelStore } from '../storage/model-store';
import { createPendingRescores } from '../storage/pending-rescores';
import { createPreviewStore } from '../storage/preview-store';
import { createScoreStore } from '../storage/score-store';
import { createStatusLog } from '../storage/status-log';
import { createTokenCipher } from '../storage/token-cipher';
import { createTrainingStore } from '../storage/training-store';

export interface SharedOptions {
  logger: Logger;
  metrics: Metrics;
  clock: () => number;
  eraseAgainAfterMs?: number;
  buckets?: Record<keyof typeof HUBSPOT_BUCKETS, Bucket>;
  /** How long a job waits while HubSpot refuses the app's client credentials. */
  credentialsRetryMs?: number;
  /** How long an uninstalled portal's data is kept before it is purged. */
  uninstalledRetentionMs?: number;
  /** When a backfill scores the recently active contacts first (tests make portals "big"). */
  recentFirst?: RecentFirst;
}

/** The stores on Redis, the queue's producer: what both roles read and write. */
export function createStores(config: Config, options: SharedOptions) {
  const { logger, clock } = options;
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
  const keys = createKeys(config.QUEUE_PREFIX);
  const cipher = createTokenCipher(decodeKey(config.TOKEN_ENCRYPTION_KEY)!);
  return {
    redis,
    keys,
    installations: createInstallationStore(redis, keys, cipher),
    models: createModelStore(redis, keys, clock),
    feedback: createFeedbackStore(redis, keys),
    handOffs: createHandOffStore(redis, keys),
    activity: createActivityStore(redis, keys),
    previews: createPreviewStore(redis, keys),
    statusLog: createStatusLog(redis, keys),
    trainings: createTrainingStore(redis, keys),
    drift: createDriftStore(redis, keys),
    scores: createScoreStore(redis, keys),
    backfills: createBackfillStore(redis, keys, clock),
    failures: createFailureLog(redis, keys),
    pending: createPendingRescores(redis, keys, clock),
    alarm: createCredentialsAlarmStore(redis, keys, options.metrics),
    stages: createLifecycleStageStore(redis, keys),
    labels: createPropertyLabelStore(redis, keys, clock),
    producer: createProducer(redis, config.QUEUE_PREFIX, {
      clock,
      eraseAgainAfterMs: options.eraseAgainAfterMs,
    }),
  };
}
export type Stores = ReturnType<typeof createStores>;

/** HubSpot: OAuth, the portals' tokens, the shared rate limit and the CRM calls. */
export function createHubSpot(config: Config, stores: Stores, options: SharedOptions) {
  const { logger, metrics, clock } = options;
  const oauth = createOAuthClient({
    basePath: config.HUBSPOT_API_BASE_URL,
    clientId: config.HUBSPOT_CLIENT_ID,
    clientSecret: config.HUBSPOT_CLIENT_SECRET,
    clock,
  });
  const tokens = createTokenManager({
    redis: stores.redis,
    keys: stores.keys,
    installations: stores.installations,
    oauth,
    alarm: stores.alarm,
    logger,
    clock,
    // The portal's data is kept for a while (a reinstall finds its models and history), then purged.
    onUninstalled: (portalId, installedAt) =>
      stores.producer.purgePortal(portalId, installedAt, options.uninstalledRetentionMs),
    // Every portal catches up on what changed while HubSpot refused us, webhooks or not.
    onCredentialsRestored: async (incident) => {
      for (const portalId of await stores.installations.activePortals())
        await stores.producer.catchUp(portalId, incident.since);
    },
  });
  const limiter = createRateLimiter(
    stores.redis,
    stores.keys,
    options.buckets ?? {
      ...HUBSPOT_BUCKETS,
      burst: { ...HUBSPOT_BUCKETS.burst, limit: config.HUBSPOT_BURST_LIMIT },
    },
  );
  const gate = { basePath: config.HUBSPOT_API_BASE_URL, tokens, limiter, metrics };
  const crm = createHubSpotCrm(gate);
  const sales = createSalesCrm(gate);
  return { oauth, tokens, crm, sales };
}
export type HubSpot = ReturnType<typeof createHubSpot>;
