import type { Job } from 'bullmq';
import { PortalUnauthorizedError } from '../hubspot/crm-port';
import type { HandlerDeps } from './handlers';

/** A job for a portal that uninstalled stops for good (and its schedules with it). */
export async function mustBeInstalled(deps: HandlerDeps, portalId: number): Promise<void> {
  const inst = await deps.installations.get(portalId);
  if (!inst || inst.status !== 'active') {
    // Uninstalled: its scheduled sweep stops too.
    await deps.producer.unscheduleSweep(portalId);
    await deps.producer.unscheduleDriftCheck(portalId);
    throw new PortalUnauthorizedError(portalId, 'the app is not installed in this portal');
  }
}

/** Whether this run is the job's last try: an admin is told of a failure only then. */
export const isLastAttempt = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
