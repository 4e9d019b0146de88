import express, { type Express, type Router } from 'express';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Redis } from '../redis';
import type { CredentialsAlarmStore } from '../storage/credentials-alarm';
import type { StateWatch } from '../storage/state-watch';
import { errorMiddleware, notFound } from './error-middleware';
import { healthRoutes } from './health-routes';
import { requestMetrics } from './request-metrics';

interface AppDeps {
  redis: Redis;
  logger: Logger;
  metrics: Metrics;
  /** Raised when HubSpot refuses our client credentials: /readyz reports it. */
  alarm: CredentialsAlarmStore;
  /** Notices Redis losing the app's data: /readyz reports it. */
  state?: StateWatch;
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
  // Signatures are checked against PUBLIC_BASE_URL (what HubSpot called), never the proxy-
  // forwarded protocol or host, so no proxy header is trusted.
  app.use(requestMetrics(deps.metrics));
  app.use(healthRoutes(deps));
  for (const router of deps.routers ?? []) app.use(router);
  app.use(notFound);
  app.use(errorMiddleware(deps.logger.child({ component: 'http' })));
  return app;
}
