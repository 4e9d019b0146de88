import { createHmac } from 'node:crypto';
import { OBJECT_TYPES, resolveObjectType } from './object-types';
import type { SandboxApp, WebhookSubscription } from './oauth-server';
import type { ChangeEvent } from './portal';

/** One event of a delivery, with HubSpot's field names (docs: webhooks, generic subscriptions). */
interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  /** Absent on association changes, which name both sides instead. */
  objectId?: number;
  objectTypeId?: string;
  changeSource: string;
  sourceId?: string;
  changeFlag?: string;
  propertyName?: string;
  propertyValue?: string;
  primaryObjectId?: number;
  mergedObjectIds?: number[];
  newObjectId?: number;
  numberOfPropertiesMoved?: number;
  associationType?: string;
  fromObjectId?: number;
  toObjectId?: number;
  fromObjectTypeId?: string;
  toObjectTypeId?: string;
  associationTypeId?: number;
  associationCategory?: string;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
}

export interface DeliveryOptions {
  /** Events gathered for this long go out together (≤ 100 per request). */
  batchWindowMs: number;
  /** Attempts per event, the first included (HubSpot: 10, spread over about 24 hours). */
  maxAttempts: number;
  /** Delay before the first retry; doubled each time, up to maxDelayMs. */
  retryBaseMs: number;
  maxDelayMs: number;
  /** A delivery not answered within this counts as failed (HubSpot: about 5 s). */
  timeoutMs: number;
}

export const HUBSPOT_DELIVERY: DeliveryOptions = {
  batchWindowMs: 50,
  maxAttempts: 10,
  retryBaseMs: 60_000,
  maxDelayMs: 8 * 3_600_000,
  timeoutMs: 5_000,
};

interface DeliveryStats {
  deliveries: number;
  delivered: number;
  failed: number;
  retries: number;
  dropped: number;
  events: number;
}

/** `X-HubSpot-Signature-v3`: base64 HMAC-SHA256 of method + URI + body + timestamp. */
export function signV3(
  secret: string,
  method: string,
  uri: string,
  body: string,
  timestamp: string,
): string {
  return createHmac('sha256', secret)
    .update(`${method}${uri}${body}${timestamp}`, 'utf8')
    .digest('base64');
}

const TYPE_BY_KIND: Record<ChangeEvent['kind'], string> = {
  creation: 'creation',
  deletion: 'deletion',
  propertyChange: 'propertyChange',
  merge: 'merge',
  restore: 'restore',
  associationChange: 'associationChange',
  privacyDeletion: 'privacyDeletion',
};

/** Does `sub` (object.* or legacy contact.* form) cover `event`? */
function subscribes(sub: WebhookSubscription, event: ChangeEvent): string | null {
  if (!sub.active) return null;
  const kind = TYPE_BY_KIND[event.kind];
  const [prefix, action] = sub.subscriptionType.split('.');
  if (action !== kind) return null;
  const target =
    prefix === 'object' ? resolveObjectType(sub.objectType ?? '') : resolveObjectType(prefix ?? '');
  if (target !== event.objectType) return null;
  if (kind === 'propertyChange' && sub.propertyName !== event.propertyName) return null;
  return sub.subscriptionType;
}

type Envelope = Pick<
  WebhookEvent,
  | 'eventId'
  | 'subscriptionId'
  | 'portalId'
  | 'appId'
  | 'occurredAt'
  | 'subscriptionType'
  | 'attemptNumber'
  | 'changeSource'
  | 'sourceId'
>;

/**
 * The event HubSpot sends for `change` under a subscription. Association changes carry no
 * `objectId`: generic (`object.associationChange`) ones name both sides' type ids and the
 * association type id and category; legacy (`contact.associationChange`) ones an
 * `associationType` such as CONTACT_TO_COMPANY (https://developers.hubspot.com/changelog/new-subscription-types-for-webhooks,
 * https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions).
 */
function eventFor(change: ChangeEvent, subscriptionType: string, envelope: Envelope): WebhookEvent {
  const association = change.association;
  if (association) {
    const common = {
      ...envelope,
      fromObjectId: association.fromObjectId,
      toObjectId: association.toObjectId,
      associationRemoved: association.associationRemoved,
      isPrimaryAssociation: association.isPrimaryAssociation,
    };
    return subscriptionType.startsWith('object.')
      ? {
          ...common,
          fromObjectTypeId: OBJECT_TYPES[change.objectType].typeId,
          toObjectTypeId: OBJECT_TYPES[association.toObjectType].typeId,
          associationTypeId: association.associationTypeId,
          associationCategory: 'HUBSPOT_DEFINED',
        }
      : { ...common, associationType: association.associationType };
  }
  return {
    ...envelope,
    objectId: Number(change.objectId),
    objectTypeId: OBJECT_TYPES[change.objectType].typeId,
    ...(change.kind === 'creation' ? { changeFlag: 'CREATED' } : {}),
    ...(change.kind === 'propertyChange'
      ? { propertyName: change.propertyName, propertyValue: change.propertyValue }
      : {}),
    ...(change.merge ?? {}),
  };
}

