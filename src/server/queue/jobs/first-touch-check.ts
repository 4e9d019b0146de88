import { planSlaBreach } from '../../domain/write-back';
import { readTime } from '../../domain/values';
import { applyLeadChanges } from '../handoff';
import { defineJob } from '../job-scope';

/**
 * At a hand-off's first-touch due time: touched (the lead's stage left New, or a call, e-mail
 * or meeting logged on the contact since the hand-off) or breached: the contact's SLA
 * properties are set for workflows, the card and the report show it.
 */
export const firstTouchCheck = defineJob(
  'first-touch-check',
  { installed: true, properties: true },
  async ({ portalId, contactId, dueAt }, scope) => {
    const deps = scope.deps;
    let record = await deps.handOffs.get(portalId, contactId);
    if (!record || record.firstTouchDueAt !== dueAt) return { skipped: 'superseded' };
    if (record.leadId && record.outcome === 'open') {
      await applyLeadChanges(deps, portalId, await deps.sales.readLeads(portalId, [record.leadId]));
      record = (await deps.handOffs.get(portalId, contactId)) ?? record;
    }
    if (record.firstTouchAt !== null || record.outcome !== 'open') return { touched: true };
    const read = await scope.crm.readContact(contactId, ['hs_last_sales_activity_timestamp'], []);
    if (!read) return { skipped: 'contact gone' };
    const activity = readTime(read.contact.properties['hs_last_sales_activity_timestamp']);
    if (activity !== null && activity >= record.handedOffAt) {
      await deps.handOffs.save(portalId, { ...record, firstTouchAt: activity });
      return { touched: true };
    }
    const now = scope.clock();
    if (now < dueAt) throw new Error(`the first touch is due at ${new Date(dueAt).toISOString()}`);
    await scope.crm.updateContacts([{ id: contactId, properties: planSlaBreach(now) }]);
    await deps.handOffs.save(portalId, { ...record, breachedAt: now });
    scope.log.info({ contactId, ownerId: record.ownerId }, 'first touch missed: SLA breached');
    return { breached: true };
  },
);
