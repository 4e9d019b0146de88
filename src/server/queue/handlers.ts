import { randomUUID } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import { compileModel } from '../domain/compile-model';
import type { CrmObject } from '../domain/facts';
import { DEFAULT_MODEL } from '../domain/default-model';
import { engagementObjects } from '../domain/model-schema';
import { LQ_GROUP, LQ_PROPERTIES, LQ_PROPERTY_SET } from '../domain/lq-properties';
import { HubSpotCallError, PortalUnauthorizedError } from '../hubspot/crm-port';
import type { Redis } from '../redis';
import type { ActivityStore } from '../storage/activity-store';
import type { BackfillStore } from '../storage/backfill-store';
import type { ContactErasure } from '../storage/contact-erasure';
import type { FeedbackStore } from '../storage/feedback-store';
import type { PreviewStore } from '../storage/preview-store';
import type { TrainingStore } from '../storage/training-store';
import type { DriftStore } from '../storage/drift-store';
import type { InstallationStore } from '../storage/installation-store';
import type { Keys } from '../storage/keys';
import type { PendingRescores } from '../storage/pending-rescores';
import type { JobName, JobPayload } from './job-catalogue';
import { contactProperties } from './load-facts';
import type { Producer } from './producer';
import { portalStages, scoreContacts, type ScoringDeps } from './score-contacts';
import { mustBeInstalled } from './job-guards';
import { createModelJobs } from './model-jobs';
import { createSlaJob } from './sla-job';

export interface HandlerDeps extends ScoringDeps {
  trainings: TrainingStore;
  drift: DriftStore;
  feedback: FeedbackStore;
  activity: ActivityStore;
  previews: PreviewStore;
  redis: Redis;
  keys: Keys;
  producer: Producer;
  installations: InstallationStore;
  backfills: BackfillStore;
  pending: PendingRescores;
  erasure: ContactErasure;
}

/** Contacts per rescore run (HubSpot's batch size), and how long a run may hold them. */
const PENDING_BATCH = 100;
const PENDING_LEASE_MS = 120_000;
/** Up to this many contacts, per-contact GETs (N + 7 requests) beat the batch path (about 14). */
const SMALL_BATCH = 6;

export type Handlers = { [N in JobName]: (payload: JobPayload<N>, job: Job) => Promise<unknown> };

