import type { HandOffView } from '@lead-qualifier/contract';
import { median } from './funnel';

/** What the speed-to-lead report reads of a hand-off. */
export interface Touch {
  ownerId: string | null;
  ownerName: string | null;
  source: string;
  handedOffAt: number;
  firstTouchDueAt: number;
  firstTouchAt: number | null;
  breachedAt: number | null;
  outcome: 'open' | 'qualified' | 'disqualified';
}

/** The first touch was missed: found breached at its check, or open, untouched and past due. */
export const firstTouchMissed = (r: Touch, now: number): boolean =>
  r.breachedAt !== null ||
  (r.firstTouchAt === null && r.outcome === 'open' && now > r.firstTouchDueAt);

/** Minutes from hand-off to first touch, of the hand-offs that were touched. */
const touchMinutes = (rs: readonly Touch[]) =>
  rs.flatMap((r) =>
    r.firstTouchAt === null ? [] : [Math.max(0, (r.firstTouchAt - r.handedOffAt) / 60_000)],
  );

/** Median time to first touch, overall, by owner and by source (the funnel's speed to lead). */
export function firstTouchReport(
  records: readonly Touch[],
  now: number,
): HandOffView['firstTouch'] {
  const breached = (r: Touch) => firstTouchMissed(r, now);
  const group = (key: (r: Touch) => string) => {
    const out = new Map<string, Touch[]>();
    for (const r of records) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
    return out;
  };
  return {
    medianMinutes: median(touchMinutes(records)),
    breached: records.filter(breached).length,
    handedOff: records.length,
    byOwner: [...group((r) => r.ownerId ?? '')]
      .filter(([id]) => id !== '')
      .map(([ownerId, rs]) => ({
        ownerId,
        name: rs[rs.length - 1]!.ownerName ?? `owner ${ownerId}`,
        handedOff: rs.length,
        medianMinutes: median(touchMinutes(rs)),
        breached: rs.filter(breached).length,
      }))
      .sort((a, b) => b.handedOff - a.handedOff || a.name.localeCompare(b.name)),
    bySource: [...group((r) => r.source)]
      .map(([source, rs]) => ({
        source,
        handedOff: rs.length,
        medianMinutes: median(touchMinutes(rs)),
      }))
      .sort((a, b) => b.handedOff - a.handedOff || a.source.localeCompare(b.source)),
  };
}
