import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import {
  ClientRejectedError,
  GrantRejectedError,
  type Installed,
  type OAuthClient,
} from '../hubspot/oauth-client';
import type { CredentialsAlarmStore } from '../storage/credentials-alarm';
import type { Logger } from '../logger';
import type { Producer } from '../queue/producer';
import type { Redis } from '../redis';
import type { InstallationStore } from '../storage/installation-store';
import type { Keys } from '../storage/keys';

/**
 * The scopes the app asks for: exactly `requiredScopes` in src/app/app-hsmeta.json (tested), and
 * no more, since every one shows on the install screen. Reading contacts (and their engagements,
 * which follow contacts' scopes) and companies, and their property definitions: the objects'
 * read scopes (the Properties API accepts them for reads). Writing our properties and creating
 * our property group: contacts write and schemas write.
 */
export const REQUIRED_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.write',
  'crm.objects.companies.read',
] as const;

/**
 * Asked for as optional (`optionalScopes` in app-hsmeta.json, tested): the hand-off to sales.
 * Owners, their seats and availability route leads; Leads come with Sales Hub, so a portal
 * without them installs all the same (HubSpot drops an optional scope it cannot grant) and
 * hands off as tasks; deals give the open-deal owner.
 */
export const OPTIONAL_SCOPES = [
  'crm.objects.owners.read',
  'crm.objects.users.read',
  'settings.users.read',
  'crm.objects.leads.read',
  'crm.objects.leads.write',
  'crm.objects.deals.read',
] as const;

const STATE_TTL_SECONDS = 600;

interface OAuthDeps {
  publicBaseUrl: string;
  authorizeUrl: string;
  clientId: string;
  oauth: OAuthClient;
  alarm: CredentialsAlarmStore;
  redis: Redis;
  keys: Keys;
  installations: InstallationStore;
  producer: Producer;
  logger: Logger;
  clock: () => number;
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
  const clock = deps.clock;
  const redirectUri = `${deps.publicBaseUrl}/oauth/callback`;
  const log = deps.logger.child({ component: 'oauth' });

  router.get('/oauth/install', async (_req, res) => {
    const state = randomBytes(24).toString('base64url');
    await deps.redis.set(deps.keys.oauthState(state), '1', 'EX', STATE_TTL_SECONDS);
    const url = new URL(deps.authorizeUrl);
    url.searchParams.set('client_id', deps.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', REQUIRED_SCOPES.join(' '));
    url.searchParams.set('optional_scope', OPTIONAL_SCOPES.join(' '));
    url.searchParams.set('state', state);
    res.redirect(302, url.toString());
  });

  /*
   * The state: an install started here (`/oauth/install`) carries the one-time state we made,
   * and it must match (a forged or replayed callback is refused). An install started in HubSpot
   * (the app's install URL, a test account, the marketplace listing) carries a code and no
   * state: it is completed too, because the code alone is worthless to anyone but us — HubSpot
   * only exchanges it together with our client secret and this exact redirect URL, and the
   * account it installs is the one HubSpot names in the token answer, never one from the request.
   */
  router.get('/oauth/callback', async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q['error'])
      return page(
        res,
        400,
        'Installation cancelled',
        `HubSpot answered: ${q['error_description'] ?? q['error']}. Start again from ${deps.publicBaseUrl}/oauth/install.`,
      );
    if (q['state'] !== undefined) {
      // One use only: GETDEL consumes the state, so a replayed or forged callback finds nothing.
      const ours = await deps.redis.getdel(deps.keys.oauthState(q['state']));
      if (ours === null)
        return page(
          res,
          400,
          'Installation link expired or already used',
          `This link was used before, is older than 10 minutes, or did not come from us. Start again from ${deps.publicBaseUrl}/oauth/install.`,
        );
    }
    if (!q['code'])
      return page(
        res,
        400,
        'Installation link incomplete',
        `HubSpot sent no authorization code. Start the install again from ${deps.publicBaseUrl}/oauth/install.`,
      );
    let installed: Installed;
    try {
      installed = await deps.oauth.exchangeCode(q['code'], redirectUri);
    } catch (error) {
      if (error instanceof GrantRejectedError)
        return page(
          res,
          400,
          'Installation link expired or already used',
          `HubSpot did not accept this authorization code (${error.message}). Start again from ${deps.publicBaseUrl}/oauth/install.`,
        );
      if (error instanceof ClientRejectedError) {
        await deps.alarm.raise(error.message, clock());
        log.error(
          { reason: error.message },
          'install refused: HubSpot does not accept HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET',
        );
        return page(
          res,
          503,
          'Lead Qualifier cannot finish installing right now',
          'This Lead Qualifier server is not set up with the right HubSpot app credentials. Its operator has been alerted; try again later.',
        );
      }
      log.warn({ err: (error as Error).message }, 'install: code exchange failed');
      return page(
        res,
        502,
        'HubSpot did not answer',
        `The install could not be completed because HubSpot did not answer in time. Try again from ${deps.publicBaseUrl}/oauth/install.`,
      );
    }
    await deps.alarm.clear();
    await deps.installations.save({
      portalId: installed.portalId,
      hubDomain: '',
      scopes: installed.scopes,
      installedAt: clock(),
      status: 'active',
      refreshToken: installed.refreshToken,
      accessToken: installed.accessToken,
      accessExpiresAt: installed.expiresAt,
    });
    await deps.producer.setupPortal(installed.portalId);
    log.info(
      { portalId: installed.portalId, startedIn: q['state'] === undefined ? 'hubspot' : 'app' },
      'installed; set-up enqueued',
    );
    page(
      res,
      200,
      'Lead Qualifier is installed',
      `HubSpot account ${installed.portalId} is connected. Its contacts are being scored now; the Lead Qualifier card and properties fill in as they are.`,
    );
  });

  return router;
}
