import type { EventAction, UnreadableEvent } from '../hubspot/webhook-events';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { ActivityStore } from '../storage/activity-store';
import type { PendingRescores } from '../storage/pending-rescores';
import type { Producer } from './producer';

interface IngestDeps {
  producer: Producer;
  pending: PendingRescores;
  activity: ActivityStore;
  metrics: Metrics;
  logger: Logger;
  isInstalled: (portalId: number) => Promise<boolean>;
  clock: () => number;
}

/**
 * What a verified webhook batch asks for, queued: per portal, the contacts to rescore join the
 * portal's pending set in one round trip and one debounced job rescores them; the batch's
 * deleted contacts are one job, new engagements are gathered for one debounced job, and each
 * privacy deletion gets its own (it must be done even after an uninstall). Events we could not
 * read are counted and shown in sync health. Nothing here calls HubSpot.
 */
export function createEventIngest(deps: IngestDeps) {
  const log = deps.logger.child({ component: 'webhooks' });

  function recordUnreadable(events: readonly UnreadableEvent[]): void {
    for (const event of events) {
      deps.metrics.webhookEvents.inc({ outcome: 'unreadable' });
      log.warn(event, 'webhook event skipped: not in a shape we read');
      if (event.portalId === null) continue;
      deps.activity
        .eventSkipped(
          event.portalId,
          deps.clock(),
          `${event.subscriptionType ?? 'event'}: ${event.problem}`,
        )
        .catch((error: unknown) =>
          log.warn({ portalId: event.portalId, err: String(error) }, 'skip not recorded'),
        );
    }
  }

  async function ingestPortal(portalId: number, list: EventAction[]): Promise<void> {
    // A privacy deletion is honoured even after an uninstall: the data we keep must go.
    for (const a of list)
      if (a.kind === 'erase') await deps.producer.contactErased(portalId, a.contactId);
    if (!(await deps.isInstalled(portalId))) {
      deps.metrics.webhookEvents.inc({ outcome: 'not-installed' }, list.length);
      return;
    }
    const rescore = list.filter(
      (a): a is Extract<EventAction, { kind: 'rescore' }> => a.kind === 'rescore',
    );
    if (rescore.length > 0) {
      await deps.pending.add(
        portalId,
        rescore.map((a) => ({ contactId: a.contactId, occurredAt: a.occurredAt })),
      );
      // One debounced job per portal rescores them (BullMQ deduplicates the adds).
      await deps.producer.rescorePending(portalId);
    }
    // Deleted contacts: one job for the batch, one round trip.
    const deleted = list.flatMap((a) => (a.kind === 'deleted' ? [a.contactId] : []));
    if (deleted.length > 0) await deps.producer.contactsDeleted(portalId, [...new Set(deleted)]);
    // New engagements are gathered and read together (an import of a thousand calls is a
    // handful of requests), by one debounced job per portal.
    const engagements = list.filter(
      (a): a is Extract<EventAction, { kind: 'engagement' }> => a.kind === 'engagement',
    );
    if (engagements.length > 0) {
      await deps.pending.addEngagements(portalId, engagements);
      await deps.producer.engagementsCreated(portalId);
    }
    // Leads sales worked on: one job for the batch's leads.
    const leads = list.filter(
      (a): a is Extract<EventAction, { kind: 'lead' }> => a.kind === 'lead',
    );
    if (leads.length > 0)
      await deps.producer.leadsChanged(
        portalId,
        [...new Set(leads.map((a) => a.leadId))],
        leads.map((a) => a.eventId),
      );
    deps.metrics.webhookEvents.inc({ outcome: 'enqueued' }, list.length);
    // Sync health's "last webhook": telemetry, written beside the answer, not before it.
    deps.activity
      .webhookReceived(portalId, deps.clock(), list.length)
      .catch((error: unknown) =>
        log.warn({ portalId, err: String(error) }, 'webhook activity not recorded'),
      );
  }

  return {
    async ingest(actions: readonly EventAction[], unreadable: readonly UnreadableEvent[]) {
      recordUnreadable(unreadable);
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
      for (const [portalId, list] of byPortal) await ingestPortal(portalId, list);
    },
  };
}
