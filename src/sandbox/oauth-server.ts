import { randomBytes } from 'node:crypto';
import { HubSpotError } from './hubspot-error';

/** An app registered with the sandbox, as a developer account holds it. */
export interface SandboxApp {
  appId: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  scopes: string[];
  webhooks: WebhookSettings | null;
}

export interface WebhookSubscription {
  subscriptionType: string;
  /** For `object.*` subscriptions; legacy and hub events name the object in the type. */
  objectType?: string;
  propertyName?: string;
  active: boolean;
}

export interface WebhookSettings {
  targetUrl: string;
  maxConcurrentRequests: number;
  subscriptions: WebhookSubscription[];
}

export interface TokenGrant {
  portalId: number;
  appId: number | null;
  scopes: string[];
  userId: number;
  /** Epoch ms; null for a private-app style token that does not expire. */
  expiresAt: number | null;
}

/**
 * The RFC 6749 (section 5.2) error code of each HubSpot OAuth status: the v3 and 2026-03 token
 * endpoints follow OAuth 2.1 (https://developers.hubspot.com/docs/api-reference/auth-oauth-v3/guide)
 * and answer with `error` and `error_description` beside HubSpot's own fields.
 */
const RFC6749_ERROR: Record<string, string> = {
  BAD_CLIENT_ID: 'invalid_client',
  BAD_CLIENT_SECRET: 'invalid_client',
  BAD_AUTH_CODE: 'invalid_grant',
  BAD_REFRESH_TOKEN: 'invalid_grant',
  BAD_REDIRECT_URI: 'invalid_grant',
  BAD_GRANT_TYPE: 'unsupported_grant_type',
  BAD_SCOPES: 'invalid_scope',
};

/**
 * HubSpot's OAuth error body: `{ status: "BAD_AUTH_CODE", message, correlationId }`, 400, with
 * the RFC 6749 `error` / `error_description` pair (a 400 for every code, which RFC 6749 allows).
 */
const oauthError = (status: string, message: string) => {
  const error = RFC6749_ERROR[status] ?? 'invalid_request';
  return new HubSpotError(400, status, message, {
    extra: { status, error, error_description: message },
  });
};

interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
  portalId: number;
  userId: number;
  scopes: string[];
}

const token = (prefix: string) => `${prefix}-${randomBytes(24).toString('base64url')}`;

/**
 * OAuth for the sandbox: authorize codes, access and refresh tokens, installs. Codes are single
 * use and expire after 10 minutes; access tokens after `accessTokenTtlSeconds` (HubSpot: 1800);
 * refresh tokens last until revoked, and refreshing does not rotate them.
 */
export class OAuthServer {
  readonly apps = new Map<number, SandboxApp>();
  private readonly codes = new Map<
    string,
    {
      appId: number;
      portalId: number;
      redirectUri: string;
      scopes: string[];
      expiresAt: number;
      used: boolean;
    }
  >();
  private readonly refreshTokens = new Map<
    string,
    { appId: number; portalId: number; scopes: string[]; userId: number }
  >();
  private readonly accessTokens = new Map<string, TokenGrant>();
  private readonly installs = new Map<string, number>();
  /** The scopes each install granted (`appId:portalId`). */
  private readonly grantedScopes = new Map<string, string[]>();
  private nextAppId = 4_100_001;

  private readonly clock: () => number;
  private readonly accessTokenTtlSeconds: number;

  constructor(clock: () => number, accessTokenTtlSeconds: number) {
    this.clock = clock;
    this.accessTokenTtlSeconds = accessTokenTtlSeconds;
  }

  registerApp(input: {
    redirectUri: string;
    scopes?: string[];
    webhooks?: WebhookSettings | null;
    clientId?: string;
    clientSecret?: string;
  }): SandboxApp {
    const app: SandboxApp = {
      appId: this.nextAppId++,
      clientId: input.clientId ?? crypto.randomUUID(),
      clientSecret: input.clientSecret ?? crypto.randomUUID(),
      redirectUris: [input.redirectUri],
      scopes: input.scopes ?? ['oauth'],
      webhooks: input.webhooks ?? null,
    };
    for (const other of this.apps.values()) {
      if (other.clientId === app.clientId)
        throw new HubSpotError(
          409,
          'CONFLICT',
          `An app with client id ${app.clientId} is already registered.`,
        );
    }
    this.apps.set(app.appId, app);
    return app;
  }

  appByClientId(clientId: string | undefined): SandboxApp | undefined {
    for (const app of this.apps.values()) if (app.clientId === clientId) return app;
    return undefined;
  }

  /** The authorize step, auto-approved: a one-time code for the app and portal. */
  authorize(app: SandboxApp, portalId: number, redirectUri: string, scopes: string[]): string {
    const missing = scopes.filter((s) => !app.scopes.includes(s));
    if (missing.length > 0)
      throw oauthError('BAD_SCOPES', `The app does not request these scopes: ${missing.join(' ')}`);
    const code = token('code');
    this.codes.set(code, {
      appId: app.appId,
      portalId,
      redirectUri,
      scopes,
      expiresAt: this.clock() + 600_000,
      used: false,
    });
    return code;
  }

  checkClient(clientId: string | undefined, clientSecret: string | undefined): SandboxApp {
    const app = this.appByClientId(clientId);
    if (!app) throw oauthError('BAD_CLIENT_ID', 'missing or unknown client id');
    if (app.clientSecret !== clientSecret)
      throw oauthError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    return app;
  }

