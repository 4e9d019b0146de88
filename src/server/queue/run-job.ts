import { UnrecoverableError, type Job } from 'bullmq';
import { LQ_GROUP, LQ_PROPERTIES, LQ_PROPERTY_SET } from '../domain/lq-properties';
import { HubSpotCallError, PortalUnauthorizedError } from '../hubspot/crm-port';
import { JOB_CATALOGUE, type JobName } from './job-catalogue';
import { runAs } from '../hubspot/request-class';
import {
  bindPortal,
  type JobDefinition,
  type JobDeps,
  type JobHandler,
  type JobScope,
} from './job-scope';

/** Permanent failures stop retrying (and are recorded); transient ones are retried with backoff. */
export function toJobError(error: unknown): unknown {
  if (error instanceof PortalUnauthorizedError)
    return new UnrecoverableError(`portal ${error.portalId} is not authorized: ${error.message}`);
  if (error instanceof HubSpotCallError && !error.retryable)
    return new UnrecoverableError(`HubSpot refused (${error.status}): ${error.message}`);
  return error;
}

/**
 * The worker's side of every job: checks what the job declares it needs, then runs it with a
 * scope for its portal. An uninstalled portal stops the job for good and unschedules the
 * portal's recurring jobs; a portal set up by an earlier version gets the lq_* properties this
 * version writes, once.
 */
export function createJobRunner(
  deps: JobDeps,
  jobs: { [N in JobName]: JobDefinition<N> },
): Record<JobName, JobHandler> {
  const log = deps.logger.child({ component: 'jobs' });
  const propertiesCurrent = new Set<number>();
  const done = new Set<string>();

  async function stopIfUninstalled(portalId: number): Promise<void> {
    const inst = await deps.installations.get(portalId);
    if (inst && inst.status === 'active') return;
    await deps.producer.unscheduleSweep(portalId);
    await deps.producer.unscheduleDriftCheck(portalId);
    throw new PortalUnauthorizedError(portalId, 'the app is not installed in this portal');
  }

  async function ensurePropertySet(portalId: number): Promise<void> {
    if (propertiesCurrent.has(portalId)) return;
    if ((await deps.redis.get(deps.keys.propertySet(portalId))) !== LQ_PROPERTY_SET) {
      await deps.crm.ensureProperties(portalId, LQ_GROUP, LQ_PROPERTIES);
      await deps.redis.set(deps.keys.propertySet(portalId), LQ_PROPERTY_SET);
    }
    propertiesCurrent.add(portalId);
  }

  function scopeFor(portalId: number, job: Job): JobScope {
    const jobLog = log.child({ portalId, jobId: job.id, job: job.name });
    return {
      portalId,
      job,
      log: jobLog,
      clock: deps.clock,
      crm: bindPortal(deps.crm, portalId),
      models: bindPortal(deps.models, portalId),
      scores: bindPortal(deps.scores, portalId),
      feedback: bindPortal(deps.feedback, portalId),
      pending: bindPortal(deps.pending, portalId),
      backfills: bindPortal(deps.backfills, portalId),
      activity: bindPortal(deps.activity, portalId),
      previews: bindPortal(deps.previews, portalId),
      trainings: bindPortal(deps.trainings, portalId),
      drift: bindPortal(deps.drift, portalId),
      erasure: bindPortal(deps.erasure, portalId),
      producer: deps.producer,
      async inRunSlot(kind, max, work) {
        const runId = String(job.id);
        const leaseMs = deps.leaseMs;
        if (!(await deps.pending.enterRun(portalId, kind, runId, max, leaseMs)))
          return { ran: false };
        const renew = setInterval(() => {
          deps.pending.extendRun(portalId, kind, runId, leaseMs).catch((error: unknown) => {
            jobLog.warn({ err: String(error) }, 'run lease not extended');
          });
        }, leaseMs / 2);
        try {
          return { ran: true, result: await work() };
        } finally {
          clearInterval(renew);
          await deps.pending.leaveRun(portalId, kind, runId);
        }
      },
      async oncePerProcess(key, work) {
        const id = `${portalId}:${key}`;
        if (done.has(id)) return;
        await work();
        done.add(id);
      },
      deps,
    };
  }

  const handlers = {} as Record<JobName, JobHandler>;
  for (const definition of Object.values(jobs) as JobDefinition[]) {
    handlers[definition.name] = (async (payload: { portalId: number }, job: Job) => {
      if (definition.needs.installed) await stopIfUninstalled(payload.portalId);
      if (definition.needs.properties) await ensurePropertySet(payload.portalId);
      // A bulk job's HubSpot requests give way to realtime ones at the portal's rate limit.
      const cls = JOB_CATALOGUE[definition.name].options.priority ? 'bulk' : 'realtime';
      return runAs(cls, () => definition.run(payload as never, scopeFor(payload.portalId, job)));
    }) as JobHandler;
  }
  return handlers;
}
