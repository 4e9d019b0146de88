import type { Facts } from './facts';
import type { Model, Qualification } from '@lead-qualifier/contract';
import { qualify } from './qualify';
import { DAY_MS, readString } from './values';

const PROBES_DAYS = [1, 2, 4, 7, 14, 30, 60, 90, 120, 180, 270, 365];

const decision = (q: Qualification) => `${q.status}|${q.grade}|${q.lifecycle.target}`;

/**
 * When this contact's decision (status, grade or lifecycle target) would next change with
 * nothing new happening — decay, inactivity, recycling, a buying signal ageing out — to within
 * an hour; null when it would not change within a year. The sweep rescores a contact then, so
 * its cost follows what changes, not the portal's size.
 */
export function nextDecisionChange(
  facts: Facts,
  model: Model,
  now: number,
  current: Qualification,
): number | null {
  // Statuses time alone cannot change: disqualified and unscored; recycled (it takes a new
  // buying signal); and a lead that never was an MQL (decay only lowers a score). Skipping them
  // keeps this off most contacts: each probe is a full qualification.
  if (
    current.status === 'unscored' ||
    current.status === 'disqualified' ||
    current.status === 'recycled'
  )
    return null;
  if (current.status === 'lead') {
    const p = facts.contact.properties ?? {};
    const wasMql =
      readString(p['lq_status']) === 'mql' ||
      readString(p['lq_status']) === 'ready' ||
      readString(p['lifecyclestage']) === 'marketingqualifiedlead' ||
      readString(p['lq_mql_date']) !== null;
    if (!wasMql) return null;
  }
  const base = decision(current);
  let before = now;
  for (const days of PROBES_DAYS) {
    const at = now + days * DAY_MS;
    if (decision(qualify(facts, model, at)) !== base) {
      let lo = before;
      let hi = at;
      while (hi - lo > 3_600_000) {
        const mid = Math.floor((lo + hi) / 2);
        if (decision(qualify(facts, model, mid)) !== base) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    before = at;
  }
  return null;
}
