import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../src/server/compose';
import { loadConfig } from '../src/server/config';
import { createLogger } from '../src/server/logger';
import { deleteKeys, redisUrl, uniquePrefix } from './support/redis';

const prefix = uniquePrefix('compose');
const runtimes: Runtime[] = [];
afterAll(async () => {
  if (runtimes.length === 0) return;
  const redis = runtimes[0]!.redis.duplicate();
  for (const r of runtimes) await r.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

const runtime = () => {
  const r = createRuntime(
    loadConfig({
      NODE_ENV: 'development',
      PUBLIC_BASE_URL: 'https://leads.example.com',
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: prefix,
      HUBSPOT_CLIENT_ID: '0c2f2f1e-7c3f-4b8e-9a59-2d6b8e3a1f00',
      HUBSPOT_CLIENT_SECRET: randomBytes(18).toString('hex'),
      HUBSPOT_APP_ID: '7',
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    }),
    { logger: createLogger({ level: 'silent' }) },
  );
  runtimes.push(r);
  return r;
};

describe('each process builds only the roles it runs', () => {
  it('a worker process builds no web app; the web app is built when the web role asks for it', async () => {
    const worker = runtime();
    worker.startWorker();
    // The web role registers the queue-depth gauge with its /metrics; the worker has none.
    expect(worker.metrics.registry.getSingleMetric('lq_queue_jobs')).toBeUndefined();
    const web = runtime();
    expect(typeof web.app).toBe('function');
    expect(web.metrics.registry.getSingleMetric('lq_queue_jobs')).toBeDefined();
    expect(web.app).toBe(web.app);
  });
});
