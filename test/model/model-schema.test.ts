/* eslint-disable @typescript-eslint/no-explicit-any -- these tests write deliberately invalid models, which no static type describes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseMarkdown, readme } from '../support/readme';
import { compileModel } from '../../src/server/domain/compile-model';
import { DEFAULT_MODEL, DEFAULT_MODEL_INPUT } from '../../src/server/domain/default-model';
import { parseModel, type ModelInput } from '@lead-qualifier/contract';
import { qualify } from '../../src/server/domain/qualify';
import { NOW, facts } from '../support/personas';

const edit = (change: (m: ModelInput & Record<string, any>) => void): unknown => {
  const copy = structuredClone(DEFAULT_MODEL_INPUT) as ModelInput & Record<string, any>;
  change(copy);
  return copy;
};

function problems(input: unknown): Record<string, string> {
  const parsed = parseModel(input);
  if (parsed.ok) return {};
  return Object.fromEntries(parsed.error.map((p) => [p.path, p.message]));
}

describe('model validation', () => {
  it('the shipped default model is valid', () => {
    expect(parseModel(DEFAULT_MODEL_INPUT).ok).toBe(true);
  });

  it.each([
    [
      'a signal with 0 points',
      (m: any) => (m.engagement.signals[0].points = 0),
      'engagement.signals.0.points',
      /must not be 0/,
    ],
    [
      'a negative engagement signal',
      (m: any) => (m.engagement.signals[1].points = -5),
      'engagement.signals.1.points',
      /negative signals under negatives/,
    ],
    [
      'a positive negative signal',
      (m: any) => (m.negatives[0].points = 5),
      'negatives.0.points',
      /below 0/,
    ],
    [
      'a duplicate id',
      (m: any) => (m.engagement.signals[2].id = 'demo_request'),
      'engagement.signals.2.id',
      /already used at engagement.signals.0.id/,
    ],
    [
      'an unknown buying signal',
      (m: any) => m.sql.buyingSignals.push(['demo_requets']),
      'sql.buyingSignals.4.0',
      /the signal "demo_requets" is not in the model/,
    ],
    [
      'an unknown operator',
      (m: any) => (m.fit.rules[0].anyOf[0].operator = 'like'),
      'fit.rules.0.anyOf.0.operator',
      /./,
    ],
    [
      'a list operator without a list',
      (m: any) => (m.fit.rules[5].anyOf[0].value = 'COMPUTER_SOFTWARE'),
      'fit.rules.5.anyOf.0.value',
      /./,
    ],
    [
      'a range upside down',
      (m: any) => (m.fit.rules[6].anyOf[0].value = [5000, 50]),
      'fit.rules.6.anyOf.0.value',
      /must not exceed/,
    ],
    [
      'a bad property name',
      (m: any) => (m.fit.rules[1].anyOf[0].property = 'Job Title'),
      'fit.rules.1.anyOf.0.property',
      /internal property name/,
    ],
    [
      'grades out of order',
      (m: any) => (m.grades = { A: 40, B: 45, C: 20 }),
      'grades',
      /A > B > C/,
    ],
    [
      'more criteria required than exist',
      (m: any) => (m.sql.minCriteria = 5),
      'sql.minCriteria',
      /cannot require 5 criteria when there are 4/,
    ],
    [
      'a zero half-life',
      (m: any) => (m.engagement.signals[0].halfLifeDays = 0),
      'engagement.signals.0.halfLifeDays',
      /at least 0.01 days/,
    ],
    [
      'a cap of 0',
      (m: any) => (m.engagement.signals[0].cap = 0),
      'engagement.signals.0.cap',
      /at least 1/,
    ],
    [
      'a grade above the top of the scale',
      (m: any) => (m.grades = { A: 150, B: 45, C: 20 }),
      'grades.A',
      /at most 100/,
    ],
    ['a negative MQL score', (m: any) => (m.mql.minScore = -5), 'mql.minScore', /0 or more/],
    [
      'points beyond any score',
      (m: any) => (m.fit.rules[0].points = 1.5e308),
      'fit.rules.0.points',
      /between -1,000 and 1,000/,
    ],
    [
      'a recycle period of a nanosecond',
      (m: any) => (m.recycleDays = 1e-9),
      'recycleDays',
      /at least 1 day/,
    ],
    [
      'ten thousand rules',
      (m: any) =>
        (m.fit.rules = Array.from({ length: 10_000 }, (_, i) => ({
          ...m.fit.rules[0],
          id: `rule_${i}`,
        }))),
      'fit.rules',
      /at most 500 fit rules/,
    ],
    ['a missing MQL threshold', (m: any) => delete m.mql.minScore, 'mql.minScore', /number/],
    [
      'SQL mapped to a stage the portal does not have',
      (m: any) => (m.lifecycle.stages = ['subscriber', 'lead', 'marketingqualifiedlead']),
      'lifecycle.mapping.sql',
      /"salesqualifiedlead" is not one of the portal's lifecycle stages/,
    ],
  ])('refuses %s, naming the field', (_what, change, at, message) => {
    const found = problems(edit(change));
    expect(Object.keys(found)).toContain(at);
    expect(found[at]).toMatch(message);
  });

  it('reports every problem at once', () => {
    const found = problems(
      edit((m: any) => {
        m.version = 0;
        m.mql.minFit = 'high';
        m.negatives[2].source.days = -1;
      }),
    );
    expect(Object.keys(found).sort()).toEqual(['mql.minFit', 'negatives.2.source.days', 'version']);
  });

  it('a model with no rules at all is valid and scores every contact as a lead', () => {
    const empty = parseModel(
      edit((m: any) => {
        m.fit.rules = [];
        m.engagement.signals = [];
        m.negatives = [];
        m.disqualifiers = [];
        m.sql = { buyingSignals: [], criteria: [], minCriteria: 0, minFit: 0 };
      }),
    );
    expect(empty.ok).toBe(true);
    if (empty.ok) expect(qualify(facts({ email: 'a@b.io' }), empty.value, NOW).status).toBe('lead');
  });

  it('a rule whose conditions must all hold matches only when each does, and says what each saw', () => {
    const parsed = parseModel(
      edit((m: any) => {
        m.disqualifiers = [
          {
            id: 'student_abroad',
            label: 'Student outside our markets',
            match: 'all',
            anyOf: [
              { object: 'contact', property: 'jobtitle', operator: 'contains', value: ['student'] },
              { object: 'contact', property: 'country', operator: 'in', value: ['Narnia'] },
            ],
          },
        ];
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const both = qualify(
      facts({ email: 'a@acme.io', jobtitle: 'Student', country: 'Narnia' }),
      parsed.value,
      NOW,
    );
    expect(both.status).toBe('disqualified');
    expect(both.ledger.find((e) => e.rule === 'student_abroad')?.evidence).toMatch(
      /Student.*;.*Narnia/,
    );
    const one = qualify(facts({ email: 'a@acme.io', jobtitle: 'Student' }), parsed.value, NOW);
    expect(one.status).not.toBe('disqualified');
  });

  it('the recycle option moves a silent MQL back to lead, marked as a backward change', () => {
    const parsed = parseModel(edit((m: any) => (m.lifecycle = { recycleMovesBack: true })));
    if (!parsed.ok) throw new Error('model invalid');
    const q = qualify(
      facts({ email: 'a@acme.io', lifecyclestage: 'marketingqualifiedlead', lq_status: 'mql' }),
      parsed.value,
      NOW,
    );
    expect(q.status).toBe('recycled');
    expect(q.lifecycle).toEqual({
      current: 'marketingqualifiedlead',
      target: 'lead',
      change: 'backward',
    });
  });
});

describe('what the model reads', () => {
  const reads = compileModel(DEFAULT_MODEL).reads;

  it('lists the contact, company and engagement properties its rules use', () => {
    expect(reads.contact).toEqual(
      expect.arrayContaining(['email', 'jobtitle', 'hs_email_optout', 'num_conversion_events']),
    );
    expect(reads.company).toEqual(
      expect.arrayContaining(['industry', 'numberofemployees', 'annualrevenue', 'domain']),
    );
    expect(reads.engagements.meetings).toEqual(
      expect.arrayContaining(['hs_meeting_outcome', 'hs_meeting_start_time']),
    );
  });

  it('every contact property the model reads is watched by a webhook, except our own', () => {
    const hooks = JSON.parse(
      readFileSync(
        path.resolve(import.meta.dirname, '../../src/app/webhooks/webhooks-hsmeta.json'),
        'utf8',
      ),
    ) as {
      config: {
        subscriptions: {
          crmObjects: Array<{
            subscriptionType: string;
            objectType: string;
            propertyName?: string;
          }>;
        };
      };
    };
    const watched = new Set(
      hooks.config.subscriptions.crmObjects
        .filter((s) => s.subscriptionType === 'object.propertyChange' && s.objectType === 'contact')
        .map((s) => s.propertyName),
    );
    // createdate never changes; first_conversion_* only change alongside recent_conversion_*.
    const unchanging = new Set([
      'createdate',
      'first_conversion_date',
      'first_conversion_event_name',
    ]);
    const unwatched = reads.contact.filter(
      (p) => !p.startsWith('lq_') && !unchanging.has(p) && !watched.has(p),
    );
    expect(unwatched).toEqual([]);
  });
});

describe('the README', () => {
  it('documents the default model exactly as it ships', async () => {
    const { describeModel } = await import('../../src/server/domain/describe-model');
    expect(normaliseMarkdown(readme())).toContain(normaliseMarkdown(describeModel(DEFAULT_MODEL)));
  });
});
