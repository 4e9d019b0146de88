import {
  compileModel,
  ACTIVITY_DATE_PROPERTIES,
  type CompiledModel,
  type CompiledRule,
} from './compile-model';
import { describeValue, type Properties } from './conditions';
import type { Facts } from './facts';
import { decideLifecycle } from './lifecycle';
import { engagementObjects, type Model } from './model-schema';
import { nextSteps } from './next-steps';
import type { CriterionResult, Grade, LedgerEntry, Qualification, Status } from './qualification';
import type { SignalContext, SignalHit } from './signals';
import { LatestTime, createEngagementDates } from './engagement-dates';
import { relativeDay } from '../../shared/relative-day';
import { DAY_MS, clamp, readString, readTime, round2 } from './values';

const EMPTY: Properties = {};

function lastActivityOf(facts: Facts, contact: Properties, now: number): number | null {
  const latest = new LatestTime();
  for (const p of ACTIVITY_DATE_PROPERTIES) latest.add(contact[p]);
  for (const object of engagementObjects) {
    for (const item of facts.engagements[object] ?? []) {
      latest.add(item.properties?.['hs_timestamp'] || item.createdAt);
    }
  }
  const last = latest.value;
  // A meeting booked for next week is activity now, not in the future.
  return last === null ? null : Math.min(last, now);
}

/** No value in any property the model reads and no engagement: nothing to score yet. */
function hasNoData(compiled: CompiledModel, facts: Facts, contact: Properties): boolean {
  for (const object of engagementObjects)
    if ((facts.engagements[object]?.length ?? 0) > 0) return false;
  for (const p of compiled.reads.contact) {
    if (p === 'createdate' || p === 'lifecyclestage' || p.startsWith('lq_')) continue;
    if (readString(contact[p]) !== null) return false;
  }
  return true;
}

function matchRule(rule: CompiledRule, ctx: SignalContext): string | null {
  for (const { condition, test } of rule.conditions) {
    if (test(ctx)) {
      const props = condition.object === 'company' ? ctx.company : ctx.contact;
      return describeValue(condition.property, props[condition.property]);
    }
  }
  return null;
}

function gradeOf(model: Model, fitScore: number): Grade {
  const { A, B, C } = model.grades;
  return fitScore >= A ? 'A' : fitScore >= B ? 'B' : fitScore >= C ? 'C' : 'D';
}

export interface QualifyOptions {
  /** Reuse the compiled model across calls (default). Off only to measure the cost of compiling. */
  cache?: boolean;
}

/**
 * Scores and qualifies one contact. Pure: the same facts, model and `now` (epoch ms) give the
 * same result, byte for byte.
 *
 * @example
 * const q = qualify({ contact: { id: '1', properties: { jobtitle: 'VP Sales' } }, company: null, engagements: {} },
 *                   DEFAULT_MODEL, Date.parse('2026-01-31T00:00:00Z'));
 * q.status; // 'lead'
 */
