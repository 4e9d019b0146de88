import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_INPUT, DEMO_MODEL } from '../../src/server/domain/default-model';
import { modelSchema } from '@lead-qualifier/contract';
import { qualify } from '../../src/server/domain/qualify';
import { emailPropsArb, factsArb, meetingPropsArb } from '../support/arbitrary-facts';
import { NOW } from '../support/personas';

const model = DEMO_MODEL;
const stages = model.lifecycle.stages;
const RUNS = { numRuns: 400 };

describe('model invariants, over generated contacts', () => {
  it('is deterministic: the same contact, model and time give the same bytes', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const a = JSON.stringify(qualify(facts, model, NOW));
        const b = JSON.stringify(qualify(structuredClone(facts), model, NOW));
        expect(a).toBe(b);
      }),
      RUNS,
    );
  });

  it('adding a positive signal never lowers the score', () => {
    const addition = fc.oneof(
      meetingPropsArb.map((p) => ({
        kind: 'meetings' as const,
        p: { ...p, hs_meeting_outcome: 'COMPLETED' },
      })),
      emailPropsArb.map((p) => ({
        kind: 'emails' as const,
        p: { ...p, hs_email_direction: 'INCOMING_EMAIL', hs_email_subject: 'Re: pricing' },
      })),
      fc.integer({ min: 1, max: 50 }).map((n) => ({ kind: 'page_views' as const, n })),
    );
    fc.assert(
      fc.property(factsArb, addition, (facts, add) => {
        const before = qualify(facts, model, NOW);
        const more = structuredClone(facts);
        if (add.kind === 'page_views') {
          const views = Number(more.contact.properties['hs_analytics_num_page_views']);
          const base = Number.isFinite(views) && views >= 0 ? Math.floor(views) : 0;
          more.contact.properties['hs_analytics_num_page_views'] = String(base + add.n);
        } else {
          (more.engagements[add.kind] ??= []).push({ id: 'added', properties: add.p });
        }
        expect(qualify(more, model, NOW).raw.total).toBeGreaterThanOrEqual(before.raw.total - 1e-9);
        expect(qualify(more, model, NOW).score).toBeGreaterThanOrEqual(before.score);
      }),
      RUNS,
    );
  });

  it('decay never raises the score as time passes', () => {
    fc.assert(
      fc.property(factsArb, fc.integer({ min: 1, max: 400 }), (facts, days) => {
        const now = qualify(facts, model, NOW);
        const later = qualify(facts, model, NOW + days * 86_400_000);
        expect(later.raw.total).toBeLessThanOrEqual(now.raw.total + 1e-9);
        expect(later.score).toBeLessThanOrEqual(now.score);
      }),
      RUNS,
    );
  });

  it('the target lifecycle stage is never earlier than the current one', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const { current, target, change } = qualify(facts, model, NOW).lifecycle;
        expect(change).not.toBe('backward');
        const from = current === null ? -1 : stages.indexOf(current);
        if (current !== null && from === -1) expect(target).toBe(current);
        else expect(stages.indexOf(target ?? '')).toBeGreaterThanOrEqual(from);
      }),
      RUNS,
    );
  });

  it("the ledger's points sum to the score's raw total", () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const q = qualify(facts, model, NOW);
        const sum = (kinds: string[]) =>
          q.ledger.filter((e) => kinds.includes(e.kind)).reduce((s, e) => s + e.points, 0);
        expect(sum(['fit', 'engagement', 'negative', 'disqualifier'])).toBeCloseTo(q.raw.total, 6);
        expect(sum(['fit'])).toBeCloseTo(q.raw.fit, 6);
        expect(q.score).toBe(Math.min(100, Math.max(0, Math.round(q.raw.total))));
        for (const e of q.ledger)
          expect(Math.abs(e.points)).toBeLessThanOrEqual(Math.abs(e.rawPoints) + 1e-9);
      }),
      RUNS,
    );
  });

  it('never returns NaN or a blank status, whatever HubSpot sends', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const q = qualify(facts, model, NOW);
        for (const n of [q.score, q.fitScore, q.engagementScore, q.raw.total])
          expect(Number.isFinite(n)).toBe(true);
        expect(q.status).toMatch(/^(unscored|lead|mql|ready|sql|disqualified|recycled)$/);
        expect(q.grade).toMatch(/^[ABCD]$/);
      }),
      RUNS,
    );
  });

  it('rounds the score from the total the ledger shows, not from its floating-point sum', () => {
    // 0.01 + 2.36 + 0.13 is 2.4999999999999996 in floating point: the ledger reads 2.5, so 3.
    const rule = (id: string, points: number) => ({
      id,
      label: id,
      points,
      anyOf: [{ object: 'contact' as const, property: 'jobtitle', operator: 'exists' as const }],
    });
    const fitOnly = modelSchema.parse({
      ...structuredClone(DEFAULT_MODEL_INPUT),
      fit: { maxPoints: 50, rules: [rule('a', 0.01), rule('b', 2.36), rule('c', 0.13)] },
    });
    const q = qualify(
      { contact: { id: '1', properties: { jobtitle: 'Analyst' } }, company: null, engagements: {} },
      fitOnly,
      NOW,
    );
    expect(q.ledger.map((e) => e.points)).toEqual([0.01, 2.36, 0.13]);
    expect(q.raw.total).toBe(2.5);
    expect(q.score).toBe(3);
  });

  it('scores 0, not -0, when the points sum to just below zero', () => {
    // Fit -9 (a student manager) and engagement 8.5 make -0.5, which Math.round makes -0.
    const q = qualify(
      {
        contact: {
          id: '1',
          properties: {
            jobtitle: 'Student',
            hs_seniority: 'manager',
            country: 'United States',
            num_conversion_events: '5',
            hs_analytics_last_url: 'https://x.io/pricing',
            hs_email_open: '7',
            hs_email_bounce: '1',
          },
        },
        company: null,
        engagements: {},
      },
      model,
      NOW,
    );
    expect(q.raw.total).toBe(-0.5);
    expect(Object.is(q.score, 0)).toBe(true);
  });
});
