import type { Request } from 'express';
import type { InstallationStore } from '../storage/installation-store';
import { verifySignatureV3 } from './verify-signature';

/**
 * Checks a request HubSpot sent (a webhook batch or a `hubspot.fetch` call): the v3 signature
 * over method, the full public URL with its query string, the raw body and the timestamp.
 */
export function verifyHubSpotRequest(
  req: Request,
  deps: { publicBaseUrl: string; clientSecrets: readonly string[] },
  now: number,
) {
  const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  const verified = verifySignatureV3(
    {
      method: req.method,
      url: `${deps.publicBaseUrl}${req.originalUrl}`,
      body,
      signature: req.get('x-hubspot-signature-v3'),
      timestamp: req.get('x-hubspot-request-timestamp'),
    },
    deps.clientSecrets,
    now,
  );
  return { body, verified };
}

/** Whether the app is installed in a portal, remembered a few seconds (asked on every request). */
export function installedCache(
  installations: InstallationStore,
  clock: () => number,
  ttlMs = 5_000,
): (portalId: number) => Promise<boolean> {
  const cache = new Map<number, { active: boolean; until: number }>();
  return async (portalId) => {
    const cached = cache.get(portalId);
    if (cached && cached.until > clock()) return cached.active;
    const active = (await installations.get(portalId))?.status === 'active';
    cache.set(portalId, { active, until: clock() + ttlMs });
    return active;
  };
}
