import express, { type RequestHandler } from 'express';
import { AppError } from '../errors';
import { SIGNATURE_MESSAGES, verifySignatureV3 } from '../hubspot/verify-signature';
import type { Logger } from '../logger';
import type { InstallationStore } from '../storage/installation-store';

interface VerifyDeps {
  publicBaseUrl: string;
  clientSecrets: readonly string[];
  logger: Logger;
  clock: () => number;
}

/** The raw body a verified request carried (set by `verifiedByHubSpot`). */
export function rawBodyOf(res: { locals: Record<string, unknown> }): string {
  return res.locals['rawBody'] as string;
}

/**
 * The one way a request from HubSpot (a webhook batch or a `hubspot.fetch` call) gets in: the
 * raw body is read (at most 1 MB, HubSpot's limit for both), then the v3 signature is checked
 * over method, the full public URL with its query string, that raw body and the timestamp
 * (`hubspot/verify-signature.ts`). A failure is a 401 saying what to fix; nothing is parsed
 * before the signature is known good.
 */
export function verifiedByHubSpot(deps: VerifyDeps, component: string): RequestHandler[] {
  const clock = deps.clock;
  const log = deps.logger.child({ component });
  return [
    express.raw({ type: () => true, limit: '1mb' }),
    (req, res, next) => {
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
        clock(),
      );
      if (!verified.ok) {
        log.warn({ reason: verified.error, path: req.path }, 'request not signed by HubSpot');
        throw new AppError('invalid_signature', SIGNATURE_MESSAGES[verified.error]);
      }
      res.locals['rawBody'] = body;
      next();
    },
  ];
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
