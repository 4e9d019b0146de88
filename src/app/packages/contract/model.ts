import type { z } from 'zod';
import { crossCheckModel } from './cross-check-model';
import {
  type conditionSchema,
  type criterionSchema,
  type engagementTestSchema,
  type fitRuleSchema,
  modelShape,
  type signalSchema,
} from './model-shape';

export * from './model-shape';

/** Checks that need the whole model: unique ids, references, ordered bands. */
export const modelSchema = modelShape.superRefine(
  (model, ctx) => {
    // Runs even when some fields are invalid, so an admin sees every problem at once; a model
    // too broken to cross-check (a list that is not a list) gets its field errors only.
    try {
      crossCheckModel(model, ctx);
    } catch {
      // the field errors already say what to fix
    }
  },
  { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
);

export type Model = z.output<typeof modelSchema>;
export type ModelInput = z.input<typeof modelSchema>;
export type Condition = z.output<typeof conditionSchema>;
export type EngagementTest = z.output<typeof engagementTestSchema>;
export type Signal = z.output<typeof signalSchema>;
export type FitRule = z.output<typeof fitRuleSchema>;
export type Criterion = z.output<typeof criterionSchema>;

export interface ModelProblem {
  /** Where in the model, e.g. `engagement.signals.2.points`. */
  path: string;
  message: string;
}

/** Validates a model; every problem is reported with its path. */
export function parseModel(
  input: unknown,
): { ok: true; value: Model } | { ok: false; error: ModelProblem[] } {
  const parsed = modelSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(model)',
      message: issue.message,
    })),
  };
}

/**
 * Validates a model edited elsewhere (the settings form, a trained model) as `version`: the
 * version is given by where it is stored, whatever the input says.
 */
export function parseModelAs(
  input: unknown,
  version: number,
): { ok: true; value: Model } | { ok: false; error: ModelProblem[] } {
  const withVersion =
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? { ...input, version }
      : input;
  return parseModel(withVersion);
}
