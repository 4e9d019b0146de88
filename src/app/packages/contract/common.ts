import { z } from 'zod';

/** Who did something in the settings page or on the card (from the signed request). */
export const actorSchema = z.object({ userId: z.number(), userEmail: z.string().nullable() });
export type Actor = z.infer<typeof actorSchema>;

/** A field the request got wrong, and what to do about it. */
const problemSchema = z.object({ path: z.string(), message: z.string() });

/** Every 4xx/5xx the backend sends: a code to branch on, a sentence to show, the fields. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(problemSchema).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** An id the backend handed out for a background run (a preview, a training). */
export const recordIdSchema = z.string().uuid('an id the settings page was given');

/** A HubSpot contact id in a path. */
export const contactIdSchema = z.string().regex(/^\d{1,20}$/, 'a HubSpot contact id (digits)');
