import { DEFAULT_MODEL } from '../../domain/default-model';
import { LQ_GROUP, LQ_PROPERTIES, LQ_PROPERTY_SET } from '../../domain/lq-properties';
import { defineJob } from '../job-scope';
import { portalStages, portalWording } from '../score-contacts';
import { startBackfill } from './start-backfill';

/**
 * After an install: our properties, the portal's lifecycle stages and property labels, model v1,
 * the backfill.
 */
export const setupPortal = defineJob(
  'setup-portal',
  { installed: true, properties: false },
  async ({ portalId }, scope) => {
    const { created } = await scope.crm.ensureProperties(LQ_GROUP, LQ_PROPERTIES);
    await scope.deps.redis.set(scope.deps.keys.propertySet(portalId), LQ_PROPERTY_SET);
    await portalStages(scope.deps, portalId, true);
    await portalWording(scope.deps, portalId, true);
    await scope.models.ensureInitial(DEFAULT_MODEL);
    const { total, runId } = await startBackfill(scope);
    await scope.producer.scheduleSweep(portalId);
    await scope.producer.scheduleDriftCheck(portalId);
    scope.log.info({ created: created.length, total, runId }, 'portal set up; backfill started');
    return { created, total, runId };
  },
);
