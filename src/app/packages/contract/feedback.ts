/** A rep's accept or reject of an SQL: what the card sends, what is kept, what marketing reads. */
import { REJECTION_REASONS } from '@lead-qualifier/shared';
import { z } from 'zod';
import { actorSchema } from './common';
import { gradeSchema, statusSchema } from './qualification';

export const rejectionReasonSchema = z.enum(REJECTION_REASONS);
export type RejectionReason = z.infer<typeof rejectionReasonSchema>;

/** `POST /api/card/contacts/:contactId/feedback`. */
export const feedbackRequestSchema = z
  .object({
    decision: z.enum(['accepted', 'rejected']),
    reason: rejectionReasonSchema.optional(),
    note: z.string().trim().max(1_000, 'at most 1,000 characters').default(''),
  })
  .superRefine((b, ctx) => {
    if (b.decision === 'rejected' && !b.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'choose why the SQL is rejected' });
    if (b.decision === 'accepted' && b.reason)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'an accepted SQL has no rejection reason',
      });
    if (b.reason === 'other' && b.note === '')
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: 'say why in a note when the reason is "other"',
      });
  });
export type FeedbackRequest = z.input<typeof feedbackRequestSchema>;

/** The rep's decision with the qualification it judged. Never evicted. */
export const feedbackRecordSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  decision: z.enum(['accepted', 'rejected']),
  reason: rejectionReasonSchema.nullable(),
  note: z.string(),
  by: actorSchema,
  at: z.number(),
  modelVersion: z.number(),
  score: z.number(),
  grade: gradeSchema,
  status: statusSchema,
  /** The rules that added points when the rep judged it (what a rejection says about them). */
  rules: z.array(z.string()),
});
export type FeedbackRecord = z.infer<typeof feedbackRecordSchema>;

const count = z.number().int().nonnegative();

/** What sales said, counted by reason, by the rules that fired and by grade. */
export const feedbackStatsSchema = z.object({
  accepted: count,
  rejected: count,
  /** Accepted over judged, or null before any feedback. */
  acceptanceRate: z.number().nullable(),
  reasons: z.array(z.object({ reason: rejectionReasonSchema, count })),
  /** Per rule that had fired: how often its SQLs were accepted and rejected. */
  byRule: z.array(
    z.object({
      rule: z.string(),
      accepted: count,
      rejected: count,
      reasons: z.partialRecord(rejectionReasonSchema, count),
    }),
  ),
  byGrade: z.array(z.object({ grade: gradeSchema, accepted: count, rejected: count })),
});
export type FeedbackStats = z.infer<typeof feedbackStatsSchema>;

/**
 * `GET /api/settings/feedback`: the counts, and the latest 20 decisions, newest first, each with
 * the contact's name as HubSpot holds it now (read for the answer, never stored; null when
 * HubSpot did not give it).
 */
export const feedbackViewSchema = z.object({
  stats: feedbackStatsSchema,
  recent: z.array(feedbackRecordSchema.extend({ contactName: z.string().nullable() })),
});
export type FeedbackView = z.infer<typeof feedbackViewSchema>;
