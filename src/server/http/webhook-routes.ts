import { Router } from 'express';
import { AppError } from '../errors';
import { actionsFor, parseWebhookBatch } from '../hubspot/webhook-events';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { createEventIngest } from '../queue/ingest-events';
import type { Producer } from '../queue/producer';
import type { ActivityStore } from '../storage/activity-store';
import type { InstallationStore } from '../storage/installation-store';
import type { PendingRescores } from '../storage/pending-rescores';
import type { StateWatch } from '../storage/state-watch';
import { installedCache, rawBodyOf, verifiedByHubSpot } from './hubspot-request';

interface WebhookDeps {
  publicBaseUrl: string;
  clientSecrets: readonly string[];
  appId: number;
  producer: Producer;
  pending: PendingRescores;
  activity: ActivityStore;
  installations: InstallationStore;
  logger: Logger;
  metrics: Metrics;
  clock: () => number;
  /** Notices Redis losing the app's data: webhooks are then refused, for HubSpot to retry. */
  state?: StateWatch;
}

/**
 * `POST /webhooks/hubspot`: verify → parse → ingest → 204 (503 while Redis has lost our data). The v3 signature is checked on the
 * raw body before anything is read; each event is then read on its own (one we cannot read is
 * skipped, never the batch), and the batch is queued. No call to HubSpot here.
 */
export function webhookRoutes(deps: WebhookDeps): Router {
  const router = Router();
  const clock = deps.clock;
  const ingest = createEventIngest({
    ...deps,
    isInstalled: installedCache(deps.installations, clock),
    clock,
  });

  router.post('/webhooks/hubspot', ...verifiedByHubSpot(deps, 'webhooks'), async (_req, res) => {
    let json: unknown;
    try {
      json = JSON.parse(rawBodyOf(res));
    } catch {
      throw new AppError(
        'bad_request',
        'The body is not valid JSON: HubSpot sends a JSON array of events.',
      );
    }
    const batch = parseWebhookBatch(json);
    if (!batch.ok)
      throw new AppError('bad_request', `The webhook body is not a batch: ${batch.error}`);
    // Redis lost our data: every portal would look uninstalled and its events be dropped.
    // Refused instead, HubSpot retries them (for about a day) until Redis is restored or the
    // portals reinstall.
    const lost = await deps.state?.lost();
    if (lost) throw new AppError('unavailable', lost);
    const { events, unreadable } = batch.value;
    await ingest.ingest(
      events.flatMap((e) => actionsFor(e, deps.appId)),
      unreadable,
    );
    res.status(204).end();
  });
  return router;
}
