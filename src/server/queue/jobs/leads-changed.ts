import { applyLeadChanges } from '../handoff';
import { defineJob } from '../job-scope';

/** Leads HubSpot says changed: their stage, owner and outcome read, sales' verdict applied. */
export const leadsChanged = defineJob(
  'leads-changed',
  { installed: true, properties: true },
  async ({ portalId, leadIds }, scope) => {
    const tracked = await scope.deps.handOffs.contactsOfLeads(portalId, leadIds);
    if (tracked.size === 0) return { skipped: 'no lead of ours' };
    const leads = await scope.deps.sales.readLeads(portalId, [...tracked.keys()]);
    return applyLeadChanges(scope.deps, portalId, leads);
  },
);
