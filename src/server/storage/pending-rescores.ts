import type { Redis } from '../redis';
import type { Keys } from './keys';

/**
 * Moves up to N contacts from pending to processing, each with a lease; first puts back any
 * whose lease lapsed (a worker died holding them). Returns the contact ids taken.
 */
const TAKE_PENDING_WITH_LEASE = `
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, m in ipairs(lapsed) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZINCRBY', KEYS[1], 1, m)
end
local items = redis.call('ZRANGE', KEYS[1], 0, n - 1)
for _, m in ipairs(items) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZADD', KEYS[2], now + lease, m)
end
return items
`;

/**
 * Adds contacts to pending (counting re-adds), keeps the first time each change happened, and
 * notes when each change reached us (forgetting those older than the window).
 * ARGV: now, the window's start, then contact id and occurredAt or "" (unknown) for each contact.
 */
const ADD_PENDING = `
local now = ARGV[1]
local recent = {}
for i = 3, #ARGV, 2 do
  redis.call('ZINCRBY', KEYS[1], 1, ARGV[i])
  if ARGV[i + 1] ~= '' then redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) end
  recent[#recent + 1] = now
  recent[#recent + 1] = ARGV[i]
  if #recent >= 1000 then
    redis.call('ZADD', KEYS[3], unpack(recent))
    recent = {}
  end
end
if #recent > 0 then redis.call('ZADD', KEYS[3], unpack(recent)) end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[2])
return (#ARGV - 2) / 2
`;

/**
 * A run admitted if fewer than ARGV[3] are in progress (lapsed leases dropped first).
 * ARGV: now, lease ms, max, run id. Answers 1 when admitted.
 */
