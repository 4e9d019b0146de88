import type { Redis } from '../redis';
import type { Keys } from './keys';

export interface BackfillProgress {
  runId: string;
  status: 'running' | 'done';
  /** The `after` cursor of the next page to list: `start`, a HubSpot cursor, or `end`. */
  cursor: string;
  done: number;
  written: number;
  total: number;
  startedAt: number;
  finishedAt: number;
  /** Pages listed (claimed) and pages finished. */
  listed: number;
  pages: number;
  /**
   * `recent`: the recently active contacts are scored first (a big portal), then `all` in id
   * order, which skips the ones scored already.
   */
  phase: 'recent' | 'all';
  /**
   * The recently active contacts (active since `since`), when they go first: how many (as
   * search counted them until all are listed), how many scored, when all were (0: not yet).
   */
  recent: { since: number; total: number; done: number; finishedAt: number } | null;
  /** Contacts the pass in id order counted as done because the recent phase scored them. */
  skipped: number;
}

/** A page is claimed when it is listed: the cursor moves on, so the next page can start at once. */
const CLAIM = `
if redis.call('HGET', KEYS[1], 'runId') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'cursor') ~= ARGV[2] then return 2 end
redis.call('HSET', KEYS[1], 'cursor', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'listed', 1)
return 1`;

/**
 * A page is counted once, when it is finished (with the contacts it skipped as scored first);
 * the run is done when every listed page is.
 */
const COMPLETE = `
if redis.call('HGET', KEYS[1], 'runId') ~= ARGV[1] then return 0 end
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 2 end
redis.call('HINCRBY', KEYS[1], 'done', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'written', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'skipped', ARGV[6])
local pages = redis.call('HINCRBY', KEYS[1], 'pages', 1)
if redis.call('HGET', KEYS[1], 'cursor') == 'end' and pages == tonumber(redis.call('HGET', KEYS[1], 'listed')) then
  redis.call('HSET', KEYS[1], 'status', 'done', 'finishedAt', ARGV[5])
  redis.call('DEL', KEYS[3])
  return 3
end
return 1`;

/** The recently active contacts are all scored once every one listed is. */
const RECENT_FINISHED = `
local function finished(now)
  if redis.call('HGET', KEYS[1], 'phase') == 'all'
    and tonumber(redis.call('HGET', KEYS[1], 'recentDone')) >= tonumber(redis.call('HGET', KEYS[1], 'recentTotal'))
    and redis.call('HGET', KEYS[1], 'recentFinishedAt') == '0' then
    redis.call('HSET', KEYS[1], 'recentFinishedAt', now)
  end
end`;

/**
 * A page of recently active contacts listed: remembered at once, so the pass in id order skips
 * them even while they are being scored.
 */
const RECENT_CLAIM = `
if redis.call('HGET', KEYS[1], 'runId') ~= ARGV[1] then return 0 end
redis.call('SADD', KEYS[2], unpack(ARGV, 2))
return 1`;

/** A page of recently active contacts scored: counted once (a retried page was counted before). */
const RECENT_DONE = `${RECENT_FINISHED}
if redis.call('HGET', KEYS[1], 'runId') ~= ARGV[1] then return 0 end
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 2 end
redis.call('HINCRBY', KEYS[1], 'recentDone', ARGV[3])
finished(ARGV[4])
return 1`;

/** The recently active contacts are all listed (how many were listed): every contact's turn. */
const START_ALL = `${RECENT_FINISHED}
if redis.call('HGET', KEYS[1], 'runId') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'phase') == 'all' then return 2 end
redis.call('HSET', KEYS[1], 'phase', 'all', 'recentTotal', ARGV[2])
finished(ARGV[3])
return 1`;

const CLAIM_OUTCOMES = ['not-this-run', 'claimed', 'claimed-before'] as const;
const COMPLETE_OUTCOMES = [
  'not-this-run',
  'counted',
  'counted-before',
  'finished-the-run',
] as const;
export type ClaimOutcome = (typeof CLAIM_OUTCOMES)[number];
export type CompleteOutcome = (typeof COMPLETE_OUTCOMES)[number];

/**
 * A backfill's cursor and counters. Pages are listed in order but scored concurrently (the
 * portal's rate limit, not one page's latency, bounds the run); a page whose worker died is
 * scored again and counted once.
 */
