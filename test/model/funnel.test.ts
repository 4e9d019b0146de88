import { describe, expect, it } from 'vitest';
import { funnelMetrics, type StatusChange } from '../../src/server/domain/funnel';

const DAY = 86_400_000;
const JAN = Date.parse('2026-01-01T00:00:00Z');
const FEB = Date.parse('2026-02-01T00:00:00Z');

function change(
  contactId: string,
  to: StatusChange['to'],
  at: number,
  extra: Partial<StatusChange> = {},
): StatusChange {
  return {
    contactId,
    from: null,
    to,
    at,
    modelVersion: 1,
    source: 'change',
    origin: 'ORGANIC_SEARCH',
    channel: 'inbound',
    createdAt: null,
    ...extra,
  };
}

describe('funnel metrics on a hand-built history', () => {
  // January cohort: a (lead → MQL in 4 days → SQL in 10, now a customer), b (lead → MQL in
  // 2 days, recycled), c (lead only), d (outbound, straight to SQL in 6 days, opportunity).
  // February cohort: e (lead → MQL in 8 days), f (unscored only: not a lead).
  const history: StatusChange[] = [
    change('a', 'lead', JAN, { createdAt: JAN }),
    change('a', 'mql', JAN + 4 * DAY, { from: 'lead' }),
    change('a', 'sql', JAN + 10 * DAY, { from: 'mql' }),
    change('b', 'lead', JAN + DAY, { createdAt: JAN + DAY }),
    change('b', 'mql', JAN + 3 * DAY, { from: 'lead' }),
    change('b', 'recycled', JAN + 100 * DAY, { from: 'mql' }),
    change('c', 'lead', JAN + 5 * DAY, { createdAt: JAN + 2 * DAY, origin: 'PAID_SEARCH' }),
    change('d', 'lead', JAN + 3 * DAY, {
      createdAt: JAN + 3 * DAY,
      origin: 'OFFLINE',
      channel: 'outbound',
    }),
    change('d', 'sql', JAN + 9 * DAY, { from: 'lead', origin: 'OFFLINE', channel: 'outbound' }),
    change('e', 'lead', FEB, { createdAt: FEB }),
    change('e', 'mql', FEB + 8 * DAY, { from: 'lead' }),
    change('f', 'unscored', FEB, { createdAt: FEB }),
  ];
  const stages: Record<string, string> = { a: 'customer', d: 'opportunity' };
  const funnel = funnelMetrics(history, (id) => stages[id] ?? null);

  it('counts leads, MQLs (an SQL passed MQL) and SQLs, with conversion rates', () => {
    expect(funnel.overall).toMatchObject({
      leads: 5,
      mqls: 4, // a, b, d (straight to SQL), e
      sqls: 2, // a, d
      leadToMql: 0.8,
      mqlToSql: 0.5,
    });
  });

  it('medians the days from creation to MQL and to SQL', () => {
    // To MQL: a 4, b 2, d 6, e 8 → median 5. To SQL: a 10, d 6 → 8.
    expect(funnel.overall.medianDaysToMql).toBe(5);
    expect(funnel.overall.medianDaysToSql).toBe(8);
  });

  it('SQL to opportunity and win rate from the stages deals set', () => {
    expect(funnel.overall).toMatchObject({
      opportunities: 2,
      won: 1,
      sqlToOpportunity: 1,
      winRate: 0.5,
    });
  });

  it('splits by the month the lead arrived, by source and by inbound/outbound', () => {
    expect(funnel.byPeriod.map((p) => [p.period, p.leads, p.mqls, p.sqls])).toEqual([
      ['2026-01', 4, 3, 2],
      ['2026-02', 1, 1, 0],
    ]);
    expect(funnel.bySource.map((s) => [s.source, s.leads])).toEqual([
      ['OFFLINE', 1],
      ['ORGANIC_SEARCH', 3],
      ['PAID_SEARCH', 1],
    ]);
    const outbound = funnel.byChannel.find((c) => c.channel === 'outbound')!;
    expect(outbound).toMatchObject({ leads: 1, mqls: 1, sqls: 1, opportunities: 1, won: 0 });
  });

  it('an SQL found at the first sync counts, but not in the days to MQL or SQL (its date is unknown)', () => {
    // Created a year before install; already an SQL when the backfill first scored it.
    const old = Date.parse('2025-01-01T00:00:00Z');
    const found = [
      change('x', 'sql', FEB, { source: 'backfill', createdAt: old }),
      change('y', 'lead', FEB, { source: 'backfill', createdAt: FEB }),
      change('y', 'mql', FEB + 2 * DAY, { from: 'lead' }),
    ];
    const f = funnelMetrics(found, () => null).overall;
    expect(f).toMatchObject({ leads: 2, mqls: 2, sqls: 1 });
    expect(f.medianDaysToMql).toBe(2);
    expect(f.medianDaysToSql).toBeNull();
  });

  it('an empty history is an empty funnel, not a division by zero', () => {
    const empty = funnelMetrics([], () => null);
    expect(empty.overall).toMatchObject({
      leads: 0,
      leadToMql: null,
      medianDaysToMql: null,
      winRate: null,
    });
    expect(empty.byPeriod).toEqual([]);
  });
});
