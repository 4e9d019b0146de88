import { applyLeadChanges, handOffMode } from '../handoff';
import { defineJob } from '../job-scope';

/** The open leads read again: a stage change whose webhook never came is found here. */
export const leadsSweep = defineJob(
  'leads-sweep',
  { installed: true, properties: true },
  async ({ portalId }, scope) => {
    if ((await handOffMode(scope.deps, portalId)).mode !== 'leads') return { skipped: 'no leads' };
    const open = (await scope.deps.handOffs.open(portalId))
      .filter((r) => r.leadId !== null)
      .map((r) => r.leadId!);
    if (open.length === 0) return { open: 0 };
    const leads = await scope.deps.sales.readLeads(portalId, open);
    return { open: open.length, ...(await applyLeadChanges(scope.deps, portalId, leads)) };
  },
);
