/**
 * Why sales rejects an SQL: the card's list and the `lq_rejection_reason` options (which also
 * hold `none`). Shared by the backend and the UI extensions, so it lives outside both.
 */
export const REJECTION_REASONS = [
  'not_a_fit',
  'no_budget',
  'bad_timing',
  'no_authority',
  'duplicate',
  'other',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const REJECTION_REASON_LABELS: Record<RejectionReason, string> = {
  not_a_fit: 'Not a fit',
  no_budget: 'No budget',
  bad_timing: 'Bad timing',
  no_authority: 'No authority',
  duplicate: 'Duplicate',
  other: 'Other',
};
