import type { Model } from '@lead-qualifier/contract';
import { readTime, type PropertyValue } from './values';

type SlaOutcome =
  | { kind: 'superseded' }
  | { kind: 'not_due'; dueAt: number }
  | { kind: 'no_longer_qualified'; status: string | null }
  | { kind: 'met'; by: 'feedback' | 'sales_activity' }
  | { kind: 'breached'; alreadyWritten: boolean };

/** The contact properties the SLA decision reads. */
export const SLA_PROPERTIES = [
  'lq_status',
  'lq_mql_date',
  'lq_ready_date',
  'lq_sql_date',
  'lq_sla_due_at',
  'lq_sla_breached',
  'lq_sql_feedback_at',
  'hs_last_sales_activity_timestamp',
] as const;

/** The statuses whose follow-up has an SLA under this model. */
function slaStatuses(model: Model): ReadonlySet<string> {
  const handOff = model.sql.handOff === 'automatic' ? ['sql'] : ['ready', 'sql'];
  return new Set(model.slaFor === 'mql_and_sql' ? ['mql', ...handOff] : handOff);
}

/**
 * What an SLA check finds at `now` for the SLA that was due at `dueAt`: another SLA replaced
 * it, it is not due yet, the contact is no longer qualified, sales worked it in time (an
 * accept or reject, or a logged sales activity, since it qualified), or it is breached.
 */
export function slaOutcome(
  properties: Record<string, PropertyValue>,
  dueAt: number,
  now: number,
  model: Model,
): SlaOutcome {
  if (readTime(properties['lq_sla_due_at']) !== dueAt) return { kind: 'superseded' };
  if (now < dueAt) return { kind: 'not_due', dueAt };
  const status = properties['lq_status'] ?? null;
  if (status === null || !slaStatuses(model).has(status))
    return { kind: 'no_longer_qualified', status };
  // Since the hand-off: ready for sales (the SLA's start, even once a rep made it an SQL),
  // the SQL date when the model makes SQLs, or the MQL date.
  const sinceProperty =
    status === 'mql'
      ? 'lq_mql_date'
      : model.sql.handOff === 'automatic'
        ? 'lq_sql_date'
        : 'lq_ready_date';
  const since = readTime(properties[sinceProperty]) ?? dueAt - model.slaHours * 3_600_000;
  const feedbackAt = readTime(properties['lq_sql_feedback_at']);
  if (feedbackAt !== null && feedbackAt >= since) return { kind: 'met', by: 'feedback' };
  const activityAt = readTime(properties['hs_last_sales_activity_timestamp']);
  if (activityAt !== null && activityAt >= since) return { kind: 'met', by: 'sales_activity' };
  return { kind: 'breached', alreadyWritten: properties['lq_sla_breached'] === 'true' };
}
