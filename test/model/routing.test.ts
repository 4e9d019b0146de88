import { afterAll, describe, expect, it } from 'vitest';
import { handOffSettingsSchema, type HandOffSettingsInput } from '@lead-qualifier/contract';
import {
  pickFromPool,
  route,
  roundRobinPool,
  type Candidate,
  type RoutingInput,
} from '../../src/server/domain/routing';
import { createRedis } from '../../src/server/redis';
import { createHandOffStore } from '../../src/server/storage/handoff-store';
import { createKeys } from '../../src/server/storage/keys';
import { deleteKeys, redisUrl, uniquePrefix } from '../support/redis';

const people = (list: Array<Partial<Candidate> & { id: string }>) =>
  new Map(
    list.map((c) => [
      c.id,
      {
        name: `Rep ${c.id}`,
        teamIds: ['sales'],
        seated: true,
        away: false,
        openLeads: 0,
        ...c,
      } satisfies Candidate,
    ]),
  );

const settings = (over: HandOffSettingsInput = {}) =>
  handOffSettingsSchema.parse({ enabled: true, ...over });

const input = (over: Partial<RoutingInput> = {}): RoutingInput => ({
  contact: { country: 'Germany' },
  company: { industry: 'SOFTWARE', numberofemployees: '250' },
  companyOwner: null,
  dealOwners: [],
  ...over,
});

const TEAM = people([{ id: '1' }, { id: '2' }, { id: '3' }, { id: '4' }]);
const EMEA = {
  kind: 'territory' as const,
  name: 'EMEA',
  when: [{ object: 'contact' as const, property: 'country', values: ['Germany', 'france'] }],
  ownerIds: ['3', '4'],
};

describe('routing a lead to an owner, rule by rule', () => {
  it('gives an account to its owner first', () => {
    const d = route(
      input({ companyOwner: '2' }),
      settings({ rules: [{ kind: 'account_owner' }, EMEA] }),
      TEAM,
    );
    expect(d).toEqual({
      kind: 'owner',
      ownerId: '2',
      rule: 'account_owner',
      routedBy: 'account owner',
    });
  });

  it('passes over an account owner without a seat, or away, to the next rule', () => {
    const unseated = people([{ id: '2', seated: false }, { id: '3' }, { id: '4' }]);
    const away = people([{ id: '2', away: true }, { id: '3' }, { id: '4' }]);
    const rules = { rules: [{ kind: 'account_owner' as const }, EMEA] };
    for (const team of [unseated, away])
      expect(route(input({ companyOwner: '2' }), settings(rules), team)).toMatchObject({
        kind: 'pool',
        ownerIds: ['3', '4'],
        routedBy: 'territory EMEA',
      });
    // Away counts only when the admin says so.
    expect(
      route(input({ companyOwner: '2' }), settings({ ...rules, skipAway: false }), away),
    ).toMatchObject({
      kind: 'owner',
      ownerId: '2',
    });
  });

  it('gives the owner of an open deal with the company', () => {
    const d = route(
      input({ dealOwners: ['9', '4'] }),
      settings({ rules: [{ kind: 'deal_owner' }] }),
      TEAM,
    );
    // Owner 9 is not a user of the portal any more: the next deal's owner.
    expect(d).toMatchObject({ kind: 'owner', ownerId: '4', routedBy: 'open deal' });
  });

  it('matches territories on contact and company properties, case-insensitively, all conditions', () => {
    const bigEmea = {
      ...EMEA,
      name: 'EMEA enterprise',
      when: [
        ...EMEA.when,
        { object: 'company' as const, property: 'industry', values: ['software'] },
      ],
      ownerIds: ['1'],
    };
    const s = settings({ rules: [bigEmea, EMEA] });
    expect(route(input(), s, TEAM)).toMatchObject({
      routedBy: 'territory EMEA enterprise',
      ownerIds: ['1'],
    });
    expect(route(input({ company: { industry: 'RETAIL' } }), s, TEAM)).toMatchObject({
      routedBy: 'territory EMEA',
    });
    expect(route(input({ contact: { country: 'FRANCE' }, company: null }), s, TEAM)).toMatchObject({
      routedBy: 'territory EMEA',
    });
    // No territory: the round-robin over every seated, available owner.
    expect(route(input({ contact: { country: 'Japan' } }), s, TEAM)).toMatchObject({
      kind: 'pool',
      rule: 'round_robin',
      ownerIds: ['1', '2', '3', '4'],
    });
  });

  it('round-robins over a chosen team, never to a user without a seat', () => {
    const team = people([
      { id: '1', teamIds: ['10'] },
      { id: '2', teamIds: ['10'], seated: false },
      { id: '3', teamIds: ['20'] },
      { id: '5', teamIds: ['10'], seated: null },
    ]);
    expect(roundRobinPool(settings({ roundRobinTeamId: null }), team)).toEqual(['1', '3', '5']);
    const s = settings({ rules: [], roundRobinTeamId: '7' });
    expect(route(input(), s, team)).toEqual({
      kind: 'nobody',
      why: 'no one in the round-robin team has a seat and is available',
    });
    expect(roundRobinPool(settings({ roundRobinTeamId: '10' }), team)).toEqual(['1', '5']);
    expect(
      roundRobinPool(settings({ roundRobinTeamId: '10', roundRobinOwnerIds: ['5'] }), team),
    ).toEqual(['5']);
  });

  it('weighs by open leads when asked: the least loaded first, turns breaking ties', () => {
    const team = people([
      { id: '1', openLeads: 5 },
      { id: '2', openLeads: 1 },
      { id: '3', openLeads: 1 },
    ]);
    const pool = ['1', '2', '3'];
    expect([0, 1, 2, 3].map((t) => pickFromPool(pool, t, true, team))).toEqual([
      '2',
      '3',
      '2',
      '3',
    ]);
    expect([0, 1, 2, 3].map((t) => pickFromPool(pool, t, false, team))).toEqual([
      '1',
      '2',
      '3',
      '1',
    ]);
  });
});

