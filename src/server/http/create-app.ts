import express, { type Express, type Router } from 'express';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Redis } from '../redis';
import type { CredentialsAlarmStore } from '../storage/credentials-alarm';
import { errorMiddleware, notFound } from './error-middleware';
import { healthRoutes } from './health-routes';
import { requestMetrics } from './request-metrics';

export interface AppDeps {
  redis: Redis;
  logger: Logger;
  metrics: Metrics;
  /** Raised when HubSpot refuses our client credentials: /readyz reports it. */
  alarm: CredentialsAlarmStore;
  /** The product's routes (OAuth, webhooks, card and settings API); health is always there. */
  routers?: Router[];
}

/** Builds the Express app without listening: tests and main.ts both start it with `startServer`. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Every answer is fresh JSON for one signed request: hashing each body for an ETag no client
  // sends back is wasted work on the card's hot path.
  app.set('etag', false);
  // Behind a load balancer: trust the first proxy so req.protocol matches what HubSpot signed.
  app.set('trust proxy', 1);
  app.use(requestMetrics(deps.metrics));
  app.use(healthRoutes(deps));
  for (const router of deps.routers ?? []) app.use(router);
  app.use(notFound);
  app.use(errorMiddleware(deps.logger.child({ component: 'http' })));
  return app;
}
