import { randomUUID } from 'node:crypto';
import type { Redis } from '../redis';
import type { Keys } from '../storage/keys';
import type { RequestClass } from './request-class';

/**
 * A sliding window per portal in Redis, shared by every worker: a request takes a slot or
 * learns how long to wait. Redis's own clock (TIME) is used so workers on different machines
 * agree. Answers `{0, grantedAt}` when the slot was taken (Redis's time of the grant), else
 * `{ms to wait}`.
 *
 * Slots are also spread over the window: at most a tenth of the limit in any tenth of it. A
 * whole window's worth granted at once reaches HubSpot over however long it takes to send and
 * serve them, and the burst granted as those slots expire can then land inside HubSpot's window
 * with the tail of the first: a 429. Spread out, requests arrive as they were granted.
 *
 * Realtime before bulk: a realtime request (a person's change) marks the portal as having
 * realtime demand for a couple of seconds; while it does, bulk requests (a backfill) may take
 * only a share of the window and of each slice, so the slots that free up go to the person's
 * change first. With no realtime demand a backfill has the whole window.
 * KEYS: the bucket's zset, the portal's demand key. ARGV: window, limit, member, class, demand
 * ms, bulk share.
 */
const TAKE_RATE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local slice = window / 10
local perSlice = math.max(1, math.ceil(limit / 10))
if ARGV[4] == 'realtime' then
  redis.call('SET', KEYS[2], now, 'PX', tonumber(ARGV[5]))
elseif redis.call('EXISTS', KEYS[2]) == 1 then
  limit = math.max(1, math.floor(limit * tonumber(ARGV[6])))
  perSlice = math.max(1, math.floor(perSlice * tonumber(ARGV[6])))
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return { math.max(1, tonumber(oldest[2]) + window - now + 1) }
end
local since = '(' .. (now - slice)
if redis.call('ZCOUNT', KEYS[1], since, '+inf') >= perSlice then
  local first = redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  return { math.max(1, math.ceil(tonumber(first[2]) + slice - now + 1)) }
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return { 0, now }
`;

/** How long one realtime request keeps bulk requests to their share. */
const DEMAND_MS = 2_000;
/** The share of a window (and of each tenth of it) bulk requests get while realtime ones wait. */
const BULK_SHARE = 0.5;

export interface Bucket {
  limit: number;
  windowMs: number;
}

/**
 * HubSpot allows OAuth apps 100 requests per 10 s per portal and search 5 per second
 * (https://developers.hubspot.com/docs/api/usage-details). Requests reach HubSpot a little after
 * they are granted here, so the windows are a little longer than HubSpot's: never an overrun.
 */
export const HUBSPOT_BUCKETS = {
  burst: { limit: 100, windowMs: 10_600 },
  search: { limit: 4, windowMs: 1_100 },
} as const satisfies Record<string, Bucket>;

/**
 * Something the caller holds around each try for a slot, and gives back while it waits for the
 * next (the request gate's place among a portal's requests in flight): a request waiting for the
 * limit keeps nothing from the others.
 */
interface SlotHold {
  enter(): Promise<void>;
  leave(): void;
}

export interface RateLimiter {
  /**
   * Waits until a slot of `bucket` is free for `portalId`; resolves with the ms waited and
   * when the slot was granted (Redis's clock: the time the limiter's decisions are made on).
   */
  acquire(
    portalId: number,
    bucket: keyof typeof HUBSPOT_BUCKETS,
    cls?: RequestClass,
    hold?: SlotHold,
  ): Promise<{ waited: number; grantedAt: number }>;
}

export function createRateLimiter(
  redis: Redis,
  keys: Keys,
  buckets: Record<keyof typeof HUBSPOT_BUCKETS, Bucket> = HUBSPOT_BUCKETS,
): RateLimiter {
  redis.defineCommand('lqTakeSlot', { numberOfKeys: 2, lua: TAKE_RATE_SLOT });
  const take = (
    key: string,
    demand: string,
    bucket: Bucket,
    cls: RequestClass,
  ): Promise<[number, number?]> =>
    (
      redis as unknown as {
        lqTakeSlot(
          key: string,
          demand: string,
          window: number,
          limit: number,
          member: string,
          cls: RequestClass,
          demandMs: number,
          bulkShare: number,
        ): Promise<[number, number?]>;
      }
    ).lqTakeSlot(
      key,
      demand,
      bucket.windowMs,
      bucket.limit,
      randomUUID(),
      cls,
      DEMAND_MS,
      BULK_SHARE,
    );
  return {
    async acquire(portalId, name, cls = 'realtime', hold) {
      let waited = 0;
      for (;;) {
        await hold?.enter();
        let wait: number;
        let grantedAt: number | undefined;
        try {
          [wait, grantedAt] = await take(
            keys.rate(portalId, name),
            keys.rate(portalId, `${name}:realtime-demand`),
            buckets[name],
            cls,
          );
        } catch (error) {
          hold?.leave();
          throw error;
        }
        if (wait === 0) return { waited, grantedAt: grantedAt! };
        hold?.leave();
        waited += wait;
        await new Promise((r) => setTimeout(r, wait));
      }
    },
  };
}
