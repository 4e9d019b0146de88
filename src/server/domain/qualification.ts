/** What `qualify` returns: everything the card shows and every property a workflow reads. */

export const STATUSES = ['unscored', 'lead', 'mql', 'sql', 'disqualified', 'recycled'] as const;
export type Status = (typeof STATUSES)[number];

export type Grade = 'A' | 'B' | 'C' | 'D';

export interface LedgerEntry {
  /** The rule or signal id in the model. */
  rule: string;
  label: string;
  kind: 'disqualifier' | 'fit' | 'engagement' | 'negative';
  /** Occurrences counted (after the frequency cap). */
  count: number;
  /** Points before decay. */
  rawPoints: number;
  /** Points after decay: what the score got. */
  points: number;
  /** When it last happened (epoch ms), or null when the data has no date. */
  at: number | null;
  /** What it saw, and when: "Demo request form, 3 days ago". */
  evidence: string;
}

export interface CriterionResult {
  id: string;
  label: string;
  /** What met it, or for a missing criterion what would. */
  evidence: string;
}

export interface NextStep {
  text: string;
  /** Points it would add, when it is a scored signal. */
  points: number | null;
  /** The status it would reach on its own, if any. */
  reaches: 'mql' | 'sql' | null;
}

export interface LifecycleDecision {
  current: string | null;
  /** The stage to write; equals `current` when nothing should change. */
  target: string | null;
  change: 'none' | 'forward' | 'backward';
}

export interface Qualification {
  contactId: string;
  modelVersion: number;
  status: Status;
  /** Why the status is what it is, in one line. */
  reason: string;
  score: number;
  fitScore: number;
  engagementScore: number;
  grade: Grade;
  /** Sums of the ledger's points (after decay), before rounding and clamping. */
  raw: { fit: number; engagement: number; total: number };
  lifecycle: LifecycleDecision;
  ledger: LedgerEntry[];
  buyingSignal: { met: boolean; evidence: string | null };
  criteria: { met: CriterionResult[]; missing: CriterionResult[] };
  next: NextStep[];
  /** Epoch ms of the latest activity of any kind, or null. */
  lastActivityAt: number | null;
}
