import type { LifecycleDecision, Model, Status } from '@lead-qualifier/contract';
import { readString, type PropertyValue } from './values';

/**
 * The lifecycle stage to write, forward only in the portal's stage order: never earlier than
 * the current stage, never from a stage the portal's list does not hold, never to a stage it
 * does not hold (an admin may remove HubSpot's defaults: a write of a missing option is refused)
 * and never for a status mapped to no stage. HubSpot's own automation moves stages forward only
 * too (https://knowledge.hubspot.com/contacts/use-lifecycle-stages). The one exception is the
 * admin's explicit recycle option, which moves the MQL/SQL stages back to the lead stage.
 */
export function decideLifecycle(
  model: Model,
  status: Status,
  currentValue: PropertyValue,
): LifecycleDecision {
  const current = readString(currentValue);
  const keep: LifecycleDecision = { current, target: current, change: 'none' };
  const stages = model.lifecycle.stages;

  const { mapping } = model.lifecycle;

  if (status === 'recycled' && model.lifecycle.recycleMovesBack) {
    const lead = mapping.lead;
    const qualified = [mapping.mql, mapping.sql].filter((s) => s !== null);
    if (lead !== null && stages.includes(lead) && current !== null && qualified.includes(current))
      return { current, target: lead, change: 'backward' };
    return keep;
  }
  // Ready for sales is still marketing's lead until a rep accepts it: the MQL stage.
  const desired =
    status === 'lead' || status === 'mql' || status === 'sql'
      ? mapping[status]
      : status === 'ready'
        ? mapping.mql
        : null;
  if (desired === null || !stages.includes(desired)) return keep;
  if (current === null) return { current, target: desired, change: 'forward' };
  const from = stages.indexOf(current);
  const to = stages.indexOf(desired);
  if (from === -1 || to <= from) return keep;
  return { current, target: desired, change: 'forward' };
}

/** HubSpot's stages past SQL: sales took the contact on (a deal, a customer). */
const PAST_SQL = new Set(['opportunity', 'customer', 'evangelist']);

/**
 * Is `stage` past SQL: one of HubSpot's stages after it, or after `salesqualifiedlead` in the
 * portal's own order (`order`, when known)?
 */
export function pastSql(stage: string | null, order: readonly string[] = []): boolean {
  if (stage === null) return false;
  if (PAST_SQL.has(stage)) return true;
  const sql = order.indexOf('salesqualifiedlead');
  return sql >= 0 && order.indexOf(stage) > sql;
}

/** The model as it applies in a portal: its lifecycle stages are the portal's own, in order. */
export function inPortal(model: Model, stages: ReadonlyArray<{ value: string }>): Model {
  if (stages.length === 0) return model;
  return { ...model, lifecycle: { ...model.lifecycle, stages: stages.map((s) => s.value) } };
}
