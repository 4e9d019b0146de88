import { Router } from 'express';
import { AppError } from '../errors';
import type { Metrics } from '../metrics';
import { pingRedis, type Redis } from '../redis';

/** `/healthz`: the process is up. `/readyz`: it can reach Redis. `/metrics`: Prometheus. */
export function healthRoutes(deps: { redis: Redis; metrics: Metrics }): Router {
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
    res.json({ status: 'ready', redis: 'ok' });
  });
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}