export function qualify(
  facts: Facts,
  model: Model,
  now: number,
  options: QualifyOptions = {},
): Qualification {
  const compiled = compileModel(model, options);
  const contact = facts.contact.properties ?? EMPTY;
  const company = facts.company?.properties ?? EMPTY;
  const dates = createEngagementDates(facts);
  const lastActivity = lastActivityOf(facts, contact, now);
  const ctx: SignalContext = { facts, contact, company, now, lastActivity, dates };
  const lifecyclestage = contact['lifecyclestage'];

  if (hasNoData(compiled, facts, contact)) {
    return {
      contactId: facts.contact.id,
      modelVersion: model.version,
      status: 'unscored',
      reason: 'No data to score yet: no properties the model reads and no activity.',
      score: 0,
      fitScore: 0,
      engagementScore: 0,
      grade: 'D',
      raw: { fit: 0, engagement: 0, total: 0 },
      lifecycle: decideLifecycle(model, 'unscored', lifecyclestage),
      ledger: [],
      buyingSignal: { met: false, evidence: null },
      criteria: { met: [], missing: [] },
      next: [],
      lastActivityAt: lastActivity,
    };
  }

  const ledger: LedgerEntry[] = [];
  const disqualifiedBy: string[] = [];
  for (const rule of compiled.disqualifiers) {
    const evidence = matchRule(rule, ctx);
    if (evidence === null) continue;
    disqualifiedBy.push(rule.label);
    ledger.push({
      rule: rule.id,
      label: rule.label,
      kind: 'disqualifier',
      count: 1,
      rawPoints: 0,
      points: 0,
      at: null,
      evidence,
    });
  }

  let fitRaw = 0;
  const groupsUsed = new Set<string>();
  for (const rule of compiled.fitRules) {
    if (rule.group !== undefined && groupsUsed.has(rule.group)) continue;
    const evidence = matchRule(rule, ctx);
    if (evidence === null) continue;
    if (rule.group !== undefined) groupsUsed.add(rule.group);
    fitRaw += rule.points;
    ledger.push({
      rule: rule.id,
      label: rule.label,
      kind: 'fit',
      count: 1,
      rawPoints: rule.points,
      points: rule.points,
      at: null,
      evidence,
    });
  }

  let engagementRaw = 0;
  const fired = new Map<string, SignalHit>();
  for (const { signal, kind, evaluate } of compiled.signals) {
    const hit = evaluate(ctx);
    if (hit === null) continue;
    fired.set(signal.id, hit);
    const points = round2(hit.points);
    engagementRaw += points;
    ledger.push({
      rule: signal.id,
      label: signal.label,
      kind,
      count: hit.count,
      rawPoints: round2(hit.rawPoints),
      points,
      at: hit.lastAt,
      evidence: hit.lastAt === null ? hit.what : `${hit.what}, ${relativeDay(hit.lastAt, now)}`,
    });
  }

  const total = fitRaw + engagementRaw;
  const score = clamp(Math.round(total), 0, 100);
  const fitScore = clamp(Math.round((100 * fitRaw) / model.fit.maxPoints), 0, 100);
  const engagementScore = clamp(
    Math.round((100 * engagementRaw) / model.engagement.maxPoints),
    0,
    100,
  );
  const grade = gradeOf(model, fitScore);

  // Buying intent: every signal of some group fired, recently enough.
  const window = model.sql.buyingWindowDays * DAY_MS;
  const recent = (id: string) => {
    const hit = fired.get(id);
    return hit !== undefined && (hit.lastAt === null || now - hit.lastAt <= window);
  };
  const buyingGroup = model.sql.buyingSignals.find((group) => group.every(recent));
  const buyingEvidence = buyingGroup
    ? buyingGroup.map((id) => fired.get(id)!.what).join(' + ')
    : null;
  const buyingAt = buyingGroup
    ? Math.max(...buyingGroup.map((id) => fired.get(id)!.lastAt ?? Number.NEGATIVE_INFINITY))
    : null;

  const met: CriterionResult[] = [];
  const missing: CriterionResult[] = [];
  for (const { criterion, check } of compiled.criteria) {
    const evidence = check(ctx, fired);
    if (evidence === null)
      missing.push({ id: criterion.id, label: criterion.label, evidence: criterion.hint });
    else met.push({ id: criterion.id, label: criterion.label, evidence });
  }

  const feedback = readString(contact['lq_sql_feedback'])?.toLowerCase() ?? null;
  const feedbackAt = readTime(contact['lq_sql_feedback_at']);
  const blockedBy = compiled.signals.find(
    ({ signal }) => signal.blocksMql && fired.has(signal.id),
  )?.signal;
  const silent = lastActivity === null || now - lastActivity >= model.recycleDays * DAY_MS;
  const wasMql =
    readString(contact['lq_status']) === 'mql' ||
    readString(lifecyclestage) === 'marketingqualifiedlead' ||
    readString(contact['lq_mql_date']) !== null;
  const mqlByScore =
    score >= model.mql.minScore && fitScore >= model.mql.minFit && blockedBy === undefined;
  const sqlByCriteria =
    buyingGroup !== undefined &&
    met.length >= model.sql.minCriteria &&
    fitScore >= model.sql.minFit;
  const newBuyingSinceFeedback = buyingAt !== null && feedbackAt !== null && buyingAt > feedbackAt;

  let status: Status;
  let reason: string;
  if (disqualifiedBy.length > 0) {
    status = 'disqualified';
    reason = `Disqualified: ${disqualifiedBy.join(', ')}.`;
  } else if (feedback === 'rejected' && !(sqlByCriteria && newBuyingSinceFeedback)) {
    status = 'recycled';
    reason = 'Sales rejected this SQL; it returns to nurture until a new buying signal.';
  } else if (feedback === 'accepted') {
    status = 'sql';
    reason = 'A rep accepted this lead as sales-qualified.';
  } else if (sqlByCriteria) {
    status = 'sql';
    reason = `Buying signal (${buyingEvidence}) and ${met.length} of ${compiled.criteria.length} sales criteria met.`;
  } else if (mqlByScore && !silent) {
    status = 'mql';
    reason = `Score ${score} ≥ ${model.mql.minScore} with fit ${fitScore} ≥ ${model.mql.minFit}.`;
  } else if ((mqlByScore || wasMql) && silent) {
    status = 'recycled';
    reason = `No activity for ${model.recycleDays}+ days: back to nurture.`;
  } else {
    status = 'lead';
    reason = blockedBy
      ? `${blockedBy.label}: cannot become MQL by score.`
      : fitScore < model.mql.minFit
        ? `Fit ${fitScore} is below the MQL minimum of ${model.mql.minFit}.`
        : `Score ${score} is below the MQL threshold of ${model.mql.minScore}.`;
  }

  return {
    contactId: facts.contact.id,
    modelVersion: model.version,
    status,
    reason,
    score,
    fitScore,
    engagementScore,
    grade,
    raw: { fit: round2(fitRaw), engagement: round2(engagementRaw), total: round2(total) },
    lifecycle: decideLifecycle(model, status, lifecyclestage),
    ledger,
    buyingSignal: { met: buyingGroup !== undefined, evidence: buyingEvidence },
    criteria: { met, missing },
    next: nextSteps({
      compiled,
      status,
      score,
      fitScore,
      fired,
      met,
      missing,
      blocked: blockedBy !== undefined,
    }),
    lastActivityAt: lastActivity,
  };
}