describe('round-robin turns across workers', () => {
  const prefix = uniquePrefix('routing');
  const redis = createRedis(redisUrl());
  const store = createHandOffStore(redis, createKeys(prefix));
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('spreads 1,000 leads handed off at once over 7 reps within one of each other', async () => {
    const team = people(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ id })));
    const s = settings({ rules: [] });
    const counts = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 1_000 }, async () => {
        const d = route(input(), s, team);
        if (d.kind !== 'pool') throw new Error('expected the round-robin');
        const turn = await store.nextTurn(1, d.rotation);
        const owner = pickFromPool(d.ownerIds, turn, false, team);
        counts.set(owner, (counts.get(owner) ?? 0) + 1);
      }),
    );
    const n = [...counts.values()];
    expect(n.reduce((a, b) => a + b, 0)).toBe(1_000);
    expect(counts.size).toBe(7);
    expect(Math.max(...n) - Math.min(...n)).toBeLessThanOrEqual(1);
  });

  it('keeps the open hand-offs apart, so routing and the sweep never read the closed ones', async () => {
    const record = {
      contactId: '7',
      mode: 'leads' as const,
      leadId: '70',
      taskId: null,
      ownerId: '1',
      ownerName: 'Rep 1',
      routedBy: 'round-robin',
      origin: 'created' as const,
      handedOffAt: 1,
      firstTouchDueAt: 2,
      firstTouchAt: null,
      breachedAt: null,
      stage: 'new-stage-id',
      outcome: 'open' as const,
      outcomeAt: null,
      source: 'ORGANIC_SEARCH',
    };
    await store.save(2, record);
    await store.save(2, { ...record, contactId: '8', leadId: '80', outcome: 'qualified' });
    expect((await store.open(2)).map((r) => r.contactId)).toEqual(['7']);
    expect((await store.all(2)).map((r) => r.contactId).sort()).toEqual(['7', '8']);
    await store.save(2, { ...record, outcome: 'disqualified' });
    expect(await store.open(2)).toEqual([]);
    expect(await store.contactsOfLeads(2, ['70', '80', '90'])).toEqual(
      new Map([
        ['70', '7'],
        ['80', '8'],
      ]),
    );
  });

  it('holds a contact for one hand-off at a time, released only by its holder', async () => {
    expect(await store.lock(1, '42', 'first', 10_000)).toBe(true);
    expect(await store.lock(1, '42', 'second', 10_000)).toBe(false);
    await store.unlock(1, '42', 'second');
    expect(await store.lock(1, '42', 'third', 10_000)).toBe(false);
    await store.unlock(1, '42', 'first');
    expect(await store.lock(1, '42', 'third', 10_000)).toBe(true);
  });
});

describe('when a contact is handed to sales', () => {
  it('meets the trigger the admin chose; nothing while the hand-off is off', async () => {
    const { triggers } = await import('../../src/server/queue/handoff');
    const cases: Array<[HandOffSettingsInput['trigger'], string, string, boolean]> = [
      ['ready', 'ready', 'C', true],
      ['ready', 'sql', 'B', true],
      ['ready', 'mql', 'A', false],
      ['mql_ab', 'mql', 'A', true],
      ['mql_ab', 'mql', 'C', false],
      ['mql_ab', 'ready', 'B', true],
      ['manual', 'ready', 'A', false],
    ];
    for (const [trigger, status, grade, expected] of cases)
      expect(
        triggers(settings({ trigger }), { status, grade } as never),
        `${trigger}: ${status} ${grade}`,
      ).toBe(expected);
    expect(triggers(settings({ enabled: false }), { status: 'ready', grade: 'A' } as never)).toBe(
      false,
    );
  });
});