const ENTER_RUN = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[4])
  return 1
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
`;

/**
 * How long a change is remembered for the backfill: a page that read its contacts before a
 * change reached us re-queues them (see `changedSince`); a page slower than this re-queues all.
 */
export const RECENT_CHANGES_MS = 15 * 60_000;

interface PendingItem {
  contactId: string;
  /** When HubSpot says the change happened (epoch ms), for the freshness metric. */
  occurredAt?: number;
}

/**
 * Contacts waiting to be rescored, per portal. The webhook route adds ids (one round trip for a
 * whole batch); a debounced job takes up to 100 and rescores them with HubSpot's batch
 * endpoints. An id re-added while it is being processed goes back to pending and is done again;
 * an id held by a worker that died is put back when its lease lapses. Nothing is dropped.
 */
export function createPendingRescores(redis: Redis, keys: Keys, clock: () => number) {
  redis.defineCommand('lqTakePending', { numberOfKeys: 2, lua: TAKE_PENDING_WITH_LEASE });
  redis.defineCommand('lqAddPending', { numberOfKeys: 3, lua: ADD_PENDING });
  redis.defineCommand('lqEnterRun', { numberOfKeys: 1, lua: ENTER_RUN });
  const scripts = redis as unknown as {
    lqTakePending(
      pending: string,
      processing: string,
      now: number,
      lease: number,
      n: number,
    ): Promise<string[]>;
    lqEnterRun(
      runs: string,
      now: number,
      lease: number,
      max: number,
      runId: string,
    ): Promise<number>;
    lqAddPending(
      pending: string,
      events: string,
      recent: string,
      ...nowAndIdsAndTimes: string[]
    ): Promise<number>;
  };
  /** New engagements whose contacts are to be found: one set member each, `type:id`. */
  async function addEngagements(
    portalId: number,
    items: ReadonlyArray<{ objectType: string; objectId: string }>,
  ): Promise<void> {
    if (items.length === 0) return;
    await redis.sadd(
      keys.pendingEngagements(portalId),
      ...items.map((i) => `${i.objectType}:${i.objectId}`),
    );
  }
  return {
    /**
     * Adds contacts in one command (a script: a webhook batch is one round trip and one command
     * to build, not two per contact); the first occurredAt of each is kept.
     */
    async add(portalId: number, items: PendingItem[]): Promise<void> {
      if (items.length === 0) return;
      const now = clock();
      const args: string[] = [String(now), String(now - RECENT_CHANGES_MS)];
      for (const item of items)
        args.push(item.contactId, item.occurredAt === undefined ? '' : String(item.occurredAt));
      await scripts.lqAddPending(
        keys.pending(portalId),
        keys.events(portalId),
        keys.recentChanges(portalId),
        ...args,
      );
    },
    /**
     * Of `contactIds`, those a change named at or after `since` (epoch ms, this server's clock):
     * a backfill page that read them at `since` may have written older values than the change's.
     */
    async changedSince(
      portalId: number,
      contactIds: readonly string[],
      since: number,
    ): Promise<string[]> {
      if (contactIds.length === 0) return [];
      const at = await redis.zmscore(keys.recentChanges(portalId), ...contactIds);
      return contactIds.filter((_, i) => at[i] !== null && Number(at[i]) >= since);
    },
    take: (portalId: number, n: number, leaseMs: number) =>
      scripts.lqTakePending(keys.pending(portalId), keys.processing(portalId), clock(), leaseMs, n),
    /** Done with these: drop their leases and hand back when each change first happened. */
    /** Extends the lease on contacts a run still holds (ones already handed back stay so). */
    async extend(portalId: number, contactIds: readonly string[], leaseMs: number): Promise<void> {
      if (contactIds.length === 0) return;
      const until = clock() + leaseMs;
      await redis.zadd(
        keys.processing(portalId),
        'XX',
        ...contactIds.flatMap((id) => [until, id] as const),
      );
    },
    async complete(portalId: number, contactIds: string[]): Promise<Array<number | null>> {
      if (contactIds.length === 0) return [];
      const [, [, firsts]] = (await redis
        .multi()
        .zrem(keys.processing(portalId), ...contactIds)
        .hmget(keys.events(portalId), ...contactIds)
        .hdel(keys.events(portalId), ...contactIds)
        .exec()) as [unknown, [unknown, Array<string | null>], unknown];
      return firsts.map((v) => (v === null ? null : Number(v)));
    },
    addEngagements,
    /** Takes up to `n` new engagements (a run that fails puts them back, `returnEngagements`). */
    async takeEngagements(
      portalId: number,
      n: number,
    ): Promise<Array<{ objectType: string; objectId: string }>> {
      const taken = (await redis.spop(keys.pendingEngagements(portalId), n)) ?? [];
      return taken.map((m) => {
        const at = m.indexOf(':');
        return { objectType: m.slice(0, at), objectId: m.slice(at + 1) };
      });
    },
    /** Puts back what a run took and could not read (its retry reads them). */
    returnEngagements: (
      portalId: number,
      items: ReadonlyArray<{ objectType: string; objectId: string }>,
    ) => addEngagements(portalId, items),
    engagementsWaiting: (portalId: number) => redis.scard(keys.pendingEngagements(portalId)),
    /**
     * Admits one more run of `kind` for the portal if fewer than `max` are in progress (each
     * held until `leave`, or its lease lapses if its worker died): one portal's burst cannot
     * take every worker slot while its jobs wait for its rate limit.
     */
    async enterRun(
      portalId: number,
      kind: string,
      runId: string,
      max: number,
      leaseMs: number,
    ): Promise<boolean> {
      return (
        Number(
          await scripts.lqEnterRun(keys.runs(portalId, kind), clock(), leaseMs, max, runId),
        ) === 1
      );
    },
    async extendRun(portalId: number, kind: string, runId: string, leaseMs: number) {
      await redis
        .multi()
        .zadd(keys.runs(portalId, kind), 'XX', clock() + leaseMs, runId)
        .pexpire(keys.runs(portalId, kind), leaseMs)
        .exec();
    },
    async leaveRun(portalId: number, kind: string, runId: string): Promise<void> {
      await redis.zrem(keys.runs(portalId, kind), runId);
    },
    async counts(
      portalId: number,
    ): Promise<{ pending: number; processing: number; nextLeaseEnd: number | null }> {
      const [pending, processing, first] = await Promise.all([
        redis.zcard(keys.pending(portalId)),
        redis.zcard(keys.processing(portalId)),
        redis.zrange(keys.processing(portalId), 0, 0, 'WITHSCORES'),
      ]);
      return { pending, processing, nextLeaseEnd: first[1] ? Number(first[1]) : null };
    },
  };
}
export type PendingRescores = ReturnType<typeof createPendingRescores>;
