import type { Logger } from '../logger';
import type { Redis } from '../redis';
import type { Keys } from './keys';

/**
 * Notices that Redis lost the app's data (restarted without persistence, flushed, a failover to
 * an empty replica): the marker written with the first installation was there, and is gone.
 * Then every portal looks uninstalled (webhooks are refused for HubSpot to retry), so /readyz must say so and the
 * log must shout, once per loss, pointing at the runbook.
 */
export function createStateWatch(redis: Redis, keys: Keys, logger: Logger) {
  let seen = false;
  let reported = false;
  return {
    /** Null while the data is there (or no portal was ever installed); else what happened. */
    async lost(): Promise<string | null> {
      const marker = await redis.get(keys.stateMarker());
      if (marker !== null) {
        seen = true;
        reported = false;
        return null;
      }
      if (!seen) return null;
      const message =
        "Redis has lost Lead Qualifier's data: the marker written at the first install is gone, so every portal looks uninstalled and HubSpot's webhooks are refused (HubSpot retries them for about a day). Follow the recovery runbook in the README (restore Redis from its AOF, or have each portal reinstall).";
      if (!reported) logger.error({ component: 'state-watch' }, message);
      reported = true;
      return message;
    },
  };
}
export type StateWatch = ReturnType<typeof createStateWatch>;
