import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { planWrites } from '../../src/server/domain/write-back';
import { qualify } from '../../src/server/domain/qualify';
import { slaOutcome } from '../../src/server/domain/sla';
import { parseModel, type Model } from '@lead-qualifier/contract';

const H = 3_600_000;
const SQL_AT = Date.parse('2026-03-02T09:00:00Z');
const DUE = SQL_AT + 24 * H;
const iso = (ms: number) => new Date(ms).toISOString();
const sql = (extra: Record<string, string> = {}) => ({
  lq_status: 'sql',
  lq_sql_date: iso(SQL_AT),
  lq_sla_due_at: iso(DUE),
  lq_sla_breached: 'false',
  ...extra,
});
const model = (slaFor: 'sql' | 'mql_and_sql'): Model => {
  const parsed = parseModel({ ...DEFAULT_MODEL, slaFor });
  if (!parsed.ok) throw new Error('bad model');
  return parsed.value;
};

describe('the follow-up SLA, decided with an injected clock', () => {
  it('is not due before its time, and breached after it when nobody worked the SQL', () => {
    expect(slaOutcome(sql(), DUE, DUE - 1, DEFAULT_MODEL)).toEqual({ kind: 'not_due', dueAt: DUE });
    expect(slaOutcome(sql(), DUE, DUE + 1, DEFAULT_MODEL)).toEqual({
      kind: 'breached',
      alreadyWritten: false,
    });
    expect(slaOutcome(sql({ lq_sla_breached: 'true' }), DUE, DUE + H, DEFAULT_MODEL)).toEqual({
      kind: 'breached',
      alreadyWritten: true,
    });
  });

  it('is met by an accept or reject, or a sales activity, since the contact became SQL', () => {
    expect(
      slaOutcome(sql({ lq_sql_feedback_at: iso(SQL_AT + H) }), DUE, DUE, DEFAULT_MODEL),
    ).toEqual({
      kind: 'met',
      by: 'feedback',
    });
    expect(
      slaOutcome(
        sql({ hs_last_sales_activity_timestamp: iso(SQL_AT + 2 * H) }),
        DUE,
        DUE,
        DEFAULT_MODEL,
      ),
    ).toEqual({ kind: 'met', by: 'sales_activity' });
    // Activity from before it became SQL does not count.
    expect(
      slaOutcome(
        sql({ hs_last_sales_activity_timestamp: iso(SQL_AT - H) }),
        DUE,
        DUE,
        DEFAULT_MODEL,
      ).kind,
    ).toBe('breached');
  });

  it('is dropped when a newer SLA replaced it or the contact is no longer qualified', () => {
    expect(slaOutcome(sql({ lq_sla_due_at: iso(DUE + H) }), DUE, DUE, DEFAULT_MODEL)).toEqual({
      kind: 'superseded',
    });
    expect(slaOutcome(sql({ lq_status: 'recycled' }), DUE, DUE, DEFAULT_MODEL)).toEqual({
      kind: 'no_longer_qualified',
      status: 'recycled',
    });
  });

  it('applies to MQLs too when the model says so, from the MQL date', () => {
    const mql = { lq_status: 'mql', lq_mql_date: iso(SQL_AT), lq_sla_due_at: iso(DUE) };
    expect(slaOutcome(mql, DUE, DUE, model('sql')).kind).toBe('no_longer_qualified');
    expect(slaOutcome(mql, DUE, DUE, model('mql_and_sql')).kind).toBe('breached');
  });

  it('the write-back sets the due time at the hand-off: ready for sales, or SQL when the model makes SQLs (or MQL when configured)', () => {
    const q = qualify(
      {
        contact: { id: '1', properties: { jobtitle: 'VP Marketing' } },
        company: null,
        engagements: {},
      },
      DEFAULT_MODEL,
      SQL_AT,
    );
    const asReady = { ...q, status: 'ready' as const };
    const plan = planWrites(asReady, {}, DEFAULT_MODEL, SQL_AT);
    expect(plan.properties['lq_ready_date']).toBe(iso(SQL_AT));
    expect(plan.properties['lq_sla_due_at']).toBe(iso(SQL_AT + DEFAULT_MODEL.slaHours * H));
    expect(plan.properties['lq_sla_breached']).toBe('false');
    // A rep's acceptance answers that SLA: becoming an SQL then starts no new one.
    const asSql = { ...q, status: 'sql' as const };
    const accepted = planWrites(asSql, { lq_ready_date: iso(SQL_AT - H) }, DEFAULT_MODEL, SQL_AT);
    expect(accepted.properties['lq_sql_date']).toBe(iso(SQL_AT));
    expect(accepted.properties['lq_sla_due_at']).toBeUndefined();
    // When the model makes SQLs, the SLA starts at the SQL date, once.
    const automatic = {
      ...DEFAULT_MODEL,
      sql: { ...DEFAULT_MODEL.sql, handOff: 'automatic' as const },
    };
    expect(planWrites(asSql, {}, automatic, SQL_AT).properties['lq_sla_due_at']).toBe(
      iso(SQL_AT + DEFAULT_MODEL.slaHours * H),
    );
    expect(
      planWrites(asSql, { lq_sql_date: iso(SQL_AT - H) }, automatic, SQL_AT).properties[
        'lq_sla_due_at'
      ],
    ).toBeUndefined();
    const asMql = { ...q, status: 'mql' as const };
    expect(planWrites(asMql, {}, model('sql'), SQL_AT).properties['lq_sla_due_at']).toBeUndefined();
    expect(planWrites(asMql, {}, model('mql_and_sql'), SQL_AT).properties['lq_sla_due_at']).toBe(
      iso(SQL_AT + DEFAULT_MODEL.slaHours * H),
    );
  });
});
