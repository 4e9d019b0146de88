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
}

/** A page is claimed when it is listed: the cursor moves on, so the next page can start at once. */
const CLAIM = `
if redis.call('HGET', KEYS[1], 'runId') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'cursor') ~= ARGV[2] then return 2 end
redis.call('HSET', KEYS[1], 'cursor', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'listed', 1)
return 1`;

/** A page is counted once, when it is finished; the run is done when every listed page is. */
const COMPLETE = `
if redis.call('HGET', KEYS[1], 'runId') ~= ARGV[1] then return 0 end
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 2 end
redis.call('HINCRBY', KEYS[1], 'done', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'written', ARGV[4])
local pages = redis.call('HINCRBY', KEYS[1], 'pages', 1)
if redis.call('HGET', KEYS[1], 'cursor') == 'end' and pages == tonumber(redis.call('HGET', KEYS[1], 'listed')) then
  redis.call('HSET', KEYS[1], 'status', 'done', 'finishedAt', ARGV[5])
  return 3
end
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
  return {
    async start(portalId: number, runId: string, total: number): Promise<void> {
      await redis
        .multi()
        .del(pagesKey(portalId))
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
        })
        .exec();
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
    ): Promise<CompleteOutcome> =>
      COMPLETE_OUTCOMES[
        Number(
          await redis.eval(
            COMPLETE,
            2,
            keys.backfill(portalId),
            pagesKey(portalId),
            runId,
            page,
            String(counted),
            String(written),
            String(clock()),
          ),
        )
      ]!,
  };
}
export type BackfillStore = ReturnType<typeof createBackfillStore>;
