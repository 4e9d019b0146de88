import { erasePortalKeys } from '../../storage/portal-erasure';
import { defineJob } from '../job-scope';

/**
 * An uninstalled portal's data, erased once its retention is over: every key of the portal and
 * its queued jobs. A reinstall since (the portal active again, or installed anew) keeps
 * everything: the purge was for the install that ended.
 */
export const purgePortal = defineJob(
  'purge-portal',
  { installed: false, properties: false },
  async ({ portalId, installedAt }, scope) => {
    const inst = await scope.deps.installations.get(portalId);
    if (inst && (inst.status === 'active' || inst.installedAt !== installedAt)) {
      scope.log.info({ installedAt }, 'purge skipped: the portal installed the app again');
      return { purged: false };
    }
    await scope.producer.unscheduleSweep(portalId);
    await scope.producer.unscheduleDriftCheck(portalId);
    const jobs = await scope.producer.removePortalJobs(portalId, scope.job.id);
    const keys = await erasePortalKeys(scope.deps.redis, scope.deps.keys, portalId, installedAt);
    scope.log.info({ keys, jobs }, 'uninstalled portal purged');
    return { purged: true, keys, jobs };
  },
);
