import { SLA_PROPERTIES, slaOutcome } from '../../domain/sla';
import { planSlaBreach } from '../../domain/write-back';
import { defineJob } from '../job-scope';

/** At a follow-up SLA's due time: met, or breached and written for workflows to escalate. */
export const slaCheck = defineJob(
  'sla-check',
  { installed: true, properties: true },
  async ({ contactId, dueAt }, scope) => {
    const read = await scope.crm.readContact(contactId, [...SLA_PROPERTIES], []);
    if (!read) return { skipped: 'contact gone' };
    const now = scope.clock();
    const outcome = slaOutcome(read.contact.properties, dueAt, now, await scope.models.active());
    // A delayed job may fire a moment early against this clock: retried (with backoff).
    if (outcome.kind === 'not_due')
      throw new Error(`the SLA is due at ${new Date(dueAt).toISOString()}`);
    if (outcome.kind === 'met') await scope.activity.slaChecked('met');
    if (outcome.kind !== 'breached' || outcome.alreadyWritten) return outcome;
    await scope.crm.updateContacts([{ id: contactId, properties: planSlaBreach(now) }]);
    await scope.activity.slaChecked('breached');
    scope.log.info({ contactId }, 'follow-up SLA breached');
    return outcome;
  },
);
