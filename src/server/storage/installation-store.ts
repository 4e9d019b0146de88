import { z } from 'zod';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import type { TokenCipher } from './token-cipher';

/** One portal's install of the app. Tokens are encrypted at rest and never logged. */
export interface Installation {
  portalId: number;
  hubDomain: string;
  scopes: string[];
  installedAt: number;
  status: 'active' | 'uninstalled';
  refreshToken: string;
  accessToken: string | null;
  /** Epoch ms when the access token expires. */
  accessExpiresAt: number;
}

const stored = z.object({
  portalId: z.coerce.number().int(),
  hubDomain: z.string(),
  scopes: z.string(),
  installedAt: z.coerce.number(),
  status: z.enum(['active', 'uninstalled']),
  refreshToken: z.string(),
  accessToken: z.string().default(''),
  accessExpiresAt: z.coerce.number().default(0),
});

export function createInstallationStore(redis: Redis, keys: Keys, cipher: TokenCipher) {
  return {
    async save(i: Installation): Promise<void> {
      await redis
        .multi()
        .hset(keys.installation(i.portalId), {
          portalId: String(i.portalId),
          hubDomain: i.hubDomain,
          scopes: i.scopes.join(' '),
          installedAt: String(i.installedAt),
          status: i.status,
          refreshToken: i.refreshToken ? cipher.encrypt(i.refreshToken) : '',
          accessToken: i.accessToken ? cipher.encrypt(i.accessToken) : '',
          accessExpiresAt: String(i.accessExpiresAt),
        })
        .sadd(keys.installations(), String(i.portalId))
        .set(keys.stateMarker(), String(i.installedAt), 'NX')
        .exec();
    },

    async get(portalId: number): Promise<Installation | null> {
      const raw = await redis.hgetall(keys.installation(portalId));
      if (Object.keys(raw).length === 0) return null;
      const s = stored.parse(raw);
      return {
        portalId: s.portalId,
        hubDomain: s.hubDomain,
        scopes: s.scopes.split(' ').filter(Boolean),
        installedAt: s.installedAt,
        status: s.status,
        refreshToken: s.refreshToken ? cipher.decrypt(s.refreshToken) : '',
        accessToken: s.accessToken ? cipher.decrypt(s.accessToken) : null,
        accessExpiresAt: s.accessExpiresAt,
      };
    },

    async saveAccessToken(portalId: number, accessToken: string, expiresAt: number): Promise<void> {
      await redis.hset(keys.installation(portalId), {
        accessToken: cipher.encrypt(accessToken),
        accessExpiresAt: String(expiresAt),
      });
    },

    /**
     * Uninstalled: tokens removed; the portal's data stays until it is purged (see
     * `purge-portal`). Answers the install it ended (its `installedAt`), or null when the
     * portal was not installed.
     */
    async markUninstalled(portalId: number): Promise<{ installedAt: number } | null> {
      const [status, installedAt] = await redis.hmget(
        keys.installation(portalId),
        'status',
        'installedAt',
      );
      await redis.hset(keys.installation(portalId), {
        status: 'uninstalled',
        refreshToken: '',
        accessToken: '',
        accessExpiresAt: '0',
      });
      await redis.srem(keys.installations(), String(portalId));
      return status === 'active' && installedAt ? { installedAt: Number(installedAt) } : null;
    },

    async activePortals(): Promise<number[]> {
      return (await redis.smembers(keys.installations())).map(Number).sort((a, b) => a - b);
    },
  };
}
export type InstallationStore = ReturnType<typeof createInstallationStore>;