  /** `grant_type=authorization_code` or `refresh_token`, as the token endpoints take them. */
  grant(form: Record<string, string | undefined>): IssuedTokens {
    const app = this.checkClient(form['client_id'], form['client_secret']);
    if (form['grant_type'] === 'authorization_code') {
      const entry = form['code'] ? this.codes.get(form['code']) : undefined;
      if (!entry || entry.used || entry.expiresAt < this.clock() || entry.appId !== app.appId) {
        throw oauthError('BAD_AUTH_CODE', 'missing or unknown auth code');
      }
      if (form['redirect_uri'] !== entry.redirectUri) {
        throw oauthError(
          'BAD_REDIRECT_URI',
          'redirect_uri does not match the one the auth code was issued for',
        );
      }
      entry.used = true;
      const refresh = token('refresh');
      this.refreshTokens.set(refresh, {
        appId: app.appId,
        portalId: entry.portalId,
        scopes: entry.scopes,
        userId: 7_000_001,
      });
      this.installs.set(`${app.appId}:${entry.portalId}`, this.clock());
      this.grantedScopes.set(`${app.appId}:${entry.portalId}`, entry.scopes);
      return this.issue(app.appId, entry.portalId, entry.scopes, refresh);
    }
    if (form['grant_type'] === 'refresh_token') {
      const refresh = form['refresh_token'];
      const entry = refresh ? this.refreshTokens.get(refresh) : undefined;
      if (!refresh || !entry || entry.appId !== app.appId)
        throw oauthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      return this.issue(app.appId, entry.portalId, entry.scopes, refresh);
    }
    throw oauthError('BAD_GRANT_TYPE', 'grant_type must be authorization_code or refresh_token');
  }

  private issue(appId: number, portalId: number, scopes: string[], refresh: string) {
    const access = token('access');
    this.accessTokens.set(access, {
      portalId,
      appId,
      scopes,
      userId: 7_000_001,
      expiresAt: this.clock() + this.accessTokenTtlSeconds * 1000,
    });
    return {
      accessToken: access,
      refreshToken: refresh,
      expiresIn: this.accessTokenTtlSeconds,
      tokenType: 'bearer',
      portalId,
      userId: 7_000_001,
      scopes,
    };
  }

  /** A token with every scope for one portal, as a private app's key would give. */
  portalToken(portalId: number, scopes: string[]): string {
    const access = token('pat-sandbox');
    this.accessTokens.set(access, {
      portalId,
      appId: null,
      scopes,
      userId: 7_000_002,
      expiresAt: null,
    });
    return access;
  }

  /** The grant behind a bearer token, or HubSpot's 401. */
  authenticate(header: string | undefined): TokenGrant {
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) {
      throw new HubSpotError(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    const grant = this.accessTokens.get(match[1]!);
    if (!grant)
      throw new HubSpotError(
        401,
        'INVALID_AUTHENTICATION',
        'The OAuth token used to make this call is not valid.',
      );
    if (grant.expiresAt !== null && grant.expiresAt <= this.clock()) {
      throw new HubSpotError(
        401,
        'EXPIRED_AUTHENTICATION',
        `The OAuth token used to make this call expired ${Math.round((this.clock() - grant.expiresAt) / 1000)} second(s) ago.`,
      );
    }
    return grant;
  }

  accessTokenInfo(tokenValue: string) {
    const grant = this.accessTokens.get(tokenValue);
    if (!grant || (grant.expiresAt !== null && grant.expiresAt <= this.clock())) return null;
    return {
      grant,
      expiresIn: grant.expiresAt === null ? 0 : Math.round((grant.expiresAt - this.clock()) / 1000),
    };
  }

  refreshTokenInfo(tokenValue: string) {
    return this.refreshTokens.get(tokenValue) ?? null;
  }

  /** What the app's install in the portal may read (empty when not installed). */
  scopesOf(appId: number, portalId: number): string[] {
    return this.grantedScopes.get(`${appId}:${portalId}`) ?? [];
  }

  isInstalled(appId: number, portalId: number): boolean {
    return this.installs.has(`${appId}:${portalId}`);
  }

  installedApps(portalId: number): SandboxApp[] {
    return [...this.apps.values()].filter((app) => this.isInstalled(app.appId, portalId));
  }

  /** Which app a refresh token belongs to, or null. */
  refreshTokenApp(tokenValue: string): number | null {
    return this.refreshTokens.get(tokenValue)?.appId ?? null;
  }

  /** Revokes the refresh token; the app is uninstalled from its portal with every token. */
  revokeRefreshToken(tokenValue: string): boolean {
    const entry = this.refreshTokens.get(tokenValue);
    if (!entry) return false;
    this.uninstall(entry.appId, entry.portalId);
    return true;
  }

  uninstall(appId: number, portalId: number): void {
    this.installs.delete(`${appId}:${portalId}`);
    for (const [t, e] of this.refreshTokens)
      if (e.appId === appId && e.portalId === portalId) this.refreshTokens.delete(t);
    for (const [t, g] of this.accessTokens)
      if (g.appId === appId && g.portalId === portalId) this.accessTokens.delete(t);
  }

  /** Ends every access token now, as if 30 minutes had passed: to test refreshing. */
  expireAccessTokens(portalId?: number): number {
    let n = 0;
    for (const grant of this.accessTokens.values()) {
      if (grant.appId !== null && (portalId === undefined || grant.portalId === portalId)) {
        grant.expiresAt = this.clock();
        n++;
      }
    }
    return n;
  }
}
