import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from '../redis';
import { JOB_CATALOGUE, type JobName, type JobPayload } from './job-catalogue';

export const QUEUE_NAME = 'jobs';
/** How long an uninstalled portal's data is kept, for a reinstall to find it. */
export const UNINSTALLED_RETENTION_MS = 30 * 86_400_000;

/** How often each portal's sweep looks for contacts whose decision changes with time. */
const SWEEP_EVERY_MS = 5 * 60_000;

/** How often the open leads are read again, for a lead webhook that never came. */
const LEADS_SWEEP_EVERY_MS = 10 * 60_000;

/** How long events for one contact are gathered into one rescore. */
const RESCORE_DEBOUNCE_MS = 400;

/** How often each portal's grades are checked for drift. */
const DRIFT_EVERY_MS = 7 * 86_400_000;

/** A privacy deletion's second pass, after jobs running at the first have ended. */
const ERASE_AGAIN_AFTER_MS = 60_000;
const ERASE_SCAN_PAGE = 1_000;

/** Adds catalogued jobs, validating each payload; job ids never contain ':' (BullMQ). */
export function createProducer(
  connection: Redis,
  prefix: string,
  options: { clock: () => number; eraseAgainAfterMs?: number },
) {
  const clock = options.clock;
  const eraseAgainAfterMs = options.eraseAgainAfterMs ?? ERASE_AGAIN_AFTER_MS;
  const queue = new Queue(QUEUE_NAME, { connection, prefix });

  async function add<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: JobsOptions = {},
  ): Promise<void> {
    const data = JOB_CATALOGUE[name].schema.parse(payload);
    await queue.add(name, data, { ...JOB_CATALOGUE[name].options, ...options });
  }

  /**
   * A portal's run of `name` after the debounce window: one however many adds come in it, by
   * BullMQ's deduplication (throttle mode: adds with the same id within the ttl are absorbed).
   * A `key` names a follow-up run past the deduplication, due after `delay` (default: at once).
   */
  const addDebounced = (
    name: 'rescore-pending' | 'engagements-created',
    portalId: number,
    idPrefix: string,
    options: { delay?: number; key?: string },
  ) =>
    add(
      name,
      { portalId },
      options.key === undefined
        ? {
            deduplication: { id: `${idPrefix}-${portalId}`, ttl: RESCORE_DEBOUNCE_MS },
            delay: options.delay ?? RESCORE_DEBOUNCE_MS,
          }
        : { jobId: `${idPrefix}-${portalId}-${options.key}`, delay: options.delay ?? 0 },
    );

  /** Removes the jobs (waiting, delayed, finished) whose payload `matches`. */
  async function removeJobs(
    matches: (data: { portalId?: unknown; contactId?: unknown }) => boolean,
    exceptJobId?: string,
  ): Promise<number> {
    const states = ['waiting', 'delayed', 'prioritized', 'completed', 'failed'] as const;
    let removed = 0;
    for (let start = 0; ; start += ERASE_SCAN_PAGE) {
      const jobs = await queue.getJobs([...states], start, start + ERASE_SCAN_PAGE - 1);
      for (const job of jobs) {
        const data = job?.data as { portalId?: unknown; contactId?: unknown } | undefined;
        if (!job || job.id === exceptJobId || !data || !matches(data)) continue;
        // A job that started meanwhile cannot be removed; a second pass follows it.
        await job.remove().then(
          () => removed++,
          () => undefined,
        );
      }
      if (jobs.length < ERASE_SCAN_PAGE) return removed;
    }
  }

  return {
    queue,
    add,
    setupPortal: (portalId: number) =>
      add('setup-portal', { portalId }, { jobId: `setup-${portalId}-${clock()}` }),
    backfillPage: (portalId: number, runId: string, after: string | null) =>
      add(
        'backfill-page',
        { portalId, runId, after },
        { jobId: `backfill-${portalId}-${runId}-${after ?? 'start'}` },
      ),
    backfillRecent: (
      portalId: number,
      runId: string,
      since: number,
      afterId: string | null,
      listed: number,
    ) =>
      add(
        'backfill-recent',
        { portalId, runId, since, afterId, listed },
        { jobId: `backfill-${portalId}-${runId}-recent-${afterId ?? 'start'}` },
      ),
    /**
     * The SLA check of one SQL, delayed until its due time. The job id is the SQL episode's, so
     * scheduling it again (a rescore, a restart) keeps one; delayed jobs live in Redis.
     */
    slaCheck: (portalId: number, contactId: string, dueAt: number, now: number) =>
      add(
        'sla-check',
        { portalId, contactId, dueAt },
        { jobId: `sla-${portalId}-${contactId}-${dueAt}`, delay: Math.max(0, dueAt - now) },
      ),
    /** Rescores one contact now (the card's "Rescore now"). */
    rescore: (portalId: number, contactId: string) =>
      add(
        'rescore',
        { portalId, contactId, reason: 'manual' },
        { jobId: `rescore-${portalId}-${contactId}-${clock()}` },
      ),
    /**
     * A run of the portal's pending rescores after the debounce window: one job per portal per
     * window however many events arrive in it, by BullMQ's own deduplication (throttle mode:
     * adds with the same id within `ttl` are absorbed). A run that leaves contacts behind
     * schedules its follow-up under a key of its own, past the deduplication.
     */
    rescorePending: (portalId: number, options: { delay?: number; key?: string } = {}) =>
      addDebounced('rescore-pending', portalId, 'pending', options),
    /**
     * A run over the portal's new engagements, debounced as `rescorePending` is; `key` names a
     * follow-up run past the deduplication.
     */
    engagementsCreated: (portalId: number, key?: string) =>
      addDebounced(
        'engagements-created',
        portalId,
        'engagements',
        key === undefined ? {} : { key },
      ),
    /**
     * The contacts a webhook batch deleted: one job (a batch HubSpot delivers again is the same
     * job, by its id).
     */
    contactsDeleted: (portalId: number, contactIds: string[]) =>
      add(
        'contacts-deleted',
        { portalId, contactIds },
        {
          jobId: `deleted-${portalId}-${createHash('sha256')
            .update([...contactIds].sort().join(','))
            .digest('hex')
            .slice(0, 24)}`,
        },
      ),
    /**
     * HubSpot's privacy deletion (GDPR): everything stored about the contact goes. A second pass
     * a minute later erases what a job running at the time of the first may have written.
     */
    contactErased: (portalId: number, contactId: string, pass: 1 | 2 = 1) =>
      add(
        'contact-erased',
        { portalId, contactId, pass },
        {
          jobId: `erased-${portalId}-${contactId}-${pass}`,
          ...(pass === 2 ? { delay: eraseAgainAfterMs } : {}),
        },
      ),
    /** Removes the jobs (waiting, delayed, finished) whose payload names the contact. */
    removeContactJobs: (portalId: number, contactId: string, exceptJobId?: string) =>
      removeJobs((data) => data.portalId === portalId && data.contactId === contactId, exceptJobId),
    /** Removes every job (waiting, delayed, finished) of the portal. */
    removePortalJobs: (portalId: number, exceptJobId?: string) =>
      removeJobs((data) => data.portalId === portalId, exceptJobId),
    /**
     * The purge of an uninstalled portal's data, `afterMs` from now (default 30 days), for the
     * install that ended; a reinstall meanwhile makes it a no-op.
     */
    purgePortal: (portalId: number, installedAt: number, afterMs = UNINSTALLED_RETENTION_MS) =>
      add(
        'purge-portal',
        { portalId, installedAt },
        { jobId: `purge-${portalId}-${installedAt}`, delay: afterMs },
      ),
    /** Hands a contact to sales; one job per contact while it waits or runs. */
    handOff: (portalId: number, contactId: string) =>
      add('hand-off', { portalId, contactId }, { jobId: `handoff-${portalId}-${contactId}` }),
    /** Leads a webhook batch says changed; a redelivered batch (same events) is the same job. */
    leadsChanged: (portalId: number, leadIds: string[], eventIds: number[]) =>
      add(
        'leads-changed',
        { portalId, leadIds },
        {
          jobId: `leads-${portalId}-${createHash('sha256')
            .update(`${[...leadIds].sort().join(',')}|${[...eventIds].sort().join(',')}`)
            .digest('hex')
            .slice(0, 24)}`,
        },
      ),
    /** The open leads read again, at most once per LEADS_SWEEP_EVERY_MS. */
    leadsSweep: (portalId: number) =>
      add(
        'leads-sweep',
        { portalId },
        { jobId: `leads-sweep-${portalId}-${Math.floor(clock() / LEADS_SWEEP_EVERY_MS)}` },
      ),
    firstTouchCheck: (portalId: number, contactId: string, dueAt: number) =>
      add(
        'first-touch-check',
        { portalId, contactId, dueAt },
        { jobId: `touch-${portalId}-${contactId}-${dueAt}`, delay: Math.max(0, dueAt - clock()) },
      ),
    sqlFeedback: (portalId: number, contactId: string, feedbackId: string) =>
      add(
        'sql-feedback',
        { portalId, contactId, feedbackId },
        { jobId: `feedback-${portalId}-${feedbackId}` },
      ),
    /** The contacts changed since a credentials incident began, from search page `after`. */
    catchUp: (portalId: number, since: number, after: string | null = null) =>
      add(
        'catch-up',
        { portalId, since, after },
        { jobId: `catch-up-${portalId}-${since}-${after ?? 'start'}` },
      ),
    rescorePortal: (portalId: number, reason: JobPayload<'rescore-portal'>['reason']) =>
      add('rescore-portal', { portalId, reason }, { jobId: `rescore-all-${portalId}-${clock()}` }),
    train: (portalId: number, trainingId: string) =>
      add('train', { portalId, trainingId }, { jobId: `train-${portalId}-${trainingId}` }),
    preview: (portalId: number, previewId: string) =>
      add('preview', { portalId, previewId }, { jobId: `preview-${portalId}-${previewId}` }),
    sweep: (portalId: number) =>
      add('sweep', { portalId }, { jobId: `sweep-${portalId}-${Math.floor(clock() / 60_000)}` }),
    /** The portal's sweep, every SWEEP_EVERY_MS: rescores contacts whose decision time has come. */
    scheduleSweep: (portalId: number, everyMs = SWEEP_EVERY_MS) =>
      queue.upsertJobScheduler(
        `sweep-${portalId}`,
        { every: everyMs },
        {
          name: 'sweep',
          data: JOB_CATALOGUE.sweep.schema.parse({ portalId }),
          opts: { removeOnComplete: true, removeOnFail: { age: 86_400 } },
        },
      ),
    unscheduleSweep: (portalId: number) => queue.removeJobScheduler(`sweep-${portalId}`),
    /** The weekly drift check (idempotent: one scheduler per portal). */
    scheduleDriftCheck: (portalId: number) =>
      queue.upsertJobScheduler(
        `drift-${portalId}`,
        { every: DRIFT_EVERY_MS },
        {
          name: 'drift-check',
          data: JOB_CATALOGUE['drift-check'].schema.parse({ portalId }),
          opts: { removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } },
        },
      ),
    unscheduleDriftCheck: (portalId: number) => queue.removeJobScheduler(`drift-${portalId}`),
    /** A drift check now (the settings page's "Check now"). */
    driftCheckNow: (portalId: number) =>
      add('drift-check', { portalId }, { jobId: `drift-${portalId}-${clock()}` }),
    close: () => queue.close(),
  };
}
export type Producer = ReturnType<typeof createProducer>;
