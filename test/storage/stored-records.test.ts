import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, type Redis } from '../../src/server/redis';
import { createFeedbackStore } from '../../src/server/storage/feedback-store';
import { createKeys } from '../../src/server/storage/keys';
import { createModelStore } from '../../src/server/storage/model-store';
import { createScoreStore } from '../../src/server/storage/score-store';
import { createStatusLog } from '../../src/server/storage/status-log';
import { StoredRecordError } from '../../src/server/storage/stored-json';
import { deleteKeys, redisUrl, uniquePrefix } from '../support/redis';

let redis: Redis;
const prefix = uniquePrefix('stored');
const keys = createKeys(prefix);
beforeAll(() => {
  redis = createRedis(redisUrl());
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

/**
 * Stored JSON is read back with the schema it was written under: a record of another shape
 * (an older version's, a hand edit) fails where it is read, naming the record and the field,
 * instead of travelling on as `undefined`.
 */
describe('stored records are parsed with their schema, not cast', () => {
  it('a feedback record with a decision the app never writes', async () => {
    await redis.hset(keys.feedbackLatest(1), '7', JSON.stringify({ id: 'a', decision: 'maybe' }));
    const error = await createFeedbackStore(redis, keys)
      .latest(1, '7')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoredRecordError);
    expect(String(error)).toMatch(/feedback record: .*decision/);
  });

  it("a score without the fields the card reads, and a status log entry that isn't JSON", async () => {
    await redis.set(keys.score(1, '8'), JSON.stringify({ contactId: '8', score: 'high' }));
    await expect(createScoreStore(redis, keys).get(1, '8')).rejects.toThrow(
      /portal 1 contact 8 score: .*score/,
    );
    await redis.rpush(keys.statusLog(1), '{not json');
    await expect(createStatusLog(redis, keys).all(1)).rejects.toThrow(
      /portal 1 status log: stored value is not JSON/,
    );
  });

  it('model history and version entries are checked too', async () => {
    await redis.lpush(keys.modelLog(2), JSON.stringify({ at: 1, action: 'deleted', version: 1 }));
    await expect(createModelStore(redis, keys, () => 0).history(2)).rejects.toThrow(
      /portal 2 model history: .*action/,
    );
  });

  it('well-formed records read back as written, extra fields left out', async () => {
    const record = {
      id: 'f1',
      contactId: '9',
      decision: 'rejected' as const,
      reason: 'no_budget' as const,
      note: '',
      by: { userId: 3, userEmail: null },
      at: 5,
      modelVersion: 1,
      score: 80,
      grade: 'A' as const,
      status: 'sql' as const,
      rules: ['demo'],
    };
    const store = createFeedbackStore(redis, keys);
    await store.add(3, record);
    expect(await store.latest(3, '9')).toEqual(record);
    await redis.hset(keys.feedbackLatest(3), '9', JSON.stringify({ ...record, extra: 1 }));
    expect(await store.latest(3, '9')).toEqual(record);
  });
});