interface Pending {
  app: SandboxApp;
  events: WebhookEvent[];
}

/**
 * Delivers change events to the apps installed in a portal, as HubSpot does: batched, signed
 * with the app's client secret (v3), at most `maxConcurrentRequests` at once, and retried with
 * backoff until delivered or out of attempts.
 */
export class WebhookDispatcher {
  readonly stats: DeliveryStats = {
    deliveries: 0,
    delivered: 0,
    failed: 0,
    retries: 0,
    dropped: 0,
    events: 0,
  };
  options: DeliveryOptions;
  private readonly queues = new Map<number, WebhookEvent[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Map<number, number>();
  private readonly apps = new Map<number, SandboxApp>();
  private nextEventId = 1;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(options: DeliveryOptions) {
    this.options = options;
  }

  /**
   * Queues the events `change` raises for each app whose subscriptions cover it and whose
   * install may read the object (`canRead`: an app subscribes to an object's events with that
   * object's read scope, https://developers.hubspot.com/docs/api/webhooks, "Scopes").
   */
  publish(
    change: ChangeEvent,
    apps: SandboxApp[],
    canRead: (app: SandboxApp) => boolean = () => true,
  ): void {
    for (const app of apps) {
      if (!app.webhooks || !canRead(app)) continue;
      app.webhooks.subscriptions.forEach((sub, index) => {
        const subscriptionType = subscribes(sub, change);
        if (subscriptionType === null) return;
        const event = eventFor(change, subscriptionType, {
          eventId: this.nextEventId++,
          subscriptionId: index + 1,
          portalId: change.portalId,
          appId: app.appId,
          occurredAt: change.occurredAt,
          subscriptionType,
          attemptNumber: 0,
          changeSource: change.actor.changeSource,
          ...(change.actor.sourceId ? { sourceId: change.actor.sourceId } : {}),
        });
        this.enqueue(app, [event], this.options.batchWindowMs);
      });
    }
  }

  private enqueue(app: SandboxApp, events: WebhookEvent[], delayMs: number): void {
    if (this.closed) return;
    this.apps.set(app.appId, app);
    const queue = this.queues.get(app.appId) ?? [];
    const wasEmpty = queue.length === 0;
    if (delayMs > this.options.batchWindowMs) {
      // A retry: it waits its own backoff, apart from fresh events.
      this.later(delayMs, () => this.enqueue(app, events, this.options.batchWindowMs));
      return;
    }
    queue.push(...events);
    this.queues.set(app.appId, queue);
    if (wasEmpty) this.later(delayMs, () => this.flush(app.appId));
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private flush(appId: number): void {
    const app = this.apps.get(appId);
    const queue = this.queues.get(appId);
    if (!app?.webhooks || !queue || queue.length === 0) return this.checkIdle();
    const limit = Math.max(1, app.webhooks.maxConcurrentRequests);
    while (queue.length > 0 && (this.inFlight.get(appId) ?? 0) < limit) {
      const batch = queue.splice(0, 100);
      this.inFlight.set(appId, (this.inFlight.get(appId) ?? 0) + 1);
      void this.deliver({ app, events: batch }).finally(() => {
        this.inFlight.set(appId, (this.inFlight.get(appId) ?? 1) - 1);
        this.flush(appId);
      });
    }
    this.checkIdle();
  }

  private async deliver({ app, events }: Pending): Promise<void> {
    const url = app.webhooks!.targetUrl;
    const body = JSON.stringify(events);
    const timestamp = String(Date.now());
    this.stats.deliveries++;
    this.stats.events += events.length;
    let ok = false;
    try {
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon',
          'X-HubSpot-Signature-v3': signV3(app.clientSecret, 'POST', url, body, timestamp),
          'X-HubSpot-Request-Timestamp': timestamp,
          'X-HubSpot-Signature-Version': 'v3',
        },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      ok = response.status >= 200 && response.status < 300;
      await response.arrayBuffer().catch(() => undefined);
    } catch {
      ok = false;
    }
    if (ok) {
      this.stats.delivered++;
      return;
    }
    this.stats.failed++;
    const retry = events
      .filter((e) => e.attemptNumber + 1 < this.options.maxAttempts)
      .map((e) => ({ ...e, attemptNumber: e.attemptNumber + 1 }));
    this.stats.dropped += events.length - retry.length;
    if (retry.length === 0) return;
    this.stats.retries++;
    const attempt = retry[0]!.attemptNumber;
    const delay = Math.min(this.options.maxDelayMs, this.options.retryBaseMs * 2 ** (attempt - 1));
    this.enqueue(app, retry, Math.max(delay, this.options.batchWindowMs + 1));
  }

  /** Resolves once nothing is queued, waiting or in flight (for tests and the demo). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    if (this.timers.size > 0) return false;
    for (const n of this.inFlight.values()) if (n > 0) return false;
    for (const q of this.queues.values()) if (q.length > 0) return false;
    return true;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.checkIdle();
  }
}
