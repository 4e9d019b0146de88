import type { PortalActivity } from '@lead-qualifier/contract';
import type { Redis } from '../redis';
import type { Keys } from './keys';

/** How many recent rescore latencies are kept per portal for the settings page's sync health. */
const LATENCIES_KEPT = 500;

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Per portal: when HubSpot last reached us, and how long a change took to be rescored. */
export function createActivityStore(redis: Redis, keys: Keys) {
  return {
    async webhookReceived(portalId: number, at: number, events: number): Promise<void> {
      await redis
        .multi()
        .hset(keys.activity(portalId), 'lastWebhookAt', String(at))
        .hincrby(keys.activity(portalId), 'webhookEvents', events)
        .exec();
    },
    async eventSkipped(portalId: number, at: number, problem: string): Promise<void> {
      await redis
        .multi()
        .hincrby(keys.activity(portalId), 'skippedEvents', 1)
        .hset(keys.activity(portalId), 'lastSkippedAt', String(at), 'lastSkipped', problem)
        .exec();
    },
    /** `contacts` writes were refused; `problem` says which property (or contact) and why. */
    async writesRefused(
      portalId: number,
      at: number,
      contacts: number,
      problem: string,
    ): Promise<void> {
      await redis
        .multi()
        .hincrby(keys.activity(portalId), 'refusedWrites', contacts)
        .hset(
          keys.activity(portalId),
          'lastRefusedAt',
          String(at),
          'lastRefused',
          problem.slice(0, 500),
        )
        .exec();
    },
    async slaChecked(portalId: number, outcome: 'met' | 'breached'): Promise<void> {
      await redis.hincrby(keys.activity(portalId), outcome === 'met' ? 'slaMet' : 'slaBreached', 1);
    },
    async rescored(portalId: number, latenciesMs: readonly number[]): Promise<void> {
      if (latenciesMs.length === 0) return;
      await redis
        .multi()
        .lpush(keys.latencies(portalId), ...latenciesMs.map((ms) => String(Math.round(ms))))
        .ltrim(keys.latencies(portalId), 0, LATENCIES_KEPT - 1)
        .exec();
    },
    async read(portalId: number): Promise<PortalActivity> {
      const [activity, latencies] = await Promise.all([
        redis.hgetall(keys.activity(portalId)),
        redis.lrange(keys.latencies(portalId), 0, -1),
      ]);
      const sorted = latencies.map(Number).sort((a, b) => a - b);
      return {
        lastWebhookAt: activity['lastWebhookAt'] ? Number(activity['lastWebhookAt']) : null,
        webhookEvents: Number(activity['webhookEvents'] ?? 0),
        rescoreLatency: {
          count: sorted.length,
          p50: quantile(sorted, 0.5),
          p95: quantile(sorted, 0.95),
        },
        skippedEvents: {
          count: Number(activity['skippedEvents'] ?? 0),
          lastAt: activity['lastSkippedAt'] ? Number(activity['lastSkippedAt']) : null,
          lastProblem: activity['lastSkipped'] ?? null,
        },
        refusedWrites: {
          count: Number(activity['refusedWrites'] ?? 0),
          lastAt: activity['lastRefusedAt'] ? Number(activity['lastRefusedAt']) : null,
          lastProblem: activity['lastRefused'] ?? null,
        },
        sla: {
          met: Number(activity['slaMet'] ?? 0),
          breached: Number(activity['slaBreached'] ?? 0),
        },
      };
    },
  };
}
export type ActivityStore = ReturnType<typeof createActivityStore>;
