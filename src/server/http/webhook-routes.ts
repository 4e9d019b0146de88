import express, { Router } from 'express';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { RESCORE_DEBOUNCE_MS, type Producer } from '../queue/producer';
import type { Redis } from '../redis';
import type { ActivityStore } from '../storage/activity-store';
import type { InstallationStore } from '../storage/installation-store';
import type { Keys } from '../storage/keys';
import type { PendingRescores } from '../storage/pending-rescores';
import { installedCache, verifyHubSpotRequest } from './hubspot-request';
import { actionsFor, parseWebhookBatch, type EventAction } from './webhook-events';

export interface WebhookDeps {
  publicBaseUrl: string;
  clientSecrets: readonly string[];
  appId: number;
  redis: Redis;
  keys: Keys;
  producer: Producer;
  pending: PendingRescores;
  activity: ActivityStore;
  installations: InstallationStore;
  logger: Logger;
  metrics: Metrics;
  clock?: () => number;
}

const SIGNATURE_MESSAGES = {
  missing_signature:
    'Missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp: only HubSpot may call this endpoint.',
  stale_timestamp:
    'X-HubSpot-Request-Timestamp is more than 5 minutes from now: the request is stale or replayed.',
  bad_signature:
    'X-HubSpot-Signature-v3 does not match: check HUBSPOT_CLIENT_SECRET (and PUBLIC_BASE_URL, which is part of what is signed).',
} as const;

/**
 * `POST /webhooks/hubspot`: verify the v3 signature on the raw body, validate the batch,
 * enqueue, answer 204. No call to HubSpot here: the worker does that.
 */
export function webhookRoutes(deps: WebhookDeps): Router {
  const router = Router();
  const clock = deps.clock ?? Date.now;
  const log = deps.logger.child({ component: 'webhooks' });
  const isInstalled = installedCache(deps.installations, clock);
  const enqueued = new Map<number, number>();

  router.post(
    '/webhooks/hubspot',
    express.raw({ type: () => true, limit: '1mb' }),
    async (req, res) => {
      const { body, verified } = verifyHubSpotRequest(req, deps, clock());
      if (!verified.ok) {
        deps.metrics.webhookEvents.inc({ outcome: 'rejected' });
        log.warn({ reason: verified.error }, 'webhook refused');
        throw new AppError('invalid_signature', SIGNATURE_MESSAGES[verified.error]);
      }
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new AppError(
          'bad_request',
          'The body is not valid JSON: HubSpot sends a JSON array of events.',
        );
      }
      const batch = parseWebhookBatch(json);
      if (!batch.ok)
        throw new AppError('bad_request', `The webhook body is not a batch: ${batch.error}`);
      // Events we cannot read are counted and skipped; the rest of the batch goes on.
      const { events, unreadable } = batch.value;
      for (const event of unreadable) {
        deps.metrics.webhookEvents.inc({ outcome: 'unreadable' });
        log.warn(event, 'webhook event skipped: not in a shape we read');
        if (event.portalId !== null)
          deps.activity
            .eventSkipped(
              event.portalId,
              clock(),
              `${event.subscriptionType ?? 'event'}: ${event.problem}`,
            )
            .catch((error: unknown) =>
              log.warn({ portalId: event.portalId, err: String(error) }, 'skip not recorded'),
            );
      }

      const actions: EventAction[] = events.flatMap((e) => actionsFor(e, deps.appId));
      const byPortal = new Map<number, EventAction[]>();
      for (const a of actions) {
        if (a.kind === 'ignored') {
          deps.metrics.webhookEvents.inc({ outcome: a.reason });
          continue;
        }
        const list = byPortal.get(a.portalId);
        if (list) list.push(a);
        else byPortal.set(a.portalId, [a]);
      }
      for (const [portalId, list] of byPortal) {
        // A privacy deletion is honoured even after an uninstall: the data we keep must go.
        for (const a of list)
          if (a.kind === 'erase') await deps.producer.contactErased(portalId, a.contactId);
        if (!(await isInstalled(portalId))) {
          deps.metrics.webhookEvents.inc({ outcome: 'not-installed' }, list.length);
          continue;
        }
        // One round trip for the batch: the contacts join the portal's pending set, and one
        // debounced job per window rescores them with batch reads.
        const rescore = list.filter(
          (a): a is Extract<EventAction, { kind: 'rescore' }> => a.kind === 'rescore',
        );
        if (rescore.length > 0) {
          await deps.pending.add(
            portalId,
            rescore.map((a) => ({ contactId: a.contactId, occurredAt: a.occurredAt })),
          );
          // One job per portal per debounce window is all it takes; this process skips the add
          // when it made it already (another replica's add is deduplicated by the job id).
          const window = Math.floor(clock() / RESCORE_DEBOUNCE_MS);
          if (enqueued.get(portalId) !== window) {
            await deps.producer.rescorePending(portalId);
            enqueued.set(portalId, window);
          }
        }
        for (const a of list) {
          if (a.kind === 'deleted') await deps.producer.contactDeleted(portalId, a.contactId);
          if (a.kind === 'engagement')
            await deps.producer.engagementCreated(portalId, a.objectType, a.objectId);
        }
        deps.metrics.webhookEvents.inc({ outcome: 'enqueued' }, list.length);
        // Sync health's "last webhook": telemetry, written beside the answer, not before it.
        deps.activity
          .webhookReceived(portalId, clock(), list.length)
          .catch((error: unknown) =>
            log.warn({ portalId, err: String(error) }, 'webhook activity not recorded'),
          );
      }
      res.status(204).end();
    },
  );
  return router;
}
