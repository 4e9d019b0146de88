import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { qualify } from '../../src/server/domain/qualify';
import { redactFacts } from '../../src/server/domain/redact';
import { factsArb } from '../support/arbitrary-facts';
import { NOW } from '../support/personas';

describe('facts kept at rest', () => {
  it('score, status and reasons are the same on the kept facts as on what HubSpot sent', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const sent = qualify(facts, DEFAULT_MODEL, NOW);
        const kept = qualify(redactFacts(facts), DEFAULT_MODEL, NOW);
        expect(kept).toEqual(sent);
      }),
      { numRuns: 400 },
    );
  });

  it('an address keeps its domain only; an invalid one keeps nothing', () => {
    const facts = (email: string) =>
      redactFacts({
        contact: { id: '1', properties: { email, jobtitle: 'VP Sales' } },
        company: null,
        engagements: {},
      }).contact.properties;
    expect(facts('Ann.Lee@Acme.com')).toEqual({ email: 'redacted@acme.com', jobtitle: 'VP Sales' });
    expect(facts('ann@')['email']).toBe('invalid address (redacted)');
  });
});
