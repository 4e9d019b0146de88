const DAY_MS = 86_400_000;

/**
 * "today", "yesterday", "3 days ago", "tomorrow", "in 2 days": the ledger's evidence dates.
 * Shared by the model (which writes them at scoring time) and the card (which restates them
 * at reading time, so a contact scored last week does not read "today").
 */
export function relativeDay(at: number, now: number): string {
  // Whole days between, toward zero: a meeting 3.1 days ahead is "in 3 days", not 4.
  const days = Math.trunc((now - at) / DAY_MS);
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days > 1) return `${days} days ago`;
  return days === -1 ? 'tomorrow' : `in ${-days} days`;
}