export function createBackfillStore(redis: Redis, keys: Keys, clock: () => number) {
  const pagesKey = (portalId: number) => `${keys.backfill(portalId)}:pages`;
  /** Set: the contacts the recent phase listed, to score (the pass in id order skips them). */
  const recentKey = (portalId: number) => `${keys.backfill(portalId)}:recent`;
  return {
    /**
     * A new run over `total` contacts; `recent`: how many HubSpot counts active since `since`,
     * when they go first (null: every contact in id order from the start).
     */
    async start(
      portalId: number,
      runId: string,
      total: number,
      recent: { total: number; since: number } | null = null,
    ): Promise<void> {
      await redis
        .multi()
        .del(pagesKey(portalId), recentKey(portalId))
        .hset(keys.backfill(portalId), {
          runId,
          status: 'running',
          cursor: 'start',
          done: '0',
          written: '0',
          total: String(total),
          startedAt: String(clock()),
          finishedAt: '0',
          listed: '0',
          pages: '0',
          phase: recent === null ? 'all' : 'recent',
          recentTotal: recent === null ? '-1' : String(recent.total),
          recentSince: recent === null ? '0' : String(recent.since),
          recentDone: '0',
          recentFinishedAt: '0',
          skipped: '0',
        })
        .exec();
    },
    /** Recently active contacts listed: the pass in id order will skip them. */
    async recentClaimed(portalId: number, runId: string, ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await redis.eval(
        RECENT_CLAIM,
        2,
        keys.backfill(portalId),
        recentKey(portalId),
        runId,
        ...ids,
      );
    },
    /** A page of recently active contacts (`page`: where it started) scored: counted once. */
    async recentScored(
      portalId: number,
      runId: string,
      page: string,
      scored: number,
    ): Promise<void> {
      await redis.eval(
        RECENT_DONE,
        2,
        keys.backfill(portalId),
        pagesKey(portalId),
        runId,
        `recent:${page}`,
        String(scored),
        String(clock()),
      );
    },
    /** The recent phase listed its last page (`listed` contacts in all): every contact next. */
    async recentListed(portalId: number, runId: string, listed: number): Promise<boolean> {
      const outcome = await redis.eval(
        START_ALL,
        1,
        keys.backfill(portalId),
        runId,
        String(listed),
        String(clock()),
      );
      return Number(outcome) === 1;
    },
    /** Which of `ids` the recent phase of the running backfill scored already. */
    async scoredFirst(portalId: number, ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const seen = await redis.smismember(recentKey(portalId), ...ids);
      return new Set(ids.filter((_, i) => seen[i] === 1));
    },
    async get(portalId: number): Promise<BackfillProgress | null> {
      const raw = await redis.hgetall(keys.backfill(portalId));
      if (!raw['runId']) return null;
      const n = (k: string) => Number(raw[k] ?? 0);
      return {
        runId: raw['runId'],
        status: raw['status'] === 'done' ? 'done' : 'running',
        cursor: raw['cursor'] ?? 'start',
        done: n('done'),
        written: n('written'),
        total: n('total'),
        startedAt: n('startedAt'),
        finishedAt: n('finishedAt'),
        listed: n('listed'),
        pages: n('pages'),
        phase: raw['phase'] === 'recent' ? 'recent' : 'all',
        recent:
          raw['recentTotal'] === undefined || n('recentTotal') < 0
            ? null
            : {
                since: n('recentSince'),
                total: n('recentTotal'),
                done: n('recentDone'),
                finishedAt: n('recentFinishedAt'),
              },
        skipped: n('skipped'),
      };
    },
    /** Claims a listed page and moves the cursor on (a retried page was claimed before). */
    claim: async (
      portalId: number,
      runId: string,
      page: string,
      next: string,
    ): Promise<ClaimOutcome> =>
      CLAIM_OUTCOMES[
        Number(await redis.eval(CLAIM, 1, keys.backfill(portalId), runId, page, next))
      ]!,
    isPageDone: async (portalId: number, page: string): Promise<boolean> =>
      (await redis.sismember(pagesKey(portalId), page)) === 1,
    /** Counts a finished page once; the last one finishes the run. */
    complete: async (
      portalId: number,
      runId: string,
      page: string,
      counted: number,
      written: number,
      skipped = 0,
    ): Promise<CompleteOutcome> =>
      COMPLETE_OUTCOMES[
        Number(
          await redis.eval(
            COMPLETE,
            3,
            keys.backfill(portalId),
            pagesKey(portalId),
            recentKey(portalId),
            runId,
            page,
            String(counted),
            String(written),
            String(clock()),
            String(skipped),
          ),
        )
      ]!,
  };
}
export type BackfillStore = ReturnType<typeof createBackfillStore>;
