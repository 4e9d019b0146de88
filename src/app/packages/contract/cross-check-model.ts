import type { z } from 'zod';
import type { modelShape } from './model-shape';

/**
 * Checks that need the whole model: unique ids, references between rules and signals, ordered
 * thresholds and grade bands, lifecycle stages that hold the ones the model sets. Each problem
 * is added to `ctx` with its path, as the field checks' are.
 */
export function crossCheckModel(model: z.output<typeof modelShape>, ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  const claim = (value: string, path: (string | number)[]) => {
    const where = path.join('.');
    const first = seen.get(value);
    if (first)
      ctx.addIssue({ code: 'custom', path, message: `id "${value}" is already used at ${first}` });
    else seen.set(value, where);
  };
  model.fit.rules.forEach((r, i) => claim(r.id, ['fit', 'rules', i, 'id']));
  model.engagement.signals.forEach((s, i) => claim(s.id, ['engagement', 'signals', i, 'id']));
  model.negatives.forEach((s, i) => claim(s.id, ['negatives', i, 'id']));
  model.disqualifiers.forEach((d, i) => claim(d.id, ['disqualifiers', i, 'id']));

  model.engagement.signals.forEach((s, i) => {
    if (s.points < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['engagement', 'signals', i, 'points'],
        message: 'an engagement signal adds points: put negative signals under negatives',
      });
    }
    if (s.source.type === 'inactivity') {
      ctx.addIssue({
        code: 'custom',
        path: ['engagement', 'signals', i, 'source', 'type'],
        message: 'inactivity is a negative signal: put it under negatives',
      });
    }
  });
  model.negatives.forEach((s, i) => {
    if (s.points > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['negatives', i, 'points'],
        message: 'a negative signal removes points: use a number below 0',
      });
    }
  });

  const signalIds = new Set([...model.engagement.signals, ...model.negatives].map((s) => s.id));
  model.sql.buyingSignals.forEach((group, g) =>
    group.forEach((signal, k) => {
      if (!signalIds.has(signal)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sql', 'buyingSignals', g, k],
          message: `the signal "${signal}" is not in the model (removed?): take it out of this combination`,
        });
      }
    }),
  );
  const criterionIds = new Set<string>();
  model.sql.criteria.forEach((c, i) => {
    if (criterionIds.has(c.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sql', 'criteria', i, 'id'],
        message: `id "${c.id}" is already used`,
      });
    }
    criterionIds.add(c.id);
    c.anyOf.forEach((t, k) => {
      if (t.type === 'signal' && !signalIds.has(t.signal)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sql', 'criteria', i, 'anyOf', k, 'signal'],
          message: `the signal "${t.signal}" is not in the model (removed?): choose another signal, or remove this way`,
        });
      }
    });
  });
  if (model.sql.minCriteria > model.sql.criteria.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['sql', 'minCriteria'],
      message: `cannot require ${model.sql.minCriteria} criteria when there are ${model.sql.criteria.length}: lower it, or add criteria`,
    });
  }
  const { A, B, C } = model.grades;
  if (!(A > B && B > C)) {
    ctx.addIssue({
      code: 'custom',
      path: ['grades'],
      message: 'grade thresholds must fall: A > B > C',
    });
  }
  if (new Set(model.lifecycle.stages).size !== model.lifecycle.stages.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['lifecycle', 'stages'],
      message: 'a stage is listed twice',
    });
  }
  for (const status of ['lead', 'mql', 'sql'] as const) {
    const stage = model.lifecycle.mapping[status];
    if (stage !== null && !model.lifecycle.stages.includes(stage)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lifecycle', 'mapping', status],
        message: `"${stage}" is not one of the portal's lifecycle stages: choose one of ${model.lifecycle.stages.join(', ')}, or none`,
      });
    }
  }
}
