import express, { Router, type Request, type Response } from 'express';
import { HubSpotError } from '../hubspot-error';
import { LEADS_SCOPES, type SandboxState } from '../sandbox-state';
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
    const required = (q['scope'] ?? '').split(/[\s+]+/).filter(Boolean);
    // Optional scopes the app may ask for are granted when the account can grant them, and
    // dropped otherwise (LEADS_SCOPES: only with the Leads object).
    const optional = (q['optional_scope'] ?? '')
      .split(/[\s+]+/)
      .filter(Boolean)
      .filter((s) => app.scopes.includes(s) && (portal.hasLeads || !LEADS_SCOPES.includes(s)));
    const scopes = [...new Set([...required, ...optional])];
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

  const legacyToken = (req: Request, res: Response) => {
    const grant = state.oauth.grant((req.body ?? {}) as Record<string, string | undefined>);
    sendModel(res, 200, 'oauth', 'TokenResponseIF', grant);
  };
  router.post('/oauth/v1/token', form, legacyToken);
  // The versioned endpoints answer the spec's AccessTokenResponse, which names the account and
  // the granted scopes (HubSpot-public-api-spec-collection, Auth/Oauth 2026-03 and v3; the SDK
  // 13.5 has no model for it): no token-info call is needed after an exchange.
  const token = (req: Request, res: Response) => {
    const grant = state.oauth.grant((req.body ?? {}) as Record<string, string | undefined>);
    res.json({
      access_token: grant.accessToken,
      refresh_token: grant.refreshToken,
      expires_in: grant.expiresIn,
      token_type: grant.tokenType,
      token_use: 'access_token',
      hub_id: grant.portalId,
      user_id: grant.userId,
      scopes: grant.scopes,
    });
  };
  router.post('/oauth/v3/token', form, token);
  router.post('/oauth/2026-03/token', form, token);

  // Revocation (RFC 7009 style): a refresh token of this client is revoked, which uninstalls.
  const revoke = (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const app = state.oauth.checkClient(body['client_id'], body['client_secret']);
    const value = body['token'] ?? '';
    if (state.oauth.refreshTokenApp(value) === app.appId) state.oauth.revokeRefreshToken(value);
    res.status(200).end();
  };
  router.post('/oauth/v3/token/revoke', form, revoke);
  router.post('/oauth/2026-03/token/revoke', form, revoke);

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
    const app = state.oauth.checkClient(body['client_id'], body['client_secret']);
    const value = body['token'] ?? '';
    const access = state.oauth.accessTokenInfo(value);
    const refresh = state.oauth.refreshTokenInfo(value);
    // PublicAccessTokenInfoResponse / PublicRefreshTokenInfoResponse of the 2026-03 spec.
    if (access && access.grant.appId === app.appId) {
      const portal = state.portal(access.grant.portalId);
      res.json({
        active: true,
        app_id: app.appId,
        client_id: app.clientId,
        hub_id: portal.id,
        hub_domain: portal.domain,
        user_id: access.grant.userId,
        scopes: access.grant.scopes,
        token: value,
        token_type: 'bearer',
        token_use: 'access_token',
        expires_in: access.expiresIn,
      });
    } else if (refresh && refresh.appId === app.appId) {
      const portal = state.portal(refresh.portalId);
      res.json({
        active: true,
        app_id: app.appId,
        client_id: app.clientId,
        hub_id: portal.id,
        hub_domain: portal.domain,
        user_id: refresh.userId,
        scopes: refresh.scopes,
        token: value,
        token_type: 'bearer',
        token_use: 'refresh_token',
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
