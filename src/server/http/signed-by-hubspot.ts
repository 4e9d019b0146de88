import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { InstallationStore } from '../storage/installation-store';
import type { Actor } from '@lead-qualifier/contract';
import { installedCache, rawBodyOf, verifiedByHubSpot } from './hubspot-request';

/** Who is calling, from the query parameters HubSpot adds to a signed `hubspot.fetch` URL. */
interface Caller {
  portalId: number;
  /** The user, as recorded with what they do (feedback, drafts, publishes). */
  actor: Actor;
}

export interface SignedDeps {
  publicBaseUrl: string;
  clientSecrets: readonly string[];
  appId: number;
  installations: InstallationStore;
  logger: Logger;
  clock: () => number;
}

/** One decimal id from the signed query string; a repeated or missing one is refused. */
function queryId(req: Request, name: string, required: boolean): number | null {
  const value = req.query[name];
  if (value === undefined) {
    if (!required) return null;
    throw new AppError(
      'bad_request',
      `The signed URL has no ${name}: HubSpot adds it to every hubspot.fetch call.`,
    );
  }
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value))
    throw new AppError('bad_request', `${name} must appear once, as a positive whole number.`);
  return Number(value);
}

export function callerOf(res: { locals: Record<string, unknown> }): Caller {
  return res.locals['caller'] as Caller;
}

/**
 * Verifies a `hubspot.fetch` call as a webhook is verified (v3 signature over method, full URL
 * with HubSpot's query parameters, raw body and timestamp), then takes the portal and user from
 * that signed URL. The portal must have the app installed. The JSON body lands in `req.body`.
 */
export function signedByHubSpot(deps: SignedDeps): RequestHandler[] {
  const clock = deps.clock;
  const isInstalled = installedCache(deps.installations, clock);

  return [
    ...verifiedByHubSpot(deps, 'ui-api'),
    async (req, res, next) => {
      const body = rawBodyOf(res);
      const portalId = queryId(req, 'portalId', true)!;
      const userId = queryId(req, 'userId', true)!;
      const appId = queryId(req, 'appId', false);
      if (appId !== null && appId !== deps.appId)
        throw new AppError('forbidden', `This request was signed for app ${appId}, not this one.`);
      const email = req.query['userEmail'];
      if (!(await isInstalled(portalId)))
        throw new AppError(
          'forbidden',
          `Lead Qualifier is not installed in portal ${portalId} (or was uninstalled): install it again to use the card and settings.`,
        );
      let json: unknown = {};
      if (body !== '') {
        try {
          json = JSON.parse(body);
        } catch {
          throw new AppError('bad_request', 'The request body is not valid JSON.');
        }
      }
      req.body = json;
      res.locals['caller'] = {
        portalId,
        actor: { userId, userEmail: typeof email === 'string' && email !== '' ? email : null },
      } satisfies Caller;
      next();
    },
  ];
}
