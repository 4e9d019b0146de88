import { createStateWatch } from '../storage/state-watch';
import type { Express } from 'express';
import { Gauge } from 'prom-client';
import type { Config } from '../config';
import { cardRoutes } from '../http/card-routes';
import { createApp } from '../http/create-app';
import { oauthRoutes } from '../http/oauth-routes';
import { queueDashboard } from '../http/queue-dashboard';
import { settingsRoutes } from '../http/settings-routes';
import { webhookRoutes } from '../http/webhook-routes';
import { createRedis, type Redis } from '../redis';
import { createHandOffStore } from '../storage/handoff-store';
import { createFeedbackStore } from '../storage/feedback-store';
import { createLifecycleStageStore } from '../storage/lifecycle-stage-store';
import { createModelStore } from '../storage/model-store';
import { createScoreStore } from '../storage/score-store';
import type { HubSpot, SharedOptions, Stores } from './shared';

/** The web role: OAuth, webhooks, the card and settings API, health and metrics. */
export function createWebRole(
  config: Config,
  stores: Stores,
  hubspot: HubSpot,
  options: SharedOptions,
): { app: Express; uiRedis: Redis } {
  const { logger, metrics, clock } = options;
  const { redis, keys, producer, alarm } = stores;
  // The card's reads: several small commands per request, sent together (one write, one
  // round trip) on a connection of their own, apart from the queue's.
  const uiRedis = createRedis(config.REDIS_URL, { enableAutoPipelining: true });
  uiRedis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
  const publicBaseUrl = config.PUBLIC_BASE_URL.replace(/\/$/, '');
  const signed = {
    publicBaseUrl,
    clientSecrets: [
      config.HUBSPOT_CLIENT_SECRET,
      ...(config.HUBSPOT_CLIENT_SECRET_PREVIOUS ? [config.HUBSPOT_CLIENT_SECRET_PREVIOUS] : []),
    ],
    appId: config.HUBSPOT_APP_ID,
    installations: stores.installations,
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

  // Looked at once now (a marker present at start counts as seen), then at every /readyz.
  const state = createStateWatch(redis, keys, logger);
  void state.lost().catch(() => undefined);
  const app = createApp({
    redis,
    logger,
    metrics,
    alarm,
    state,
    routers: [
      ...(config.ADMIN_PASSWORD ? [queueDashboard(producer.queue, config.ADMIN_PASSWORD)] : []),
      oauthRoutes({
        publicBaseUrl,
        authorizeUrl: config.HUBSPOT_AUTHORIZE_URL,
        clientId: config.HUBSPOT_CLIENT_ID,
        oauth: hubspot.oauth,
        alarm,
        redis,
        keys,
        installations: stores.installations,
        producer,
        logger,
        clock,
      }),
      webhookRoutes({
        ...signed,
        state,
        producer,
        pending: stores.pending,
        activity: stores.activity,
        metrics,
      }),
      cardRoutes({
        ...signed,
        scores: createScoreStore(uiRedis, keys),
        feedback: createFeedbackStore(uiRedis, keys),
        models: createModelStore(uiRedis, keys, clock),
        producer,
        stages: createLifecycleStageStore(uiRedis, keys),
        handOffs: createHandOffStore(uiRedis, keys),
      }),
      settingsRoutes({ ...signed, ...stores, crm: hubspot.crm, sales: hubspot.sales, logger }),
    ],
  });
  return { app, uiRedis };
}
