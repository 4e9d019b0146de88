import type { Facts } from './facts';
import type { Model } from './model-schema';
import type { Qualification } from './qualification';
import { qualify } from './qualify';
import { DAY_MS } from './values';

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
  if (current.status === 'unscored' || current.status === 'disqualified') return null;
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
