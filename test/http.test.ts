import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/http/create-app';
import { startServer, type RunningServer } from '../src/server/http/server';
import { createLogger } from '../src/server/logger';
import { createMetrics } from '../src/server/metrics';
import { createRedis, type Redis } from '../src/server/redis';
import { createCredentialsAlarmStore } from '../src/server/storage/credentials-alarm';
import { createKeys } from '../src/server/storage/keys';
import { redisUrl, uniquePrefix } from './support/redis';

function captureLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination: stream }) };
}

describe('health, readiness and metrics on a real server', () => {
  let redis: Redis;
  let server: RunningServer;

  beforeAll(async () => {
    redis = createRedis(redisUrl());
    const alarm = createCredentialsAlarmStore(
      redis,
      createKeys(uniquePrefix('http')),
      createMetrics(),
    );
    const app = createApp({ redis, logger: captureLogs().logger, metrics: createMetrics(), alarm });
    server = await startServer(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.stop();
    await redis.quit();
  });

  it('answers /healthz while the process is up', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz when Redis is reachable', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', redis: 'ok', hubspotCredentials: 'ok' });
  });

  it('exposes Prometheus metrics, including the requests it served', async () => {
    await fetch(`${server.url}/healthz`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(
      /lq_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers an unknown route with the JSON error shape', async () => {
    const res = await fetch(`${server.url}/nope?x=1`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /nope.' },
    });
  });
});

describe('readiness without Redis', () => {
  it('answers 503 with what to check, and logs it, when Redis cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there, so every command fails at once.
    const redis = createRedis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    redis.on('error', () => {});
    const { lines, logger } = captureLogs();
    const alarm = createCredentialsAlarmStore(
      redis,
      createKeys(uniquePrefix('http')),
      createMetrics(),
    );
    const server = await startServer(
      createApp({ redis, logger, metrics: createMetrics(), alarm }),
      {
        port: 0,
        host: '127.0.0.1',
      },
    );
    try {
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        error: {
          code: 'unavailable',
          message: 'Redis is not reachable: check REDIS_URL and that Redis is running.',
        },
      });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(lines.some((l) => l.level === 50 && l.component === 'http')).toBe(true);
    } finally {
      await server.stop();
      redis.disconnect();
    }
  });
});
