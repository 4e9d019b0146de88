import { defineJob } from '../job-scope';

const SWEEP_BATCH = 1000;

/** Every few minutes: the contacts whose decision changes with time join the pending set. */
export const sweep = defineJob(
  'sweep',
  { installed: true, properties: false },
  async ({ portalId }, scope) => {
    // Portals set up before drift checks existed get theirs (idempotent).
    await scope.oncePerProcess('drift-scheduled', () =>
      scope.producer.scheduleDriftCheck(portalId).then(() => undefined),
    );
    // Open leads are read again every ten minutes (that job reads them, this one only looks
    // whether there are any): a stage change whose webhook never came.
    if (await scope.deps.handOffs.anyOpen(portalId)) await scope.producer.leadsSweep(portalId);
    const due = await scope.scores.takeDue(scope.clock(), SWEEP_BATCH);
    await scope.pending.add(due.map((contactId) => ({ contactId })));
    if (due.length > 0) await scope.producer.rescorePending(portalId, { delay: 0 });
    if (due.length === SWEEP_BATCH)
      await scope.producer.add(
        'sweep',
        { portalId },
        { jobId: `sweep-${portalId}-more-${scope.clock()}` },
      );
    return { due: due.length };
  },
);
