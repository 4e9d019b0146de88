/** What the contact sidebar card reads: one response, so the card renders after one request. */
import { z } from 'zod';
import { feedbackRecordSchema } from './feedback';
import { leadViewSchema } from './handoff';
import {
  milestonesSchema,
  scoredQualificationSchema,
  statusChangeViewSchema,
} from './qualification';

/**
 * `GET /api/card/contacts/:contactId`, and the answer to the card's rescore (202) and feedback
 * (202) requests.
 */
export const cardViewSchema = z.object({
  contactId: z.string(),
  /** Server time, so the card can say "2 hours ago" whatever the browser's clock says. */
  now: z.number(),
  state: z.enum(['scored', 'unscored', 'not_synced']),
  qualification: scoredQualificationSchema.nullable(),
  activeModelVersion: z.number().nullable(),
  feedback: feedbackRecordSchema.nullable(),
  /** A rescore or a feedback write asked for and not yet reflected in the qualification. */
  pending: z.object({ kind: z.enum(['rescore', 'feedback']), since: z.number() }).nullable(),
  /** Whether Accept SQL / Reject SQL apply to this contact now. */
  canGiveFeedback: z.boolean(),
  /** The label the portal gives the contact's lifecycle stage (its own stages, renamed or not). */
  stageLabel: z.string().nullable(),
  /** The company the contact was scored with (its primary company), by name. */
  company: z.object({ id: z.string(), name: z.string() }).nullable(),
  milestones: milestonesSchema,
  /** The latest status changes, newest first (at most five). */
  history: z.array(statusChangeViewSchema),
  /** The contact's hand-off to sales (its HubSpot Lead or task), once it was handed off. */
  lead: leadViewSchema.nullable(),
  /** Whether "Hand to sales" applies: hand-off on, qualified, and no open lead yet. */
  canHandOff: z.boolean(),
});
export type CardView = z.infer<typeof cardViewSchema>;
