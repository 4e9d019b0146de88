import { z } from 'zod';
import { factsSchema } from '../domain/facts';
import { parseIsoTime } from '../domain/values';
import type { LabelledRow } from './features';

/** A scoring CLI input line plus `label` (1 converted, 0 not) and `at` (the snapshot's time). */
const labelledSchema = factsSchema.extend({
  label: z.union([z.literal(0), z.literal(1)], { error: 'must be 1 (converted) or 0 (did not)' }),
  at: z
    .string({ error: 'must be the ISO time of the snapshot, e.g. 2026-01-31T00:00:00Z' })
    .refine((s) => parseIsoTime(s) !== null, 'must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z'),
});

/** One labelled line, or what is wrong with it (the field, and what to write instead). */
export function parseLabelledLine(
  text: string,
): { ok: true; row: LabelledRow } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not valid JSON' };
  }
  const parsed = labelledSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join('.') || '(line)'}: ${issue.message}` };
  }
  const { label, at, ...facts } = parsed.data;
  return { ok: true, row: { facts, label, at: parseIsoTime(at)! } };
}
