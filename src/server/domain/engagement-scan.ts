import type { PropertyPredicate, Properties } from './conditions';
import { engagementDate, type LatestTime } from './engagement-dates';
import type { CrmObject, Facts } from './facts';
import type { EngagementObject } from '@lead-qualifier/contract';
import type { PropertyValue } from './values';

/** One engagement signal's test, and the slot its occurrences go to. */
export interface ScannedSignal {
  slot: number;
  test: PropertyPredicate;
  /** The engagement's own date: its age drives decay. */
  dateProperty: string;
}

/** Every engagement signal reading one object type: its list is walked once for all of them. */
export interface EngagementScan {
  object: EngagementObject;
  signals: ScannedSignal[];
}

/** What one engagement signal matched on one contact: their dates, and how many had none. */
export interface Occurrences {
  times: number[];
  undated: number;
}

const EMPTY: Properties = {};

/** When an engagement happened: HubSpot's activity date, else when it was created. */
export const activityDate = (item: CrmObject): PropertyValue =>
  item.properties?.['hs_timestamp'] || item.createdAt;

/**
 * Walks each engagement list once (`scans` holds one entry per engagement object), adding every
 * engagement's activity date to `latest` and testing every signal that reads that list. A matched
 * engagement's date (`engagementDate`) is parsed once however many signals matched it. Returns
 * the occurrences by slot; a slot nothing matched stays undefined.
 */
export function scanEngagements(
  scans: readonly EngagementScan[],
  slots: number,
  facts: Facts,
  now: number,
  latest: LatestTime,
): Array<Occurrences | undefined> {
  const found = new Array<Occurrences | undefined>(slots);
  for (let s = 0; s < scans.length; s++) {
    const { object, signals } = scans[s]!;
    const list = facts.engagements[object];
    if (list === undefined) continue;
    for (let i = 0; i < list.length; i++) {
      const item = list[i]!;
      latest.add(activityDate(item));
      if (signals.length === 0) continue;
      const props = item.properties ?? EMPTY;
      let parsedFor: string | null = null;
      let at: number | null = null;
      for (let k = 0; k < signals.length; k++) {
        const signal = signals[k]!;
        if (!signal.test(props, now)) continue;
        if (parsedFor !== signal.dateProperty) {
          parsedFor = signal.dateProperty;
          at = engagementDate(item, parsedFor);
        }
        const occurrences = (found[signal.slot] ??= { times: [], undated: 0 });
        if (at === null) occurrences.undated++;
        else occurrences.times.push(at);
      }
    }
  }
  return found;
}
