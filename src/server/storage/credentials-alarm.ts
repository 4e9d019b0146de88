import type { Metrics } from '../metrics';
import type { Redis } from '../redis';
import type { Keys } from './keys';

export interface CredentialsAlarm {
  /** When HubSpot first refused our client credentials in this incident (epoch ms). */
  since: number;
  /** HubSpot's words, e.g. "invalid_client: missing or invalid client secret". */
  message: string;
}

/**
 * HubSpot refused the app's client id or secret: a deployment problem shared by every portal.
 * Raised by whichever process meets it, read by /readyz and sync health, cleared by the next
 * token HubSpot grants. Nothing about any portal is changed by it.
 */
export function createCredentialsAlarmStore(
  redis: Redis,
  keys: Keys,
  metrics: Pick<Metrics, 'oauthClientRejected'>,
) {
  return {
    /** Records one refusal (counted in lq_oauth_client_rejected_total) and raises the alarm. */
    async raise(message: string, at: number): Promise<void> {
      metrics.oauthClientRejected.inc();
      await redis
        .multi()
        .hsetnx(keys.credentialsAlarm(), 'since', String(at))
        .hset(keys.credentialsAlarm(), 'message', message)
        .exec();
    },
    /**
     * Ends the incident: the alarm that was up (to this caller alone, if processes clear it at
     * once), or null when there was none.
     */
    async clear(): Promise<CredentialsAlarm | null> {
      const res = await redis
        .multi()
        .hgetall(keys.credentialsAlarm())
        .del(keys.credentialsAlarm())
        .exec();
      const [, alarm] = res?.[0] ?? [];
      const fields = (alarm ?? {}) as Record<string, string>;
      return fields['since']
        ? { since: Number(fields['since']), message: fields['message'] ?? '' }
        : null;
    },
    async read(): Promise<CredentialsAlarm | null> {
      const alarm = await redis.hgetall(keys.credentialsAlarm());
      return alarm['since']
        ? { since: Number(alarm['since']), message: alarm['message'] ?? '' }
        : null;
    },
  };
}
export type CredentialsAlarmStore = ReturnType<typeof createCredentialsAlarmStore>;
