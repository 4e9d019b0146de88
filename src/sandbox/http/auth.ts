import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HubSpotError } from '../hubspot-error';
import type { TokenGrant } from '../oauth-server';
import type { SandboxState } from '../sandbox-state';

export interface AuthedRequest extends Request {
  grant: TokenGrant;
}

/** HubSpot's 403 when a token lacks a scope the endpoint needs. */
export function requireScopes(req: Request, scopes: string[]): void {
  const granted = (req as AuthedRequest).grant.scopes;
  const missing = scopes.filter((s) => !granted.includes(s));
  if (missing.length === 0) return;
  throw new HubSpotError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: scopes },
        },
      ],
    },
  );
}

/** HubSpot's 403 unless the token holds at least one of `alternatives`. */
export function requireAnyScope(req: Request, alternatives: string[]): void {
  const granted = (req as AuthedRequest).grant.scopes;
  if (alternatives.some((s) => granted.includes(s))) return;
  requireScopes(req, alternatives.slice(0, 1));
}

/** Authenticates the bearer token, applies the rate limits, then any injected fault. */
export function apiGate(state: SandboxState): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.baseUrl + req.path;
    const fault = state.faults.pick(path);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout') {
      const timer = setTimeout(() => req.socket.destroy(), fault.config.timeoutMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    const proceed = () => {
      try {
        const grant = state.oauth.authenticate(req.headers.authorization);
        (req as AuthedRequest).grant = grant;
        const headers = state.limiter.take(
          `${grant.portalId}:${grant.appId ?? 'portal'}`,
          path.endsWith('/search'),
        );
        res.set(headers);
        if (fault?.kind === '429') {
          // Injected: counted as a fault, not as the app overrunning its limit.
          throw new HubSpotError(
            429,
            'RATE_LIMITS',
            'You have reached your ten_secondly_rolling limit.',
            {
              extra: { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' },
            },
          );
        }
        if (fault?.kind === '500') throw new HubSpotError(500, 'INTERNAL_ERROR', 'internal error');
        if (fault?.kind === '502') throw new HubSpotError(502, 'BAD_GATEWAY', 'Bad Gateway');
        next();
      } catch (error) {
        next(error);
      }
    };
    if (fault?.kind === 'latency') setTimeout(proceed, fault.config.latencyMs);
    else proceed();
  };
}
