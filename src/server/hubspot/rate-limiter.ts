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
 * HubSpot counts a request when it arrives, some time after its slot was granted here (a busy
 * event loop, the network). So a slot counts from when its request was answered, which is after
 * it arrived: until then it is pending (scored in the future, so it never ages out of the
 * window), and `settle` moves it to the answer's time. A request that left late then cannot
 * put two windows' worth inside one of HubSpot's, and the window needs no margin for it.
 *
 * Grants are also paced: each is due a window / limit after the one before, and grants may run
 * ahead of that pace by a tenth of the limit, no more (GCRA). A backfill that paused (its pages
 * scoring) does not catch up in a rush: tried, it made the backfill 2-5 % faster but left
 * windows full until the rush aged out, and a person's change arriving then waited seconds for
 * it. Running ahead is what keeps the pace whole: a request that takes its due slot a little late
 * (its timer, a busy event loop) loses nothing, where counting grants per tenth of the window
 * lost that lateness on every slot (the backfill ran at 96 % of the limit).
 *
 * Realtime before bulk: a realtime request (a person's change) marks the portal as having
 * realtime demand for a couple of seconds; while it does, bulk requests (a backfill) may take
 * only a share of the window and run ahead of the pace by only that share of a tenth of the
 * limit, so the slots that free up go to the person's change first. With no realtime demand a
 * backfill has the whole window.
 * KEYS: the bucket's zset, the portal's demand key, the bucket's pace. ARGV: window,
 * limit, member, class, demand ms, bulk share, pending ms.
 */
const TAKE_RATE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local interval = window / limit
if ARGV[4] == 'realtime' then
  redis.call('SET', KEYS[2], now, 'PX', tonumber(ARGV[5]))
elseif redis.call('EXISTS', KEYS[2]) == 1 then
  limit = math.max(1, math.floor(limit * tonumber(ARGV[6])))
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, now - window)
-- A slot ages out a window after its time; a pending one (its request not answered
-- yet, scored in the future) when it is answered, soon: look again shortly.
local function untilFree(at, span)
  if at > now then return math.min(span, 25) end
  return math.max(1, math.ceil(at + span - now + 1))
end
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return { untilFree(tonumber(oldest[2]), window) }
end
-- The pace (KEYS[3]: when the next grant is due at the even pace, window / limit apart): grants
-- may run ahead of it by a tenth of the limit (that many at once), never more.
local early = math.max(1, math.floor(limit / 10)) * interval
local due = math.max(tonumber(redis.call('GET', KEYS[3]) or '0'), now)
if due - now > early - interval then
  return { math.max(1, math.ceil(due - now - early + interval)) }
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[7]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], window + tonumber(ARGV[7]))
redis.call('SET', KEYS[3], tostring(due + interval), 'PX', math.ceil(due + interval - now + early))
return { 0, now }
`;

/** A granted slot's request was answered: it counts from now (if it is still there). */
const SETTLE_RATE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
`;

/**
 * How long a granted slot stays pending at most: longer than any request takes (one whose
 * process died is counted until then, then ages out).
 */
const PENDING_MS = 60_000;

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
 * (https://developers.hubspot.com/docs/api/usage-details). A slot counts until a window after
 * its request was answered (see TAKE_RATE_SLOT), so the burst window is HubSpot's own plus 1 %:
 * for millisecond rounding, and for how HubSpot counts at the window's edge, which it does not
 * document (the margin costs a backfill 1 %). Search keeps a slot of its five in reserve.
 */
export const HUBSPOT_BUCKETS = {
  burst: { limit: 100, windowMs: 10_100 },
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
   * Waits until a slot of `bucket` is free for `portalId`; resolves with the ms waited, when
   * the slot was granted (Redis's clock: the time the limiter's decisions are made on), and
   * `settle`, to call once the request is answered (the slot counts from then).
   */
  acquire(
    portalId: number,
    bucket: keyof typeof HUBSPOT_BUCKETS,
    cls?: RequestClass,
    hold?: SlotHold,
  ): Promise<{ waited: number; grantedAt: number; settle(): Promise<void> }>;
}

export function createRateLimiter(
  redis: Redis,
  keys: Keys,
  buckets: Record<keyof typeof HUBSPOT_BUCKETS, Bucket> = HUBSPOT_BUCKETS,
): RateLimiter {
  redis.defineCommand('lqTakeSlot', { numberOfKeys: 3, lua: TAKE_RATE_SLOT });
  redis.defineCommand('lqSettleSlot', { numberOfKeys: 1, lua: SETTLE_RATE_SLOT });
  const settle = async (key: string, member: string): Promise<void> => {
    await (
      redis as unknown as { lqSettleSlot(key: string, member: string): Promise<number> }
    ).lqSettleSlot(key, member);
  };
  const take = (
    key: string,
    demand: string,
    bucket: Bucket,
    cls: RequestClass,
    member: string,
  ): Promise<[number, number?]> =>
    (
      redis as unknown as {
        lqTakeSlot(
          key: string,
          demand: string,
          pace: string,
          window: number,
          limit: number,
          member: string,
          cls: RequestClass,
          demandMs: number,
          bulkShare: number,
          pendingMs: number,
        ): Promise<[number, number?]>;
      }
    ).lqTakeSlot(
      key,
      demand,
      `${key}:pace`,
      bucket.windowMs,
      bucket.limit,
      member,
      cls,
      DEMAND_MS,
      BULK_SHARE,
      PENDING_MS,
    );
  return {
    async acquire(portalId, name, cls = 'realtime', hold) {
      let waited = 0;
      const key = keys.rate(portalId, name);
      const member = randomUUID();
      for (;;) {
        await hold?.enter();
        let wait: number;
        let grantedAt: number | undefined;
        try {
          [wait, grantedAt] = await take(
            key,
            keys.rate(portalId, `${name}:realtime-demand`),
            buckets[name],
            cls,
            member,
          );
        } catch (error) {
          hold?.leave();
          throw error;
        }
        if (wait === 0) return { waited, grantedAt: grantedAt!, settle: () => settle(key, member) };
        hold?.leave();
        waited += wait;
        await new Promise((r) => setTimeout(r, wait));
      }
    },
  };
}
