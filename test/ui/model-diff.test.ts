import { describe, expect, it } from 'vitest';
import type { Model } from '@lead-qualifier/contract';
import { diffModels } from '../../src/app/settings/components/model-diff';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';

const words = {
  properties: {
    contacts: [
      {
        name: 'hs_buying_role',
        label: 'Buying Role',
        type: 'enumeration',
        fieldType: 'checkbox',
        groupName: 'sales',
        options: [{ label: 'Decision Maker', value: 'DECISION_MAKER' }],
      },
    ],
    companies: [],
    engagements: { calls: [], emails: [], meetings: [], notes: [], tasks: [] },
    warnings: [],
  },
  stageLabels: { marketingqualifiedlead: 'Marketing Qualified Lead', opportunity: 'Opportunity' },
};

describe('the difference between two versions, in words', () => {
  it('is empty for the same model', () => {
    expect(diffModels(DEFAULT_MODEL, structuredClone(DEFAULT_MODEL), words)).toEqual([]);
  });

  it('names each change by label, with labelled values, never an id', () => {
    const next: Model = structuredClone(DEFAULT_MODEL);
    next.mql.minScore = 40;
    next.sql.handOff = 'automatic';
    next.lifecycle.mapping.mql = 'opportunity';
    next.fit.rules[0]!.points += 5;
    next.fit.rules.push({
      id: 'deciders',
      label: 'Decision makers',
      points: 12,
      match: 'all',
      anyOf: [
        {
          object: 'contact',
          property: 'hs_buying_role',
          operator: 'in',
          value: ['DECISION_MAKER'],
        },
        { object: 'contact', property: 'jobtitle', operator: 'exists' },
      ],
    });
    const removed = next.engagement.signals.pop()!;
    next.sql.buyingSignals = next.sql.buyingSignals.filter((g) => !g.includes(removed.id));
    const [a, b] = next.engagement.signals;
    next.sql.buyingSignals.push([a!.id, b!.id]);
    next.sql.criteria = next.sql.criteria.map((c) => ({
      ...c,
      anyOf: c.anyOf.filter((w) => w.type !== 'signal' || w.signal !== removed.id),
    }));

    const lines = diffModels(DEFAULT_MODEL, next, words);
    const first = DEFAULT_MODEL.fit.rules[0]!;
    expect(lines).toEqual(
      expect.arrayContaining([
        'MQL minimum score: 50 → 40',
        'Who makes an SQL: a rep accepting a lead ready for sales → the model',
        'MQL moves to: Marketing Qualified Lead → Opportunity',
        `Fit rule “${first.label}”: points +${first.points} → +${first.points + 5}`,
        'Adds fit rule “Decision makers”: +12 when Buying Role is any of Decision Maker and jobtitle is known',
        `Removes signal “${removed.label}”`,
        `Adds the buying signal combination ${a!.label} + ${b!.label}`,
      ]),
    );
    const ids = [...DEFAULT_MODEL.engagement.signals, ...DEFAULT_MODEL.fit.rules].map((r) => r.id);
    for (const line of lines) for (const id of ids) expect(line).not.toContain(`“${id}”`);
  });
});
