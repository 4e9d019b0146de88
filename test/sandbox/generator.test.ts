import { describe, expect, it } from 'vitest';
import { DEMO_MODEL } from '../../src/server/domain/default-model';
import { qualify } from '../../src/server/domain/qualify';
import { seedPortal, type Persona } from '../../src/sandbox/generator';
import { Portal } from '../../src/sandbox/portal';
import { factsOf } from '../support/facts-of';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const portal = () => new Portal(90_000_001, { clock: () => NOW, onChange: () => {} });

describe('the data generator', () => {
  it('gives the same portal for the same seed, and another for another seed', () => {
    const a = portal();
    const b = portal();
    const c = portal();
    seedPortal(a, { seed: 42, contacts: 300, now: NOW });
    seedPortal(b, { seed: 42, contacts: 300, now: NOW });
    seedPortal(c, { seed: 43, contacts: 300, now: NOW });
    const dump = (p: Portal) => JSON.stringify([...p.all('contacts')].map((o) => o.properties));
    expect(dump(a)).toBe(dump(b));
    expect(dump(a)).not.toBe(dump(c));
  });

  it('writes every persona, with companies, engagements and deals attached', () => {
    const p = portal();
    const summary = seedPortal(p, { seed: 7, contacts: 2000, now: NOW });
    for (const n of Object.values(summary.personas)) expect(n).toBeGreaterThan(40);
    expect(summary.companies).toBe(500);
    expect(summary.deals).toBeGreaterThan(150);
    expect(summary.engagements['meetings']).toBeGreaterThan(100);
    const [contactId] = [...summary.truth].find(([, t]) => t.persona === 'icp_buyer')!;
    expect(p.associations.list('contacts', contactId, 'companies').length).toBe(1);
    expect(p.associations.list('contacts', contactId, 'meetings').length).toBeGreaterThan(0);
  });

  it('makes personas the default model tells apart the way the product promises', () => {
    const p = portal();
    const { truth } = seedPortal(p, { seed: 11, contacts: 1500, now: NOW });
    const statuses = new Map<Persona, Map<string, number>>();
    const customerStages = new Set<string | null>();
    for (const [id, t] of truth) {
      const q = qualify(factsOf(p, id, DEMO_MODEL, NOW), DEMO_MODEL, NOW);
      if (t.persona === 'customer') customerStages.add(q.lifecycle.target);
      const byStatus = statuses.get(t.persona) ?? new Map<string, number>();
      byStatus.set(q.status, (byStatus.get(q.status) ?? 0) + 1);
      statuses.set(t.persona, byStatus);
    }
    const share = (persona: Persona, status: string) => {
      const byStatus = statuses.get(persona)!;
      const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
      return (byStatus.get(status) ?? 0) / total;
    };
    expect(share('icp_buyer', 'ready')).toBeGreaterThan(0.8);
    expect(share('outbound_replied', 'ready')).toBeGreaterThan(0.8);
    expect(share('student', 'lead')).toBeGreaterThan(0.9);
    expect(share('bounced', 'mql')).toBe(0);
    expect(share('unsubscribed', 'mql')).toBe(0);
    expect(share('stale_mql', 'recycled')).toBeGreaterThan(0.8);
    expect(share('content_marketer', 'ready')).toBeLessThan(0.05);
    expect(share('content_marketer', 'mql')).toBeGreaterThan(0.8);
    expect(share('cold', 'mql') + share('cold', 'ready')).toBeLessThan(0.02);
    // However engaged a customer is, its lifecycle stage stays "customer".
    expect([...customerStages]).toEqual(['customer']);
  });

  it('closes deals more often for contacts that fit and engage, as real funnels do', () => {
    const p = portal();
    const { truth } = seedPortal(p, { seed: 5, contacts: 4000, now: NOW });
    const rate = (personas: Persona[]) => {
      const outcomes = [...truth.values()].filter(
        (t) => personas.includes(t.persona) && t.converted !== null,
      );
      return outcomes.filter((t) => t.converted === 1).length / outcomes.length;
    };
    expect(rate(['icp_buyer', 'outbound_replied'])).toBeGreaterThan(
      rate(['content_marketer', 'cold']) + 0.15,
    );
  });
});
