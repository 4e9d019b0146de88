import { describe, expect, it } from 'vitest';
import { describeEngagement } from '../../src/server/domain/describe-engagement';
import { DEFAULT_WORDING, describeProperty, wordingFrom } from '../../src/server/domain/wording';

const portal = wordingFrom(
  [
    {
      name: 'hs_buying_role',
      label: 'Buying Role',
      type: 'enumeration',
      options: [
        { value: 'DECISION_MAKER', label: 'Decision Maker' },
        { value: 'CHAMPION', label: 'Champion' },
      ],
    },
    { name: 'jobtitle', label: 'Job title (as typed)', type: 'string', options: [] },
    {
      name: 'icp_tier',
      label: 'ICP tier',
      type: 'enumeration',
      options: [{ value: 't1', label: 'Tier 1' }],
    },
  ],
  [
    {
      name: 'industry',
      label: 'Industry',
      type: 'enumeration',
      options: [{ value: 'FINANCIAL_SERVICES', label: 'Financial Services' }],
    },
    { name: 'annualrevenue', label: 'Annual Revenue', type: 'number', options: [] },
    { name: 'numberofemployees', label: 'Number of Employees', type: 'number', options: [] },
  ],
);

describe('evidence in the portal’s words', () => {
  it.each([
    ['contact', 'hs_buying_role', 'DECISION_MAKER', 'Buying Role: Decision Maker'],
    [
      'contact',
      'hs_buying_role',
      'DECISION_MAKER;CHAMPION',
      'Buying Role: Decision Maker, Champion',
    ],
    ['contact', 'jobtitle', 'VP Sales', 'Job title (as typed): VP Sales'],
    ['contact', 'icp_tier', 't1', 'ICP tier: Tier 1'],
    ['company', 'industry', 'FINANCIAL_SERVICES', "Company's Industry: Financial Services"],
    ['company', 'annualrevenue', '53848872', "Company's Annual Revenue: $53.8M"],
    ['company', 'numberofemployees', '616', '616 employees'],
    ['company', 'numberofemployees', '4568', '4,568 employees'],
    ['contact', 'jobtitle', null, 'Job title (as typed) is empty'],
  ] as const)('%s %s = %s reads "%s"', (owner, name, value, expected) => {
    expect(describeProperty(portal, owner, name, value)).toBe(expected);
  });

  it("without the portal's definitions: HubSpot's default labels, values humanized", () => {
    expect(describeProperty(DEFAULT_WORDING, 'company', 'industry', 'FINANCIAL_SERVICES')).toBe(
      "Company's Industry: Financial services",
    );
    expect(describeProperty(DEFAULT_WORDING, 'contact', 'hs_buying_role', 'DECISION_MAKER')).toBe(
      'Buying Role: Decision maker',
    );
    expect(describeProperty(DEFAULT_WORDING, 'contact', 'custom_score_band', 'high')).toBe(
      'Custom score band: high',
    );
  });

  it('an engagement reads as what it is, its first words and when: never its id', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(
      describeEngagement(
        'notes',
        {
          hs_note_body:
            '<p>Need a fix for <b>lead routing</b> &amp; SLAs before Q1 — they use Salesforce today</p>',
        },
        Date.parse('2026-11-20T09:00:00Z'),
        now,
      ),
    ).toBe('Note: “Need a fix for lead routing & SLAs before Q1 — they use Sal…”, 10 days ago');
    expect(describeEngagement('meetings', {}, Date.parse('2026-12-03T15:00:00Z'), now)).toBe(
      'Meeting, in 3 days',
    );
  });
});
