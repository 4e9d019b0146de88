import type { Model } from './model-schema';
import type { LifecycleDecision, Status } from './qualification';
import { readString, type PropertyValue } from './values';

const TARGET: Partial<Record<Status, string>> = {
  lead: 'lead',
  mql: 'marketingqualifiedlead',
  sql: 'salesqualifiedlead',
};

/**
 * The lifecycle stage to write, forward only: never earlier than the current stage, never on a
 * stage the model does not know (a custom stage, `other`), never past SQL. HubSpot's own
 * automation moves stages forward only too (https://knowledge.hubspot.com/contacts/use-lifecycle-stages).
 * The one exception is the admin's explicit recycle option, which moves MQL/SQL back to lead.
 */
export function decideLifecycle(
  model: Model,
  status: Status,
  currentValue: PropertyValue,
): LifecycleDecision {
  const current = readString(currentValue);
  const keep: LifecycleDecision = { current, target: current, change: 'none' };
  const stages = model.lifecycle.stages;

  if (status === 'recycled' && model.lifecycle.recycleMovesBack) {
    if (current === 'marketingqualifiedlead' || current === 'salesqualifiedlead') {
      return { current, target: 'lead', change: 'backward' };
    }
    return keep;
  }
  const desired = TARGET[status];
  if (desired === undefined) return keep;
  if (current === null) return { current, target: desired, change: 'forward' };
  const from = stages.indexOf(current);
  const to = stages.indexOf(desired);
  if (from === -1 || to <= from) return keep;
  return { current, target: desired, change: 'forward' };
}
