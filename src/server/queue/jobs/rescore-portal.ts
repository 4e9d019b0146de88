import { defineJob } from '../job-scope';
import { startBackfill } from './start-backfill';

/** Every contact again, after a publish or a rollback: a new backfill run. */
export const rescorePortal = defineJob(
  'rescore-portal',
  { installed: true, properties: false },
  async ({ reason }, scope) => {
    const started = await startBackfill(scope);
    scope.log.info({ reason, ...started }, 'rescoring every contact');
    return started;
  },
);
