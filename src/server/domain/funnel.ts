import { z } from 'zod';
import { pastSql } from './lifecycle';
import { statusSchema, type Funnel, type FunnelSegment } from '@lead-qualifier/contract';

/** One change of a contact's qualification, as recorded when it was written to HubSpot. */
export const statusChangeSchema = z.object({
  contactId: z.string(),
  /** The status HubSpot held before (null: never scored). */
  from: statusSchema.nullable(),
  to: statusSchema,
  at: z.number(),
  modelVersion: z.number(),
  /** What caused the rescore. */
  source: z.enum(['backfill', 'change', 'manual', 'feedback']),
  /** `hs_analytics_source` when it changed (null: unknown). */
  origin: z.string().nullable(),
  /** Outbound: created by sales or imported (`OFFLINE`); inbound: everything else. */
  channel: z.enum(['inbound', 'outbound']),
  /** The contact's `createdate` (epoch ms), when known. */
  createdAt: z.number().nullable(),
});
export type StatusChange = z.infer<typeof statusChangeSchema>;

const DAY_MS = 86_400_000;
/** Marketing-qualified or beyond: ready for sales is an MQL a rep has not accepted yet. */
const QUALIFIED: ReadonlySet<string> = new Set(['mql', 'ready', 'sql']);

interface Journey {
  arrived: number;
  origin: string | null;
  channel: 'inbound' | 'outbound';
  mqlAt: number | null;
  sqlAt: number | null;
  /**
   * Whether the MQL / SQL time is when it happened: a contact already MQL or SQL when the
   * first sync (a backfill) saw it got there at some unknown earlier time.
   */
  mqlTimed: boolean;
  sqlTimed: boolean;
}

/** The middle value (the mean of the two middle ones), or null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);
const round = (n: number | null) => (n === null ? null : Math.round(n * 10_000) / 10_000);

function segment(
  journeys: ReadonlyArray<[string, Journey]>,
  stageOf: (contactId: string) => string | null,
): FunnelSegment {
  const leads = journeys.length;
  const mql = journeys.filter(([, j]) => j.mqlAt !== null);
  const sql = journeys.filter(([, j]) => j.sqlAt !== null);
  const opportunity = sql.filter(([id]) => {
    return pastSql(stageOf(id));
  });
  const won = opportunity.filter(([id]) => stageOf(id) !== 'opportunity');
  return {
    leads,
    mqls: mql.length,
    sqls: sql.length,
    leadToMql: round(share(mql.length, leads)),
    mqlToSql: round(share(sql.filter(([, j]) => j.mqlAt !== null).length, mql.length)),
    medianDaysToMql: round(
      median(mql.filter(([, j]) => j.mqlTimed).map(([, j]) => (j.mqlAt! - j.arrived) / DAY_MS)),
    ),
    medianDaysToSql: round(
      median(sql.filter(([, j]) => j.sqlTimed).map(([, j]) => (j.sqlAt! - j.arrived) / DAY_MS)),
    ),
    opportunities: opportunity.length,
    won: won.length,
    sqlToOpportunity: round(share(opportunity.length, sql.length)),
    winRate: round(share(won.length, opportunity.length)),
  };
}

const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/**
 * The funnel from the recorded status changes: each contact is a lead once scored, an MQL
 * once it first reached MQL or SQL (a lead that went straight to SQL passed MQL), an SQL once
 * it first reached SQL. `stageOf` gives each contact's lifecycle stage now (opportunity and
 * customer come from the deals, not from this product).
 */
export function funnelMetrics(
  changes: readonly StatusChange[],
  stageOf: (contactId: string) => string | null,
): Funnel {
  const journeys = new Map<string, Journey>();
  for (const c of [...changes].sort((a, b) => a.at - b.at)) {
    let j = journeys.get(c.contactId);
    if (!j) {
      if (c.to === 'unscored') continue;
      j = {
        arrived: c.createdAt !== null && c.createdAt <= c.at ? c.createdAt : c.at,
        origin: c.origin,
        channel: c.channel,
        mqlAt: null,
        sqlAt: null,
        mqlTimed: false,
        sqlTimed: false,
      };
      journeys.set(c.contactId, j);
    }
    // Reached at a backfill: counted, but its date is when we first saw it, not when it happened.
    const timed = c.source !== 'backfill';
    if (QUALIFIED.has(c.to) && j.mqlAt === null) {
      j.mqlAt = c.at;
      j.mqlTimed = timed;
    }
    if (c.to === 'sql' && j.sqlAt === null) {
      j.sqlAt = c.at;
      j.sqlTimed = timed;
    }
  }
  const all = [...journeys];
  const group = <K extends string>(key: (j: Journey) => K) => {
    const groups = new Map<K, Array<[string, Journey]>>();
    for (const entry of all) {
      const k = key(entry[1]);
      const list = groups.get(k);
      if (list) list.push(entry);
      else groups.set(k, [entry]);
    }
    return [...groups].sort((a, b) => a[0].localeCompare(b[0]));
  };
  return {
    overall: segment(all, stageOf),
    byPeriod: group((j) => month(j.arrived)).map(([period, js]) => ({
      period,
      ...segment(js, stageOf),
    })),
    bySource: group((j) => j.origin ?? 'UNKNOWN').map(([source, js]) => ({
      source,
      ...segment(js, stageOf),
    })),
    byChannel: group((j) => j.channel).map(([channel, js]) => ({
      channel,
      ...segment(js, stageOf),
    })),
  };
}
