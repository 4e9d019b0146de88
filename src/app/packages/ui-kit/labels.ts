import { REJECTION_REASON_LABELS, type RejectionReason } from '@lead-qualifier/shared';
import type { Status } from '@lead-qualifier/contract';

/** How a status reads for a person. (Types only come from the backend: it is not uploaded.) */
export const STATUS_LABEL: Record<Status, string> = {
  unscored: 'Not scored',
  lead: 'Lead',
  mql: 'MQL',
  ready: 'Ready for sales',
  sql: 'SQL',
  disqualified: 'Disqualified',
  recycled: 'Recycled',
};

export const REASON_LABEL = REJECTION_REASON_LABELS;

export const reasonLabel = (reason: string): string =>
  REASON_LABEL[reason as RejectionReason] ?? reason;
export const statusLabel = (status: string): string => STATUS_LABEL[status as Status] ?? status;
