import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { qualify } from '../../src/server/domain/qualify';
import { daysAgo, facts, NOW } from '../support/personas';

const vp = {
  email: 'vp@acme.io',
  jobtitle: 'VP Marketing',
  hs_seniority: 'vp',
  country: 'United States',
};

describe('recycling returns an MQL to nurture, nothing else', () => {
  it('a VP at an ideal company with no tracked activity yet, created today, is not recycled', () => {
    const q = qualify(facts({ ...vp, createdate: daysAgo(0) }), DEFAULT_MODEL, NOW);
    expect(q.status).not.toBe('recycled');
  });

  it('a lead that never was an MQL and went silent stays a lead, saying its next activity counts', () => {
    const model = { ...DEFAULT_MODEL, mql: { minScore: 1, minFit: 0 } };
    const q = qualify(facts({ ...vp, createdate: daysAgo(400) }), model, NOW);
    expect(q.status).toBe('lead');
    expect(q.reason).toMatch(/no activity for \d+\+ days: its next activity makes it one/);
  });

  it('an MQL that went silent is recycled', () => {
    const q = qualify(
      facts({ ...vp, createdate: daysAgo(400), lq_status: 'mql', lq_mql_date: daysAgo(200) }),
      DEFAULT_MODEL,
      NOW,
    );
    expect(q.status).toBe('recycled');
  });
});
