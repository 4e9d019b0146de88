import { randomUUID } from 'node:crypto';
import { compileModel } from '../../domain/compile-model';
import type { CrmObject } from '../../domain/facts';
import { engagementObjects } from '@lead-qualifier/contract';
import { defineJob, type JobScope } from '../job-scope';
import { contactProperties } from '../load-facts';
import { scoreContacts } from '../score-contacts';

/** Contacts per rescore run (HubSpot's batch size). */
const PENDING_BATCH = 100;
/** Runs of one portal's pending rescores at once (two keep its rate limit busy). */
const RUNS_PER_PORTAL = 2;
/** Up to this many contacts, per-contact GETs (N + 7 requests) beat the batch path (about 14). */
const SMALL_BATCH = 6;

/** The contacts waiting in the portal's pending set (webhooks, sweep), up to 100 per run. */
export const rescorePending = defineJob(
  'rescore-pending',
  { installed: true, properties: true },
  async ({ portalId }, scope) => {
    // Held for the worker's lock time: if this worker dies, BullMQ hands its job on after that
    // long, and the contacts go back to pending at the same moment, not minutes later.
    const leaseMs = scope.deps.leaseMs;
    // At most a few runs per portal at once: the others would only wait for the portal's rate
    // limit, holding worker slots another portal's changes could use. A run refused here has
    // nothing to do: a run in progress picks up what is pending when it ends (below).
    const slot = await scope.inRunSlot('rescore-pending', RUNS_PER_PORTAL, async () => {
      const ids = await scope.pending.take(PENDING_BATCH, leaseMs);
      await rescoreHeld(scope, ids);
      return ids;
    });
    if (!slot.ran) return { skipped: 'enough runs in progress for this portal' };
    const ids = slot.result;
    // More waiting (a burst larger than a batch, or events that came during this run): go on.
    // Contacts another worker holds are looked at again when their lease lapses.
    const counts = await scope.pending.counts();
    if (counts.pending > 0)
      await scope.producer.rescorePending(portalId, {
        delay: 0,
        key: `more-${randomUUID().slice(0, 8)}`,
      });
    else if (counts.processing > 0 && counts.nextLeaseEnd !== null) {
      await scope.producer.rescorePending(portalId, {
        delay: Math.max(0, counts.nextLeaseEnd - scope.clock()) + 100,
        key: `lease-${counts.nextLeaseEnd}`,
      });
    }
    return { rescored: ids.length, ...counts };
  },
);

/**
 * Rescores the contacts a run took. While it goes on (a slow HubSpot, a full rate limit), their
 * leases are renewed, as BullMQ renews the job's lock: only a dead worker's contacts are handed
 * back.
 */
async function rescoreHeld(scope: JobScope, ids: string[]): Promise<void> {
  const leaseMs = scope.deps.leaseMs;
  const renew = setInterval(() => {
    scope.pending.extend(ids, leaseMs).catch((error: unknown) => {
      scope.log.warn({ err: String(error) }, 'lease not extended');
    });
  }, leaseMs / 2);
  try {
    if (ids.length > 0) await rescoreTaken(scope, ids);
  } finally {
    clearInterval(renew);
  }
}

/** Reads the contacts a run took, scores them, hands them back, records how fresh they were. */
async function rescoreTaken(scope: JobScope, ids: string[]): Promise<void> {
  const portalId = scope.portalId;
  const compiled = compileModel(await scope.models.active());
  const properties = contactProperties(compiled);
  let contacts: CrmObject[];
  const associationIds = new Map<string, Map<string, string[]>>();
  if (ids.length <= SMALL_BATCH) {
    // A few contacts: one GET each with their association ids beats six association reads.
    const reads = await Promise.all(
      ids.map((id) => scope.crm.readContact(id, properties, ['companies', ...engagementObjects])),
    );
    contacts = [];
    for (const read of reads) {
      if (!read) continue;
      contacts.push(read.contact);
      associationIds.set(read.contact.id, read.associations);
    }
  } else {
    contacts = await scope.crm.readObjects('contacts', ids, properties);
  }
  const found = new Set(contacts.map((c) => c.id));
  for (const id of ids) if (!found.has(id)) await scope.scores.remove(id);
  await scoreContacts(scope.deps, portalId, contacts, associationIds);
  const firsts = await scope.pending.complete(ids);
  const now = scope.clock();
  const latencies = firsts.filter((at) => at !== null).map((at) => Math.max(0, now - at));
  for (const ms of latencies) scope.deps.metrics?.freshnessSeconds.observe(ms / 1000);
  await scope.activity.rescored(latencies);
}
