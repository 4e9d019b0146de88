import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDashboard } from '../../src/server/http/queue-dashboard';
import { createApp } from '../../src/server/http/create-app';
import { startServer, type RunningServer } from '../../src/server/http/server';
import { createLogger } from '../../src/server/logger';
import { createMetrics } from '../../src/server/metrics';
import { createCredentialsAlarmStore } from '../../src/server/storage/credentials-alarm';
import { createKeys } from '../../src/server/storage/keys';
import { createProducer } from '../../src/server/queue/producer';
import { createRedis, type Redis } from '../../src/server/redis';
import { deleteKeys, redisUrl, uniquePrefix } from '../support/redis';

let redis: Redis;
let server: RunningServer;
let producer: ReturnType<typeof createProducer>;
const prefix = uniquePrefix('dashboard');

beforeAll(async () => {
  redis = createRedis(redisUrl());
  producer = createProducer(redis, prefix, { clock: Date.now });
  const app = createApp({
    redis,
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics(),
    alarm: createCredentialsAlarmStore(redis, createKeys(prefix), createMetrics()),
    routers: [queueDashboard(producer.queue, 'a-long-admin-password')],
  });
  server = await startServer(app, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.stop();
  await producer.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

describe('the queue dashboard', () => {
  it('is behind the admin password', async () => {
    expect((await fetch(`${server.url}/admin/queues`)).status).toBe(401);
    const wrong = Buffer.from('admin:guess').toString('base64');
    expect(
      (await fetch(`${server.url}/admin/queues`, { headers: { authorization: `Basic ${wrong}` } }))
        .status,
    ).toBe(401);
    const right = Buffer.from('admin:a-long-admin-password').toString('base64');
    const page = await fetch(`${server.url}/admin/queues`, {
      headers: { authorization: `Basic ${right}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  });
});
