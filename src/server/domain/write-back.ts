import { type Model, type Qualification, type Status, STATUSES } from '@lead-qualifier/contract';
import type { LqPropertyName, RejectionReason } from './lq-properties';
import { readNumber, readString, readTime, type PropertyValue } from './values';

/** Contact properties to write, as HubSpot takes them (strings): ours and the lifecycle stage. */
type PropertyWrites = Partial<Record<LqPropertyName | 'lifecyclestage', string>>;

interface WritePlan {
  /** Values that differ from what the contact holds; empty when nothing changed. */
  properties: PropertyWrites;
  /** A backward lifecycle move (the admin's recycle option): clear, then set, in two requests. */
  lifecycleBackward: string | null;
  /** The status written, when it changes (what the funnel records); null when it does not. */
  statusChange: { from: Status | null; to: Status } | null;
  /** When a follow-up SLA this write starts is due (epoch ms), or null. */
  slaDueAt: number | null;
}

/** "Requested a demo (+28); Executive or VP (+15); Free e-mail address (−10)". */
function topReasons(q: Qualification, count = 3): string {
  if (q.status === 'unscored') return 'Not scored yet: no data the model reads.';
  const disqualifiers = q.ledger.filter((e) => e.kind === 'disqualifier');
  if (disqualifiers.length > 0)
    return `Disqualified: ${disqualifiers.map((e) => e.label).join(', ')}`;
  return [...q.ledger]
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.rule.localeCompare(b.rule))
    .slice(0, count)
    .map((e) => `${e.label} (${e.points >= 0 ? '+' : '−'}${Math.round(Math.abs(e.points))})`)
    .join('; ');
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Whether HubSpot already stores `next` (numbers and dates compared as values). */
function storedAs(name: string, current: PropertyValue, next: string): boolean {
  const cur = readString(current);
  if (cur === null) return false;
  if (cur === next) return true;
  if (name.endsWith('_at') || name.endsWith('_date')) return readTime(cur) === readTime(next);
  const a = readNumber(cur);
  const b = readNumber(next);
  return a !== null && b !== null && a === b;
}

/**
 * What to write for a qualification, given the contact's current properties: only values that
 * change, so a rescore that changes nothing writes nothing. `lq_scored_at` moves only when
 * something else does. MQL/SQL dates are set once; an SQL gets its SLA due time.
 */
export function planWrites(
  q: Qualification,
  current: Record<string, PropertyValue>,
  model: Model,
  now: number,
): WritePlan {
  const desired: PropertyWrites = {
    lq_score: String(q.score),
    lq_fit_score: String(q.fitScore),
    lq_engagement_score: String(q.engagementScore),
    lq_grade: q.grade,
    lq_status: q.status,
    lq_top_reasons: topReasons(q),
    lq_model_version: String(q.modelVersion),
  };
  if (readString(current['lq_sql_feedback']) === null) desired['lq_sql_feedback'] = 'none';
  if (readString(current['lq_rejection_reason']) === null) desired['lq_rejection_reason'] = 'none';
  const slaDueAt = now + model.slaHours * 3_600_000;
  if (q.status === 'mql' && readString(current['lq_mql_date']) === null) {
    desired['lq_mql_date'] = iso(now);
    if (model.slaFor === 'mql_and_sql') {
      desired['lq_sla_due_at'] = iso(slaDueAt);
      desired['lq_sla_breached'] = 'false';
    }
  }
  // The follow-up SLA runs from the hand-off to sales: ready for sales (a rep's acceptance
  // answers it), or SQL when the model makes SQLs itself.
  const automatic = model.sql.handOff === 'automatic';
  if (q.status === 'ready' && readString(current['lq_ready_date']) === null) {
    desired['lq_ready_date'] = iso(now);
    desired['lq_sla_due_at'] = iso(slaDueAt);
    desired['lq_sla_breached'] = 'false';
  }
  if (q.status === 'sql' && readString(current['lq_sql_date']) === null) {
    desired['lq_sql_date'] = iso(now);
    if (automatic) {
      desired['lq_sla_due_at'] = iso(slaDueAt);
      desired['lq_sla_breached'] = 'false';
    }
  }
  let lifecycleBackward: string | null = null;
  if (q.lifecycle.change === 'forward' && q.lifecycle.target)
    desired['lifecyclestage'] = q.lifecycle.target;
  if (q.lifecycle.change === 'backward' && q.lifecycle.target)
    lifecycleBackward = q.lifecycle.target;

  const properties: PropertyWrites = {};
  for (const [name, value] of Object.entries(desired) as Array<[keyof PropertyWrites, string]>)
    if (!storedAs(name, current[name], value)) properties[name] = value;
  if (Object.keys(properties).length > 0 || lifecycleBackward !== null)
    properties['lq_scored_at'] = iso(now);
  const from = readString(current['lq_status']);
  return {
    properties,
    lifecycleBackward,
    statusChange:
      properties['lq_status'] === undefined
        ? null
        : { from: STATUSES.includes(from as Status) ? (from as Status) : null, to: q.status },
    slaDueAt: properties['lq_sla_due_at'] === undefined ? null : slaDueAt,
  };
}

/** What a rep's decision writes: the feedback properties workflows and reports read. */
export function planFeedbackWrites(decision: {
  decision: 'accepted' | 'rejected';
  at: number;
  reason: RejectionReason | null;
}): PropertyWrites {
  return {
    lq_sql_feedback: decision.decision,
    lq_sql_feedback_at: iso(decision.at),
    lq_rejection_reason: decision.reason ?? 'none',
  };
}

/** What a breached follow-up SLA writes, for workflows to escalate. */
export function planSlaBreach(now: number): PropertyWrites {
  return { lq_sla_breached: 'true', lq_sla_breached_at: iso(now) };
}
