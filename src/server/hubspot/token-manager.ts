import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { Redis } from '../redis';
import type { CredentialsAlarm, CredentialsAlarmStore } from '../storage/credentials-alarm';
import type { InstallationStore } from '../storage/installation-store';
import type { Keys } from '../storage/keys';
import { PortalUnauthorizedError } from './crm-port';
import { ClientRejectedError, GrantRejectedError, type OAuthClient } from './oauth-client';

export interface TokenManager {
  /** A valid access token for the portal, refreshed first when it is about to expire. */
  accessToken(portalId: number): Promise<string>;
  /** HubSpot refused `token` (401): forget it, so the next call refreshes. */
  invalidate(portalId: number, token: string): Promise<void>;
}

/** Refresh this long before expiry, so a token never expires mid-request. */
const EARLY_MS = 5 * 60_000;
const LOCK_MS = 15_000;

/**
 * Access tokens per portal. A refresh happens once per portal however many workers ask: the
 * first takes a Redis lock and refreshes, the others wait for the token it stores. A refresh
 * HubSpot refuses for good means the app was uninstalled: the installation is marked so and its
 * tokens removed. A refusal of our client credentials says nothing about the portal: it raises
 * the credentials alarm, changes no installation, and the job waits until the deployment is
 * fixed; the first token granted after it ends the incident (`onCredentialsRestored`).
 */
export function createTokenManager(deps: {
  redis: Redis;
  keys: Keys;
  installations: InstallationStore;
  oauth: OAuthClient;
  alarm: CredentialsAlarmStore;
  logger: Logger;
  clock: () => number;
  /** A portal found uninstalled: what to do with its data (the install it ended). */
  onUninstalled?: (portalId: number, installedAt: number) => Promise<void>;
  /** The first token granted after a credentials incident: what to do about its time. */
  onCredentialsRestored?: (incident: CredentialsAlarm) => Promise<void>;
}): TokenManager {
  const clock = deps.clock;
  const local = new Map<number, { token: string; expiresAt: number }>();
  const logger = deps.logger.child({ component: 'tokens' });

  async function validOrRefreshed(portalId: number): Promise<string> {
    for (let waited = 0; waited < LOCK_MS * 2;) {
      const inst = await deps.installations.get(portalId);
      if (!inst || inst.status !== 'active' || !inst.refreshToken) {
        throw new PortalUnauthorizedError(portalId, `portal ${portalId} is not installed`);
      }
      if (inst.accessToken && inst.accessExpiresAt - EARLY_MS > clock()) {
        local.set(portalId, { token: inst.accessToken, expiresAt: inst.accessExpiresAt });
        return inst.accessToken;
      }
      const lock = randomUUID();
      if (await deps.redis.set(deps.keys.refreshLock(portalId), lock, 'PX', LOCK_MS, 'NX')) {
        try {
          const tokens = await deps.oauth.refresh(inst.refreshToken);
          const ended = await deps.alarm.clear();
          if (ended) {
            logger.info(
              { since: new Date(ended.since).toISOString() },
              'HubSpot accepts the client credentials again: catching up on the incident',
            );
            await deps.onCredentialsRestored?.(ended);
          }
          await deps.installations.saveAccessToken(portalId, tokens.accessToken, tokens.expiresAt);
          local.set(portalId, { token: tokens.accessToken, expiresAt: tokens.expiresAt });
          logger.info({ portalId }, 'access token refreshed');
          return tokens.accessToken;
        } catch (error) {
          if (error instanceof ClientRejectedError) {
            await deps.alarm.raise(error.message, clock());
            logger.error(
              { portalId, reason: error.message },
              'HubSpot refused the client id or secret: check HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (no portal was changed)',
            );
            throw error;
          }
          if (error instanceof GrantRejectedError) {
            const ended = await deps.installations.markUninstalled(portalId);
            if (ended) await deps.onUninstalled?.(portalId, ended.installedAt);
            logger.warn(
              { portalId, reason: error.message },
              'refresh refused: portal marked uninstalled',
            );
            throw new PortalUnauthorizedError(portalId, `portal ${portalId}: ${error.message}`);
          }
          throw error;
        } finally {
          await deps.redis.eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
            1,
            deps.keys.refreshLock(portalId),
            lock,
          );
        }
      }
      await new Promise((r) => setTimeout(r, 100));
      waited += 100;
    }
    throw new Error(
      `portal ${portalId}: timed out waiting for another worker to refresh the token`,
    );
  }

  return {
    async accessToken(portalId) {
      const cached = local.get(portalId);
      if (cached && cached.expiresAt - EARLY_MS > clock()) return cached.token;
      return validOrRefreshed(portalId);
    },
    async invalidate(portalId, token) {
      if (local.get(portalId)?.token === token) local.delete(portalId);
      const inst = await deps.installations.get(portalId);
      if (inst?.accessToken === token) await deps.installations.saveAccessToken(portalId, token, 0);
    },
  };
}