/** Permanent failures stop retrying (and are recorded); transient ones are retried with backoff. */
export function classify(error: unknown): unknown {
  if (error instanceof PortalUnauthorizedError)
    return new UnrecoverableError(`portal ${error.portalId} is not authorized: ${error.message}`);
  if (error instanceof HubSpotCallError && !error.retryable)
    return new UnrecoverableError(`HubSpot refused (${error.status}): ${error.message}`);
  return error;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const log = deps.logger.child({ component: 'jobs' });
  const propertiesCurrent = new Set<number>();
  const driftScheduled = new Set<number>();

  /**
   * Makes sure the portal has every lq_* property this version writes before writing: a portal
   * set up by an earlier version gets the new ones once (then it is remembered in Redis).
   */
  async function ensurePropertySet(portalId: number): Promise<void> {
    if (propertiesCurrent.has(portalId)) return;
    if ((await deps.redis.get(deps.keys.propertySet(portalId))) !== LQ_PROPERTY_SET) {
      await deps.crm.ensureProperties(portalId, LQ_GROUP, LQ_PROPERTIES);
      await deps.redis.set(deps.keys.propertySet(portalId), LQ_PROPERTY_SET);
    }
    propertiesCurrent.add(portalId);
  }

  /** A new backfill run over every contact (install, publish, rollback). */
  async function startBackfill(portalId: number) {
    const total = await deps.crm.countContacts(portalId);
    const runId = randomUUID().slice(0, 8);
    await deps.backfills.start(portalId, runId, total);
    await deps.producer.backfillPage(portalId, runId, null);
    return { total, runId };
  }

  return {
    ...createModelJobs(deps, log),
    ...createSlaJob(deps, log, ensurePropertySet),

    async 'setup-portal'({ portalId }) {
      await mustBeInstalled(deps, portalId);
      const { created } = await deps.crm.ensureProperties(portalId, LQ_GROUP, LQ_PROPERTIES);
      await deps.redis.set(deps.keys.propertySet(portalId), LQ_PROPERTY_SET);
      await portalStages(deps, portalId, true);
      propertiesCurrent.add(portalId);
      await deps.models.ensureInitial(portalId, DEFAULT_MODEL);
      const { total, runId } = await startBackfill(portalId);
      await deps.producer.scheduleSweep(portalId);
      await deps.producer.scheduleDriftCheck(portalId);
      log.info(
        { portalId, created: created.length, total, runId },
        'portal set up; backfill started',
      );
      return { created, total, runId };
    },

    async 'backfill-page'({ portalId, runId, after }) {
      await mustBeInstalled(deps, portalId);
      await ensurePropertySet(portalId);
      const progress = await deps.backfills.get(portalId);
      if (!progress || progress.runId !== runId || progress.status === 'done')
        return { skipped: 'not the running backfill' };
      const page = after ?? 'start';
      if (await deps.backfills.isPageDone(portalId, page)) return { skipped: 'page already done' };
      const compiled = compileModel(await deps.models.active(portalId));
      const listed = await deps.crm.listContacts(portalId, {
        after: after ?? undefined,
        properties: contactProperties(compiled),
        limit: 100,
      });
      // Claim the page and hand the next one to another worker before scoring this one.
      await deps.backfills.claim(portalId, runId, page, listed.next ?? 'end');
      if (listed.next) await deps.producer.backfillPage(portalId, runId, listed.next);
      const result = await scoreContacts(deps, portalId, listed.results, undefined, 'backfill');
      const counted = await deps.backfills.complete(
        portalId,
        runId,
        page,
        result.scored,
        result.written,
      );
      if (counted === 3) log.info({ portalId, runId }, 'backfill done');
      return result;
    },

    async rescore({ portalId, contactId }) {
      await mustBeInstalled(deps, portalId);
      await ensurePropertySet(portalId);
      const compiled = compileModel(await deps.models.active(portalId));
      // One request for the contact and the ids of everything associated with it.
      const read = await deps.crm.readContact(portalId, contactId, contactProperties(compiled), [
        'companies',
        ...engagementObjects,
      ]);
      if (!read) {
        await deps.scores.remove(portalId, contactId);
        return { gone: true };
      }
      return scoreContacts(
        deps,
        portalId,
        [read.contact],
        new Map([[contactId, read.associations]]),
        'manual',
      );
    },

    async 'rescore-pending'({ portalId }) {
      await mustBeInstalled(deps, portalId);
      await ensurePropertySet(portalId);
      const ids = await deps.pending.take(portalId, PENDING_BATCH, PENDING_LEASE_MS);
      if (ids.length > 0) {
        const compiled = compileModel(await deps.models.active(portalId));
        const properties = contactProperties(compiled);
        let contacts: CrmObject[];
        const known = new Map<string, Map<string, string[]>>();
        if (ids.length <= SMALL_BATCH) {
          // A few contacts: one GET each with their association ids beats six association reads.
          const reads = await Promise.all(
            ids.map((id) =>
              deps.crm.readContact(portalId, id, properties, ['companies', ...engagementObjects]),
            ),
          );
          contacts = [];
          for (const read of reads) {
            if (!read) continue;
            contacts.push(read.contact);
            known.set(read.contact.id, read.associations);
          }
        } else {
          contacts = await deps.crm.readObjects(portalId, 'contacts', ids, properties);
        }
        const found = new Set(contacts.map((c) => c.id));
        for (const id of ids) if (!found.has(id)) await deps.scores.remove(portalId, id);
        await scoreContacts(deps, portalId, contacts, known);
        const firsts = await deps.pending.complete(portalId, ids);
        const now = deps.clock();
        const latencies = firsts.filter((at) => at !== null).map((at) => Math.max(0, now - at));
        for (const ms of latencies) deps.metrics?.freshnessSeconds.observe(ms / 1000);
        await deps.activity.rescored(portalId, latencies);
      }
      // More waiting (a burst larger than a batch, or events that came during this run): go on.
      // Contacts another worker holds are looked at again when their lease lapses.
      const counts = await deps.pending.counts(portalId);
      if (counts.pending > 0)
        await deps.producer.rescorePending(portalId, {
          delay: 0,
          key: `more-${randomUUID().slice(0, 8)}`,
        });
      else if (counts.processing > 0 && counts.nextLeaseEnd !== null) {
        await deps.producer.rescorePending(portalId, {
          delay: Math.max(0, counts.nextLeaseEnd - deps.clock()) + 100,
          key: `lease-${counts.nextLeaseEnd}`,
        });
      }
      return { rescored: ids.length, ...counts };
    },

    async 'engagement-created'({ portalId, objectType, objectId }) {
      await mustBeInstalled(deps, portalId);
      const links = await deps.crm.associations(portalId, objectType, 'contacts', [objectId]);
      const contacts = links.get(objectId) ?? [];
      await deps.pending.add(
        portalId,
        contacts.map((contactId) => ({ contactId })),
      );
      if (contacts.length > 0) await deps.producer.rescorePending(portalId);
      return { contacts: contacts.length };
    },

    async 'contact-deleted'({ portalId, contactId }) {
      await deps.scores.remove(portalId, contactId);
      return { removed: contactId };
    },

    async 'contact-erased'({ portalId, contactId, pass }, job) {
      const jobsRemoved = await deps.producer.removeContactJobs(portalId, contactId, job.id);
      await deps.erasure.erase(portalId, contactId);
      if (pass === 1) await deps.producer.contactErased(portalId, contactId, 2);
      log.info({ portalId, pass, jobsRemoved }, 'contact erased (privacy deletion)');
      return { pass, jobsRemoved };
    },

    async 'sql-feedback'({ portalId, contactId, feedbackId }) {
      await mustBeInstalled(deps, portalId);
      await ensurePropertySet(portalId);
      const record = await deps.feedback.latest(portalId, contactId);
      // A newer decision on the same contact has its own job: this one has nothing to add.
      if (!record || record.id !== feedbackId) return { skipped: 'superseded' };
      const properties = {
        lq_sql_feedback: record.decision,
        lq_sql_feedback_at: new Date(record.at).toISOString(),
        lq_rejection_reason: record.reason ?? 'none',
      };
      const { missing } = await deps.crm.updateContacts(portalId, [{ id: contactId, properties }]);
      if (missing.length > 0) {
        await deps.scores.remove(portalId, contactId);
        return { gone: true };
      }
      const compiled = compileModel(await deps.models.active(portalId));
      const read = await deps.crm.readContact(portalId, contactId, contactProperties(compiled), [
        'companies',
        ...engagementObjects,
      ]);
      if (!read) return { gone: true };
      // What we just wrote counts even if HubSpot's read is a moment behind its write.
      const contact = {
        ...read.contact,
        properties: { ...read.contact.properties, ...properties },
      };
      return scoreContacts(
        deps,
        portalId,
        [contact],
        new Map([[contactId, read.associations]]),
        'feedback',
      );
    },

    async 'rescore-portal'({ portalId, reason }) {
      await mustBeInstalled(deps, portalId);
      const started = await startBackfill(portalId);
      log.info({ portalId, reason, ...started }, 'rescoring every contact');
      return started;
    },

    async sweep({ portalId }) {
      await mustBeInstalled(deps, portalId);
      if (!driftScheduled.has(portalId)) {
        // Portals set up before drift checks existed get theirs (idempotent).
        await deps.producer.scheduleDriftCheck(portalId);
        driftScheduled.add(portalId);
      }
      const due = await deps.scores.takeDue(portalId, deps.clock(), 1000);
      await deps.pending.add(
        portalId,
        due.map((contactId) => ({ contactId })),
      );
      if (due.length > 0) await deps.producer.rescorePending(portalId, { delay: 0 });
      if (due.length === 1000)
        await deps.producer.add(
          'sweep',
          { portalId },
          { jobId: `sweep-${portalId}-more-${Date.now()}` },
        );
      return { due: due.length };
    },
  };
}
