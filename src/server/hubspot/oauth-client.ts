import { Client } from '@hubspot/api-client';
import { HubSpotCallError } from './crm-port';

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface TokenInfo {
  portalId: number;
  hubDomain: string;
  scopes: string[];
}

/** HubSpot's OAuth token endpoint and token info, through @hubspot/api-client. */
export interface OAuthClient {
  exchangeCode(code: string, redirectUri: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
  tokenInfo(accessToken: string): Promise<TokenInfo>;
}

/** A refresh HubSpot refused for good: the refresh token is revoked or the app uninstalled. */
export class RefreshRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefreshRejectedError';
  }
}

export function createOAuthClient(options: {
  basePath: string;
  clientId: string;
  clientSecret: string;
  clock?: () => number;
}): OAuthClient {
  const client = new Client({ basePath: options.basePath, numberOfApiCallRetries: 0 });
  const clock = options.clock ?? Date.now;
  const fail = (error: unknown): never => {
    const e = error as { code?: number; body?: { status?: string; message?: string } };
    if (
      e?.code === 400 &&
      /BAD_REFRESH_TOKEN|BAD_CLIENT|BAD_AUTH_CODE|BAD_REDIRECT/.test(String(e.body?.status))
    ) {
      throw new RefreshRejectedError(`${e.body?.status}: ${e.body?.message ?? 'refused'}`);
    }
    throw new HubSpotCallError(
      e?.code ?? 0,
      e?.body?.message ?? (error as Error)?.message ?? 'OAuth call failed',
    );
  };
  return {
    async exchangeCode(code, redirectUri) {
      try {
        const t = await client.oauth.tokensApi.create(
          'authorization_code',
          code,
          redirectUri,
          options.clientId,
          options.clientSecret,
        );
        return {
          accessToken: t.accessToken,
          refreshToken: t.refreshToken,
          expiresAt: clock() + t.expiresIn * 1000,
        };
      } catch (error) {
        return fail(error);
      }
    },
    async refresh(refreshToken) {
      try {
        const t = await client.oauth.tokensApi.create(
          'refresh_token',
          undefined,
          undefined,
          options.clientId,
          options.clientSecret,
          refreshToken,
        );
        return {
          accessToken: t.accessToken,
          refreshToken: t.refreshToken || refreshToken,
          expiresAt: clock() + t.expiresIn * 1000,
        };
      } catch (error) {
        return fail(error);
      }
    },
    async tokenInfo(accessToken) {
      try {
        const info = await client.oauth.accessTokensApi.get(accessToken);
        return { portalId: info.hubId, hubDomain: info.hubDomain ?? '', scopes: info.scopes };
      } catch (error) {
        return fail(error);
      }
    },
  };
}
