import type { PropertyHistory } from './facts';
import { readNumber, readString, readTime } from './values';

/** Some occurrences at one time (null: the data carries no date). */
export interface DatedCount {
  at: number | null;
  n: number;
}

/** The entries of a history that carry a valid time, oldest first. */
function oldestFirst(history: PropertyHistory): Array<{ value: string | null; at: number }> {
  const out: Array<{ value: string | null; at: number }> = [];
  for (const entry of history) {
    const at = readTime(entry.timestamp);
    if (at !== null) out.push({ value: readString(entry.value), at });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Takes `excess` occurrences off the most recent steps (a counter that went down). */
function trimNewest(steps: DatedCount[], excess: number): void {
  for (let i = steps.length - 1; i >= 0 && excess > 0; i--) {
    const take = Math.min(steps[i]!.n, excess);
    steps[i]!.n -= take;
    excess -= take;
  }
  while (steps.length > 0 && steps[steps.length - 1]!.n === 0) steps.pop();
}

/**
 * When a lifetime counter ("300 page views") counted what it counts: each rise of its value at
 * the time HubSpot recorded it, newest first. `current` is its value now; `lastAt` the date of
 * its latest occurrence (e.g. the last visit), which dates the latest rise when the history is
 * older (an import sets a counter once; a history HubSpot cut short misses the newest values).
 * What the history does not date (the value it started from) counts at its oldest entry.
 */
export function counterSteps(
  history: PropertyHistory,
  current: number,
  lastAt: number | null,
): DatedCount[] {
  const steps: DatedCount[] = [];
  let total = 0;
  for (const { value, at } of oldestFirst(history)) {
    const v = readNumber(value);
    if (v === null || v < 0) continue;
    const n = Math.floor(v);
    if (n > total) steps.push({ at, n: n - total });
    else if (n < total) trimNewest(steps, total - n);
    total = n;
  }
  if (current > total) steps.push({ at: lastAt, n: current - total });
  else if (current < total) trimNewest(steps, total - current);
  const latest = steps[steps.length - 1];
  if (latest && lastAt !== null && latest.at !== null && latest.at < lastAt) latest.at = lastAt;
  return steps.reverse();
}

/** One form submission: the form's name and when. */
export interface Conversion {
  name: string;
  at: number | null;
}

/** Two records of one submission are at most this far apart (property set vs. submitted). */
const SAME_SUBMISSION_MS = 60_000;

/**
 * Every form submission HubSpot recorded, newest first: each value the contact's "recent
 * conversion" property took (its history), and the first and most recent conversion where the
 * history lacks them (HubSpot keeps a limited history; data from elsewhere may have none).
 */
export function conversions(
  history: PropertyHistory | undefined,
  recent: Conversion | null,
  first: Conversion | null,
): Conversion[] {
  const out: Conversion[] = [];
  if (history)
    for (const { value, at } of oldestFirst(history))
      if (value !== null) out.push({ name: value, at });
  const add = (c: Conversion | null) => {
    if (c === null) return;
    const known = out.some(
      (o) =>
        o.name === c.name &&
        (o.at === c.at ||
          (o.at !== null && c.at !== null && Math.abs(o.at - c.at) <= SAME_SUBMISSION_MS)),
    );
    if (!known) out.push(c);
  };
  add(recent);
  add(first);
  return out.sort((a, b) => (b.at ?? Infinity) - (a.at ?? Infinity));
}
