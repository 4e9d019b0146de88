import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import type { OAuthClient } from '../hubspot/oauth-client';
import type { Logger } from '../logger';
import type { Producer } from '../queue/producer';
import type { Redis } from '../redis';
import type { InstallationStore } from '../storage/installation-store';
import type { Keys } from '../storage/keys';

/** The scopes the app asks for: exactly `requiredScopes` in src/app/app-hsmeta.json (tested). */
export const REQUIRED_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.objects.companies.read',
  'crm.schemas.companies.read',
  'crm.objects.deals.read',
] as const;

const STATE_TTL_SECONDS = 600;

export interface OAuthDeps {
  publicBaseUrl: string;
  authorizeUrl: string;
  clientId: string;
  oauth: OAuthClient;
  redis: Redis;
  keys: Keys;
  installations: InstallationStore;
  producer: Producer;
  logger: Logger;
  clock?: () => number;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: Response, status: number, title: string, text: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><h1>${escape(title)}</h1><p>${escape(text)}</p>`,
    );
}

/** Install: `/oauth/install` sends the admin to HubSpot with a one-time state; `/oauth/callback` finishes. */
export function oauthRoutes(deps: OAuthDeps): Router {
  const router = Router();
  const clock = deps.clock ?? Date.now;
  const redirectUri = `${deps.publicBaseUrl}/oauth/callback`;
  const log = deps.logger.child({ component: 'oauth' });

  router.get('/oauth/install', async (_req, res) => {
    const state = randomBytes(24).toString('base64url');
    await deps.redis.set(deps.keys.oauthState(state), '1', 'EX', STATE_TTL_SECONDS);
    const url = new URL(deps.authorizeUrl);
    url.searchParams.set('client_id', deps.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', REQUIRED_SCOPES.join(' '));
    url.searchParams.set('state', state);
    res.redirect(302, url.toString());
  });

  router.get('/oauth/callback', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q['error'])
      return page(
        res,
        400,
        'Installation cancelled',
        `HubSpot answered: ${q['error_description'] ?? q['error']}. Start again from ${deps.publicBaseUrl}/oauth/install.`,
      );
    if (!q['state'])
      return page(
        res,
        400,
        'Installation link incomplete',
        `The request has no state. Start the install from ${deps.publicBaseUrl}/oauth/install.`,
      );
    // One use only: GETDEL consumes the state, so a replayed or forged callback finds nothing.
    const known = await deps.redis.getdel(deps.keys.oauthState(q['state']));
    if (known === null)
      return page(
        res,
        400,
        'Installation link expired or already used',
        `This link was used before, is older than 10 minutes, or did not come from us. Start again from ${deps.publicBaseUrl}/oauth/install.`,
      );
    if (!q['code'])
      return page(
        res,
        400,
        'Installation link incomplete',
        'HubSpot sent no authorization code. Start the install again.',
      );
    const tokens = await deps.oauth.exchangeCode(q['code'], redirectUri);
    const info = await deps.oauth.tokenInfo(tokens.accessToken);
    await deps.installations.save({
      portalId: info.portalId,
      hubDomain: info.hubDomain,
      scopes: info.scopes,
      installedAt: clock(),
      status: 'active',
      refreshToken: tokens.refreshToken,
      accessToken: tokens.accessToken,
      accessExpiresAt: tokens.expiresAt,
    });
    await deps.producer.setupPortal(info.portalId);
    log.info({ portalId: info.portalId }, 'installed; set-up enqueued');
    page(
      res,
      200,
      'Lead Qualifier is installed',
      `Portal ${info.portalId} (${info.hubDomain}) is connected. Its contacts are being scored now; the Lead Qualifier card and properties fill in as they are.`,
    );
  });

  return router;
}
