import type { Facts } from '../domain/facts';
import { readString } from '../domain/values';
import type { LabelledRow } from './features';

const WON = new Set(['customer', 'evangelist']);

/**
 * Labels a portal's stored contacts for training: a customer (its deal won) converted; a
 * contact at `opportunity` is left out (its deal is open); an SQL sales rejected did not
 * convert, whatever else it did; everyone else did not convert (yet). Every row is a snapshot
 * taken `at` (when the facts were last read); the time split then orders leads by creation.
 */
export function labelStoredFacts(
  facts: Iterable<Facts>,
  rejected: ReadonlySet<string>,
  at: number,
): { rows: LabelledRow[]; open: number } {
  const rows: LabelledRow[] = [];
  let open = 0;
  for (const f of facts) {
    const stage = readString(f.contact.properties['lifecyclestage']);
    if (rejected.has(f.contact.id)) rows.push({ facts: f, label: 0, at });
    else if (stage === 'opportunity') open++;
    else rows.push({ facts: f, label: stage !== null && WON.has(stage) ? 1 : 0, at });
  }
  return { rows, open };
}
