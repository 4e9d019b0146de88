import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { qualify } from '../../src/server/domain/qualify';
import { propertyFeatures, type LabelledRow } from '../../src/server/learning/features';
import { fitLogistic } from '../../src/server/learning/logistic';
import {
  DEFAULT_TRAIN_OPTIONS,
  NotEnoughDataError,
  TrainingFailedError,
  train,
} from '../../src/server/learning/train';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');

/** A deterministic pseudo-random stream in [0, 1). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Labelled leads with no `hs_object_id`, whose conversion depends on `visits` and `role`. */
function leads(n: number, extra: (i: number, r: () => number) => object = () => ({})) {
  const r = random(7);
  const rows: LabelledRow[] = [];
  for (let i = 0; i < n; i++) {
    const visits = Math.floor(r() * 20);
    const role = r() < 0.3 ? 'Working Professional' : r() < 0.5 ? 'Student' : 'Unemployed';
    const logit = -2 + 0.18 * visits + (role === 'Working Professional' ? 2 : 0);
    const label = r() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    const at = START + i * 3_600_000;
    rows.push({
      label,
      at,
      facts: {
        contact: {
          id: String(1000 + i),
          properties: {
            createdate: new Date(at).toISOString(),
            visits: String(visits),
            current_occupation: role,
            newsletter: i === 5 ? 'true' : 'false',
            ...(extra(i, r) as Record<string, string>),
          },
        },
        company: null,
        engagements: { calls: [], emails: [], meetings: [], notes: [], tasks: [] },
      },
    });
  }
  return rows;
}

describe('the trainer on real-world-shaped data', () => {
  it('carries its offset as starting points every contact gets, whatever properties it has', () => {
    // Most leads hold the best-converting occupation: the others' rules are negative, so the
    // scale starts below zero and the offset lifts every contact back onto 0–100.
    const rows = leads(2_000, (i) =>
      i % 10 < 7 ? { current_occupation: 'Working Professional' } : {},
    );
    const { model } = train(rows, DEFAULT_MODEL);
    expect(model.fit.startingPoints).toBeGreaterThan(0);
    expect(JSON.stringify(model.fit.rules)).not.toContain('hs_object_id');
    const bare = qualify(
      {
        contact: { id: '1', properties: { visits: '0' } },
        company: null,
        engagements: { calls: [], emails: [], meetings: [], notes: [], tasks: [] },
      },
      model,
      START,
    );
    expect(bare.ledger.find((e) => e.rule === 'starting_points')).toMatchObject({
      label: 'Starting points',
      points: model.fit.startingPoints,
    });
  });

  it('cuts numbers at deciles into one group whose points rise with the value, one line per contact', () => {
    const { model } = train(leads(3_000), DEFAULT_MODEL);
    const visits = model.fit.rules.filter((r) => r.anyOf[0]!.property === 'visits');
    expect(visits.length).toBeGreaterThanOrEqual(4);
    expect(new Set(visits.map((r) => r.group)).size).toBe(1);
    // Highest cut first, points falling with the cut: monotone, as the data is.
    const cuts = visits.map((r) => (r.anyOf[0] as { value: number }).value);
    expect(cuts).toEqual([...cuts].sort((a, b) => b - a));
    const points = visits.map((r) => r.points);
    expect(points).toEqual([...points].sort((a, b) => b - a));
    const lead = leads(3_000)[10]!;
    const lines = qualify(lead.facts, model, lead.at).ledger.filter((e) =>
      e.rule.includes('visits'),
    );
    expect(lines.length).toBeLessThanOrEqual(1);
  });

  it('gives no rule to a value only a handful of rows hold, nor to both sides of a yes/no', () => {
    const rows = leads(2_000, (i) => ({ optin: i % 3 === 0 ? 'true' : 'false' }));
    const features = propertyFeatures(rows);
    // "newsletter" is true on one row of 2,000: no side of it has support.
    expect(features.filter((f) => f.property === 'newsletter')).toEqual([]);
    expect(features.filter((f) => f.property === 'optin')).toHaveLength(1);
  });

  it('keeps one of two properties that hold for exactly the same rows, and reads words, not names', () => {
    const rows = leads(2_000, (i) =>
      i % 4 === 0 ? {} : { a_free_copy_of_the_guide: 'true', page_views: String(i % 7) },
    );
    const { model } = train(rows, DEFAULT_MODEL);
    const labels = model.fit.rules.map((r) => r.label);
    expect(labels.filter((l) => /unknown$/i.test(l)).length).toBeLessThanOrEqual(1);
    expect(labels.some((l) => l.includes('_'))).toBe(false);
    expect(labels).toContain('Current occupation: Working Professional');
  });

  it('selects the few properties that matter among many that do not: tens of rules, not hundreds', () => {
    const rows = leads(3_000, (_, r) =>
      Object.fromEntries(
        Array.from({ length: 150 }, (_, k) => [`noise_${k}`, String(Math.floor(r() * 5))]),
      ),
    );
    const { model } = train(rows, DEFAULT_MODEL);
    expect(model.fit.rules.length).toBeLessThanOrEqual(40);
    const properties = new Set(model.fit.rules.map((r) => r.anyOf[0]!.property));
    expect(properties).toContain('visits');
    expect(properties).toContain('current_occupation');
  });

  it('refuses a fit that does not converge rather than write a model no one backtested', () => {
    expect(() =>
      train(leads(1_000), DEFAULT_MODEL, { ...DEFAULT_TRAIN_OPTIONS, maxIterations: 1 }),
    ).toThrow(TrainingFailedError);
  });

  it('refuses data with nothing to learn from, saying what is wrong', () => {
    const rows = leads(1_000).map((row) => ({
      ...row,
      facts: { ...row.facts, contact: { id: row.facts.contact.id, properties: {} } },
    }));
    expect(() =>
      train(rows, {
        ...DEFAULT_MODEL,
        engagement: { ...DEFAULT_MODEL.engagement, signals: [] },
        negatives: [],
      }),
    ).toThrow(/No property varies enough to learn from/);
    expect(() => train(rows, DEFAULT_MODEL)).toThrow(NotEnoughDataError);
    expect(() => train(rows, DEFAULT_MODEL)).toThrow(/every one is missing/);
  });
});

describe("Newton's method with step control", () => {
  it('converges from a start far away, on data one feature separates, without running off', () => {
    const rows = Array.from({ length: 400 }, (_, i) => ({
      active: Int32Array.from(i % 2 === 0 ? [0] : [1]),
      signals: new Float64Array(0),
    }));
    const labels = Float64Array.from(rows, (_, i) => (i % 2 === 0 ? 1 : 0));
    const fit = fitLogistic(rows, labels, 2, {
      lambda: 1,
      initial: { intercept: 0, weights: [1e8, -1e8] },
    });
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.weights[0]!)).toBeLessThan(20);
    expect(fit.weights[0]!).toBeGreaterThan(fit.weights[1]!);
  });
});

void DAY;
