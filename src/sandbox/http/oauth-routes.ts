import express, { Router, type Request, type Response } from 'express';
import { HubSpotError } from '../hubspot-error';
import { oauthError } from '../oauth-server';
import type { SandboxState } from '../sandbox-state';
import { sendModel } from './wire';

/** HubSpot's authorize page shows an error rather than redirecting to an unknown URI. */
function authorizeError(res: Response, status: number, message: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><title>Authorization error</title><h1>Authorization error</h1><p>${message.replace(/[<>&]/g, '')}</p>`,
    );
}

/**
 * OAuth 2.0 as HubSpot serves it: the authorize page (auto-approved here), the token endpoint in
 * its legacy v1 and its v3 / 2026-03 versions (form-encoded), token info and introspection,
 * refresh-token revocation, and the app uninstalling itself.
 */
export function oauthRoutes(state: SandboxState): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  const authorize = (req: Request, res: Response) => {
    const q = req.query as Record<string, string | undefined>;
    const app = state.oauth.appByClientId(q['client_id']);
    if (!app)
      return authorizeError(res, 400, 'The client_id is not an app registered with this sandbox.');
    const redirectUri = q['redirect_uri'] ?? '';
    if (!app.redirectUris.includes(redirectUri)) {
      return authorizeError(
        res,
        400,
        `redirect_uri ${redirectUri} does not match a redirect URL of the app.`,
      );
    }
    const wanted = Number(req.params['portalId'] ?? q['portalId'] ?? NaN);
    const portal = Number.isFinite(wanted)
      ? state.portals.get(wanted)
      : state.portals.values().next().value;
    const target = new URL(redirectUri);
    if (q['state'] !== undefined) target.searchParams.set('state', q['state']);
    if (!portal) {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'No such portal in this sandbox.');
      return res.redirect(302, target.toString());
    }
    const scopes = (q['scope'] ?? '').split(/[\s+]+/).filter(Boolean);
    try {
      target.searchParams.set('code', state.oauth.authorize(app, portal.id, redirectUri, scopes));
    } catch (error) {
      target.searchParams.set('error', 'invalid_scope');
      target.searchParams.set('error_description', (error as Error).message);
    }
    res.redirect(302, target.toString());
  };
  router.get('/oauth/authorize', authorize);
  router.get('/oauth/:portalId/authorize', authorize);

  const token = (req: Request, res: Response) => {
    const grant = state.oauth.grant((req.body ?? {}) as Record<string, string | undefined>);
    sendModel(res, 200, 'oauth', 'TokenResponseIF', grant);
  };
  for (const path of ['/oauth/v1/token', '/oauth/v3/token', '/oauth/2026-03/token'])
    router.post(path, form, token);

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const info = state.oauth.accessTokenInfo(String(req.params['token']));
    if (!info)
      throw new HubSpotError(404, 'NOT_FOUND', 'Token not found', {
        extra: { status: 'NOT_FOUND' },
      });
    const portal = state.portal(info.grant.portalId);
    sendModel(res, 200, 'oauth', 'AccessTokenInfoResponse', {
      token: String(req.params['token']),
      user: `user${info.grant.userId}@${portal.domain}`,
      hubDomain: portal.domain,
      scopes: info.grant.scopes,
      hubId: portal.id,
      appId: info.grant.appId ?? 0,
      expiresIn: info.expiresIn,
      userId: info.grant.userId,
      tokenType: 'access',
    });
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const entry = state.oauth.refreshTokenInfo(String(req.params['token']));
    if (!entry)
      throw new HubSpotError(404, 'NOT_FOUND', 'Refresh token not found', {
        extra: { status: 'NOT_FOUND' },
      });
    const portal = state.portal(entry.portalId);
    sendModel(res, 200, 'oauth', 'RefreshTokenInfoResponse', {
      token: String(req.params['token']),
      user: `user${entry.userId}@${portal.domain}`,
      hubDomain: portal.domain,
      scopes: entry.scopes,
      hubId: portal.id,
      clientId: state.oauth.apps.get(entry.appId)?.clientId ?? '',
      userId: entry.userId,
      tokenType: 'refresh',
    });
  });

  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    if (!state.oauth.revokeRefreshToken(String(req.params['token']))) {
      throw new HubSpotError(404, 'NOT_FOUND', 'Refresh token not found', {
        extra: { status: 'NOT_FOUND' },
      });
    }
    res.status(204).end();
  });

  const introspect = (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const app = state.oauth.appByClientId(body['client_id']);
    if (!app || app.clientSecret !== body['client_secret'])
      throw oauthError('BAD_CLIENT_ID', 'missing or invalid client credentials');
    const value = body['token'] ?? '';
    const access = state.oauth.accessTokenInfo(value);
    const refresh = state.oauth.refreshTokenInfo(value);
    if (access && access.grant.appId === app.appId) {
      res.json({
        active: true,
        client_id: app.clientId,
        hub_id: access.grant.portalId,
        user_id: access.grant.userId,
        scope: access.grant.scopes.join(' '),
        token_type: 'access_token',
        exp: Math.round((access.grant.expiresAt ?? 0) / 1000),
      });
    } else if (refresh && refresh.appId === app.appId) {
      res.json({
        active: true,
        client_id: app.clientId,
        hub_id: refresh.portalId,
        user_id: refresh.userId,
        scope: refresh.scopes.join(' '),
        token_type: 'refresh_token',
      });
    } else {
      res.json({ active: false });
    }
  };
  router.post('/oauth/v3/token/introspect', form, introspect);
  router.post('/oauth/2026-03/token/introspect', form, introspect);

  const uninstall = (req: Request, res: Response) => {
    const grant = state.oauth.authenticate(req.headers.authorization);
    if (grant.appId === null)
      throw new HubSpotError(
        403,
        'MISSING_SCOPES',
        'Only an app can uninstall itself: use the app’s OAuth access token.',
      );
    state.oauth.uninstall(grant.appId, grant.portalId);
    res.status(204).end();
  };
  router.delete('/appinstalls/2026-03/external-install', uninstall);
  router.delete('/appinstalls/v3/external-install', uninstall);

  return router;
}
