import { HubSpotError } from './hubspot-error';
import { Faults } from './faults';
import type { SeedTruth } from './generator';
import { readScope } from './http/scopes';
import { OAuthServer, type TokenGrant } from './oauth-server';
import { Portal, type Actor } from './portal';
import { HUBSPOT_RATE_LIMITS, RateLimiter, type RateLimitOptions } from './rate-limiter';
import { HUBSPOT_DELIVERY, WebhookDispatcher, type DeliveryOptions } from './webhook-dispatcher';

export interface SandboxOptions {
  /** Seeds the fault injector (and the data generator's default). */
  seed?: number;
  rateLimits?: Partial<RateLimitOptions>;
  delivery?: Partial<DeliveryOptions>;
  accessTokenTtlSeconds?: number;
  clock?: () => number;
}

/** Requests by endpoint and status, as GET /_sandbox/stats reports them. */
class RequestStats {
  readonly byEndpoint = new Map<string, Map<number, number>>();
  count(endpoint: string, status: number): void {
    const byStatus = this.byEndpoint.get(endpoint) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.byEndpoint.set(endpoint, byStatus);
  }
  toJSON(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [endpoint, byStatus] of [...this.byEndpoint].sort())
      out[endpoint] = Object.fromEntries([...byStatus].map(([s, n]) => [String(s), n]));
    return out;
  }
  total(): number {
    let n = 0;
    for (const byStatus of this.byEndpoint.values()) for (const c of byStatus.values()) n += c;
    return n;
  }
}

export const ALL_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.deals.read',
  'crm.objects.leads.read',
  'crm.objects.leads.write',
  'crm.objects.owners.read',
  'crm.objects.users.read',
  'settings.users.read',
];

/**
 * Scopes that only a portal with the product behind them can grant: the Leads object comes with
 * Sales Hub seats (https://knowledge.hubspot.com/prospecting/use-the-leads-home-page). An app
 * asks for them as `optional_scope`, and HubSpot drops an optional scope the account cannot
 * grant (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/oauth/working-with-oauth,
 * "optional_scope").
 */
export const LEADS_SCOPES = ['crm.objects.leads.read', 'crm.objects.leads.write'];

/** Everything one sandbox holds: portals, apps and tokens, limits, faults, webhooks, counters. */
export class SandboxState {
  readonly portals = new Map<number, Portal>();
  readonly oauth: OAuthServer;
  readonly limiter: RateLimiter;
  readonly faults: Faults;
  readonly dispatcher: WebhookDispatcher;
  readonly stats = new RequestStats();
  /** The generator's ground truth per portal and contact. */
  readonly truth = new Map<number, Map<string, SeedTruth>>();
  /** The last requests served (method, path, status, ms), newest last, at most 1,000. */
  readonly requestLog: Array<{
    at: number;
    method: string;
    path: string;
    status: number;
    ms: number;
    portalId?: number;
  }> = [];
  readonly clock: () => number;
  private nextPortalId = 90_000_001;

  constructor(options: SandboxOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.oauth = new OAuthServer(this.clock, options.accessTokenTtlSeconds ?? 1800);
    this.limiter = new RateLimiter({ ...HUBSPOT_RATE_LIMITS, ...options.rateLimits }, this.clock);
    this.faults = new Faults(options.seed ?? 1);
    this.dispatcher = new WebhookDispatcher({ ...HUBSPOT_DELIVERY, ...options.delivery });
  }

  createPortal(): Portal {
    const id = this.nextPortalId++;
    const portal = new Portal(id, {
      clock: this.clock,
      onChange: (event) =>
        // An object's events reach only the installs granted its read scope.
        this.dispatcher.publish(event, this.oauth.installedApps(event.portalId), (app) =>
          this.oauth.scopesOf(app.appId, event.portalId).includes(readScope(event.objectType)),
        ),
    });
    this.portals.set(id, portal);
    return portal;
  }

  portal(id: number): Portal {
    const portal = this.portals.get(id);
    if (!portal)
      throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `No portal ${id} in this sandbox.`);
    return portal;
  }

  /** An app's token writes as the app (INTEGRATION); a portal token plays a person in the UI. */
  actor(grant: TokenGrant): Actor {
    return grant.appId !== null
      ? { changeSource: 'INTEGRATION', sourceId: String(grant.appId) }
      : { changeSource: 'CRM_UI', sourceId: `userId:${grant.userId}` };
  }
}
