import { Router } from 'express';
import { AppError } from '../errors';
import type { Metrics } from '../metrics';
import { pingRedis, type Redis } from '../redis';
import type { CredentialsAlarmStore } from '../storage/credentials-alarm';
import type { StateWatch } from '../storage/state-watch';

/**
 * `/healthz`: the process is up. `/readyz`: it can reach Redis and HubSpot accepts the app's
 * client credentials (a wrong id or secret stops every portal's refreshes). `/metrics`.
 */
export function healthRoutes(deps: {
  redis: Redis;
  metrics: Metrics;
  alarm: CredentialsAlarmStore;
  state?: StateWatch;
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (!(await pingRedis(deps.redis))) {
      throw new AppError(
        'unavailable',
        'Redis is not reachable: check REDIS_URL and that Redis is running.',
      );
    }
    const lost = await deps.state?.lost();
    if (lost) throw new AppError('unavailable', lost);
    const alarm = await deps.alarm.read();
    if (alarm)
      throw new AppError(
        'unavailable',
        `HubSpot refuses this deployment's client credentials since ${new Date(alarm.since).toISOString()} (${alarm.message}): set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET to the values in the app's Auth tab. No portal was uninstalled; refreshes resume once HubSpot accepts them.`,
      );
    res.json({ status: 'ready', redis: 'ok', hubspotCredentials: 'ok' });
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}
