import { SLA_PROPERTIES, slaOutcome } from '../domain/sla';
import type { Logger } from '../logger';
import type { HandlerDeps, Handlers } from './handlers';
import { mustBeInstalled } from './job-guards';

/** At a follow-up SLA's due time: met, or breached and written for workflows to escalate. */
export function createSlaJob(
  deps: HandlerDeps,
  log: Logger,
  ensurePropertySet: (portalId: number) => Promise<void>,
): Pick<Handlers, 'sla-check'> {
  return {
    async 'sla-check'({ portalId, contactId, dueAt }) {
      await mustBeInstalled(deps, portalId);
      await ensurePropertySet(portalId);
      const read = await deps.crm.readContact(portalId, contactId, [...SLA_PROPERTIES], []);
      if (!read) return { skipped: 'contact gone' };
      const now = deps.clock();
      const outcome = slaOutcome(
        read.contact.properties,
        dueAt,
        now,
        await deps.models.active(portalId),
      );
      // A delayed job may fire a moment early against this clock: retried (with backoff).
      if (outcome.kind === 'not_due')
        throw new Error(`the SLA is due at ${new Date(dueAt).toISOString()}`);
      if (outcome.kind === 'met') await deps.activity.slaChecked(portalId, 'met');
      if (outcome.kind !== 'breached' || outcome.alreadyWritten) return outcome;
      await deps.crm.updateContacts(portalId, [
        {
          id: contactId,
          properties: {
            lq_sla_breached: 'true',
            lq_sla_breached_at: new Date(now).toISOString(),
          },
        },
      ]);
      await deps.activity.slaChecked(portalId, 'breached');
      log.info({ portalId, contactId }, 'follow-up SLA breached');
      return outcome;
    },
  };
}
