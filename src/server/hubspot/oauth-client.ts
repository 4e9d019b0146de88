import { z } from 'zod';
import { HubSpotCallError } from './crm-port';

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** An authorization code exchanged: the tokens and the account they are for. */
export interface Installed extends TokenSet {
  portalId: number;
  scopes: string[];
}

/**
 * HubSpot's OAuth 2026-03 token endpoint: the code and refresh grants. The v1 endpoints retire on 2027-02-16
 * (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide);
 * the SDK has no client for the new ones, so they are called here, form-encoded as documented.
 */
export interface OAuthClient {
  exchangeCode(code: string, redirectUri: string): Promise<Installed>;
  refresh(refreshToken: string): Promise<TokenSet>;
}

/**
 * HubSpot refused the grant for good (`invalid_grant`): the code is used or unknown, or the
 * refresh token is revoked because the app was uninstalled.
 */
export class GrantRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrantRejectedError';
  }
}

/**
 * HubSpot does not know our client id or secret (`invalid_client`): a deployment problem, not a
 * portal's. Nothing about any portal may be concluded from it.
 */
export class ClientRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientRejectedError';
  }
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
  hub_id: z.number().int().positive().optional(),
  scopes: z.array(z.string()).optional(),
});

/** RFC 6749 section 5.2 codes, and HubSpot's older `status` names for the same failures. */
const CLIENT_FAILURES = /^(invalid_client|unauthorized_client|BAD_CLIENT_ID|BAD_CLIENT_SECRET)$/;
const GRANT_FAILURES = /^(invalid_grant|BAD_AUTH_CODE|BAD_REFRESH_TOKEN|BAD_REDIRECT_URI)$/;

export function createOAuthClient(options: {
  basePath: string;
  clientId: string;
  clientSecret: string;
  clock: () => number;
  timeoutMs?: number;
}): OAuthClient {
  const clock = options.clock;
  const base = options.basePath.replace(/\/$/, '');

  async function post(path: string, form: Record<string, string>): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${base}/oauth/2026-03/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          ...form,
          client_id: options.clientId,
          client_secret: options.clientSecret,
        }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new HubSpotCallError(0, `OAuth ${path}: ${(error as Error).message}`);
    }
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      body = {};
    }
    if (response.ok) return body;
    const code = String(body['error'] ?? body['status'] ?? '');
    const message = String(body['error_description'] ?? body['message'] ?? response.statusText);
    if (GRANT_FAILURES.test(code)) throw new GrantRejectedError(`${code}: ${message}`);
    if (CLIENT_FAILURES.test(code) || response.status === 401)
      throw new ClientRejectedError(`${code || response.status}: ${message}`);
    throw new HubSpotCallError(response.status, `OAuth ${path}: ${message}`);
  }

  function tokens(body: unknown, path: string) {
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success)
      throw new HubSpotCallError(502, `OAuth ${path}: unexpected answer (${parsed.error.message})`);
    return parsed.data;
  }

  return {
    async exchangeCode(code, redirectUri) {
      const t = tokens(
        await post('token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
        'token',
      );
      if (t.hub_id === undefined)
        throw new HubSpotCallError(502, 'OAuth token: the answer names no account (hub_id)');
      return {
        accessToken: t.access_token,
        refreshToken: t.refresh_token,
        expiresAt: clock() + t.expires_in * 1000,
        portalId: t.hub_id,
        scopes: t.scopes ?? [],
      };
    },
    async refresh(refreshToken) {
      const t = tokens(
        await post('token', { grant_type: 'refresh_token', refresh_token: refreshToken }),
        'token',
      );
      return {
        accessToken: t.access_token,
        refreshToken: t.refresh_token || refreshToken,
        expiresAt: clock() + t.expires_in * 1000,
      };
    },
  };
}
