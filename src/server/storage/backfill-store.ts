import type { Redis } from '../redis';
import type { Keys } from './keys';

export interface BackfillProgress {
  runId: string;
  status: 'running' | 'done';
  /** The `after` cursor of the next page to read; empty at the start. */
  cursor: string;
  done: number;
  written: number;
  total: number;
  startedAt: number;
  finishedAt: number;
  /** Page jobs finished, to make a resumed run's counters exact. */
  pages: number;
}

/** A backfill's cursor and counters: a killed worker resumes where the last page ended. */
export function createBackfillStore(redis: Redis, keys: Keys, clock: () => number = Date.now) {
  return {
    async start(portalId: number, runId: string, total: number): Promise<void> {
      await redis.hset(keys.backfill(portalId), {
        runId,
        status: 'running',
        cursor: '',
        done: '0',
        written: '0',
        total: String(total),
        startedAt: String(clock()),
        finishedAt: '0',
        pages: '0',
      });
    },
    async get(portalId: number): Promise<BackfillProgress | null> {
      const raw = await redis.hgetall(keys.backfill(portalId));
      if (!raw['runId']) return null;
      return {
        runId: raw['runId'],
        status: raw['status'] === 'done' ? 'done' : 'running',
        cursor: raw['cursor'] ?? '',
        done: Number(raw['done'] ?? 0),
        written: Number(raw['written'] ?? 0),
        total: Number(raw['total'] ?? 0),
        startedAt: Number(raw['startedAt'] ?? 0),
        finishedAt: Number(raw['finishedAt'] ?? 0),
        pages: Number(raw['pages'] ?? 0),
      };
    },
    /**
     * Records a finished page, once: only when the cursor still is `from`, so a page retried
     * after a crash between its writes and this call is not counted twice.
     */
    async finishPage(
      portalId: number,
      runId: string,
      from: string,
      next: string | null,
      counted: number,
      written: number,
    ): Promise<boolean> {
      const script = `
        if redis.call('HGET', KEYS[1], 'runId') ~= ARGV[1] then return 0 end
        if redis.call('HGET', KEYS[1], 'cursor') ~= ARGV[2] then return 0 end
        redis.call('HINCRBY', KEYS[1], 'done', ARGV[4])
        redis.call('HINCRBY', KEYS[1], 'written', ARGV[5])
        redis.call('HINCRBY', KEYS[1], 'pages', 1)
        if ARGV[3] == '' then
          redis.call('HSET', KEYS[1], 'status', 'done', 'finishedAt', ARGV[6], 'cursor', '')
        else
          redis.call('HSET', KEYS[1], 'cursor', ARGV[3])
        end
        return 1`;
      const ok = await redis.eval(
        script,
        1,
        keys.backfill(portalId),
        runId,
        from,
        next ?? '',
        String(counted),
        String(written),
        String(clock()),
      );
      return ok === 1;
    },
  };
}
export type BackfillStore = ReturnType<typeof createBackfillStore>;
