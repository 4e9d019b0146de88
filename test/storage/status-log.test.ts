import { afterAll, describe, expect, it } from 'vitest';
import type { StatusChange } from '../../src/server/domain/funnel';
import { createRedis } from '../../src/server/redis';
import { createKeys } from '../../src/server/storage/keys';
import { createStatusLog, STATUS_LOG_KEEP_MS } from '../../src/server/storage/status-log';
import { deleteKeys, redisUrl, uniquePrefix } from '../support/redis';

const prefix = uniquePrefix('status-log');
const redis = createRedis(redisUrl());
const keys = createKeys(prefix);
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

const DAY = 86_400_000;
const change = (contactId: string, at: number): StatusChange => ({
  contactId,
  from: 'lead',
  to: 'mql',
  at,
  modelVersion: 1,
  source: 'change',
  origin: null,
  channel: 'inbound',
  createdAt: at - 30 * DAY,
});

describe('the status log the funnel reads', () => {
  it('keeps two years of changes: older ones go as new ones are written, the rest stay in order', async () => {
    const log = createStatusLog(redis, keys);
    const now = Date.parse('2026-12-01T00:00:00Z');
    // Three years of changes, one a month, written as they happened.
    for (let m = 36; m >= 1; m--) await log.add(1, [change(`c${m}`, now - m * 30 * DAY)]);
    await log.add(1, [change('today', now)]);
    const kept = await log.all(1);
    expect(kept.every((c) => c.at >= now - STATUS_LOG_KEEP_MS)).toBe(true);
    expect(kept.map((c) => c.contactId)).toEqual([
      ...Array.from({ length: 24 }, (_, k) => `c${24 - k}`),
      'today',
    ]);
    // Another portal's log is its own.
    await log.add(2, [change('x', now - 3 * 365 * DAY)]);
    expect((await log.all(2)).map((c) => c.contactId)).toEqual(['x']);
    expect((await log.all(1)).length).toBe(25);
  });
});
