import {
  compileModel,
  ACTIVITY_DATE_PROPERTIES,
  type CompiledModel,
  type Hits,
} from './compile-model';
import type { Properties } from './conditions';
import { decideStatus } from './decide-status';
import type { Facts } from './facts';
import { decideLifecycle } from './lifecycle';
import {
  type CriterionResult,
  engagementObjects,
  type Grade,
  type LedgerEntry,
  type Model,
  type Qualification,
  type Signal,
} from '@lead-qualifier/contract';
import { nextSteps } from './next-steps';
import { matchConditions, type SignalContext, type SignalHit } from './signals';
import { LatestTime, createEngagementDates } from './engagement-dates';
import { activityDate, scanEngagements } from './engagement-scan';
import { relativeDay } from '@lead-qualifier/shared';
import { DAY_MS, clamp, readString, readTime, round2 } from './values';
import { DEFAULT_WORDING, type Wording } from './wording';

/** The ledger line of the model's starting points (`fit.startingPoints`). */
const STARTING_POINTS = 'starting_points';

const EMPTY: Properties = {};

/** The latest activity: the engagements' dates (already in `latest`) and the contact's. */
function lastActivityOf(
  latest: LatestTime,
  facts: Facts,
  contact: Properties,
  now: number,
): number | null {
  for (let i = 0; i < ACTIVITY_DATE_PROPERTIES.length; i++)
    latest.add(contact[ACTIVITY_DATE_PROPERTIES[i]!]);
  let last = latest.value;
  if (last === undefined) {
    // Something that looked like a timestamp was not one: parse every value instead.
    const times = [
      ...ACTIVITY_DATE_PROPERTIES.map((p) => readTime(contact[p])),
      ...engagementObjects.flatMap((o) =>
        (facts.engagements[o] ?? []).map((item) => readTime(activityDate(item))),
      ),
    ].filter((t): t is number => t !== null);
    last = times.length === 0 ? null : Math.max(...times);
  }
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

function gradeOf(model: Model, fitScore: number): Grade {
  const { A, B, C } = model.grades;
  return fitScore >= A ? 'A' : fitScore >= B ? 'B' : fitScore >= C ? 'C' : 'D';
}

/**
 * Buying intent: the first group whose every signal fired, each recently enough. What it saw
 * ("Meeting held + 2 × replied by e-mail") and when it last happened; null when no group did.
 */
function buyingSignalOf(
  compiled: CompiledModel,
  hits: Hits,
  now: number,
): { evidence: string; at: number | null } | null {
  const window = compiled.model.sql.buyingWindowDays * DAY_MS;
  for (const group of compiled.buyingGroups) {
    let complete = true;
    for (const i of group) {
      const hit = hits[i];
      if (!hit || (hit.lastAt !== null && now - hit.lastAt > window)) {
        complete = false;
        break;
      }
    }
    if (!complete) continue;
    const fired = group.map((i) => hits[i]!);
    const at = Math.max(...fired.map((hit) => hit.lastAt ?? Number.NEGATIVE_INFINITY));
    return { evidence: group.map((i) => compiled.signals[i]!.signal.label).join(' + '), at };
  }
  return null;
}

export interface QualifyOptions {
  /** Reuse the compiled model across calls (default). Off only to measure the cost of compiling. */
  cache?: boolean;
  /** How properties and values read in the evidence: the portal's labels (HubSpot's default). */
  wording?: Wording;
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
  const latest = new LatestTime();
  const found = scanEngagements(
    compiled.engagementScans,
    compiled.engagementSlots,
    facts,
    now,
    latest,
  );
  const lastActivity = lastActivityOf(latest, facts, contact, now);
  const ctx: SignalContext = {
    facts,
    contact,
    company,
    now,
    lastActivity,
    dates,
    found,
    words: options.wording ?? DEFAULT_WORDING,
  };

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
      lifecycle: decideLifecycle(model, 'unscored', contact['lifecyclestage']),
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
    const evidence = matchConditions(rule.conditions, rule.match, ctx);
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
  const start = model.fit.startingPoints;
  if (start !== 0) {
    fitRaw += start;
    ledger.push({
      rule: STARTING_POINTS,
      label: 'Starting points',
      kind: 'fit',
      count: 1,
      rawPoints: start,
      points: start,
      at: null,
      evidence: 'every contact starts with these',
    });
  }
  let groupsUsed: string[] | null = null;
  for (const rule of compiled.fitRules) {
    if (rule.group !== undefined && groupsUsed?.includes(rule.group)) continue;
    const evidence = matchConditions(rule.conditions, rule.match, ctx);
    if (evidence === null) continue;
    if (rule.group !== undefined) (groupsUsed ??= []).push(rule.group);
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
  const hits = new Array<SignalHit | null>(compiled.signals.length);
  let blockedBy: Signal | undefined;
  for (let i = 0; i < compiled.signals.length; i++) {
    const { signal, kind, evaluate } = compiled.signals[i]!;
    const hit = evaluate(ctx);
    hits[i] = hit;
    if (hit === null) continue;
    if (signal.blocksMql) blockedBy ??= signal;
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

  // Sums of two-decimal points, rounded back to two decimals before anything else reads them:
  // 12.5 summed as 12.499999999 must give a score of 13, as the ledger reads.
  const raw = {
    fit: round2(fitRaw),
    engagement: round2(engagementRaw),
    total: round2(fitRaw + engagementRaw),
  };
  const score = clamp(Math.round(raw.total), 0, 100);
  const fitScore = clamp(Math.round((100 * raw.fit) / model.fit.maxPoints), 0, 100);
  const engagementScore = clamp(
    Math.round((100 * raw.engagement) / model.engagement.maxPoints),
    0,
    100,
  );
  const buying = buyingSignalOf(compiled, hits, now);

  const met: CriterionResult[] = [];
  const missing: CriterionResult[] = [];
  for (const { criterion, check } of compiled.criteria) {
    const evidence = check(ctx, hits);
    if (evidence === null)
      missing.push({ id: criterion.id, label: criterion.label, evidence: criterion.hint });
    else met.push({ id: criterion.id, label: criterion.label, evidence });
  }

  const { status, reason } = decideStatus({
    compiled,
    contact,
    now,
    score,
    fitScore,
    lastActivity,
    disqualifiedBy,
    buying,
    criteriaMet: met.length,
    blockedBy,
  });

  return {
    contactId: facts.contact.id,
    modelVersion: model.version,
    status,
    reason,
    score,
    fitScore,
    engagementScore,
    grade: gradeOf(model, fitScore),
    raw,
    lifecycle: decideLifecycle(model, status, contact['lifecyclestage']),
    ledger,
    buyingSignal: { met: buying !== null, evidence: buying?.evidence ?? null },
    criteria: { met, missing },
    next: nextSteps({
      compiled,
      status,
      score,
      fitScore,
      hits,
      met,
      missing,
      blocked: blockedBy !== undefined,
    }),
    lastActivityAt: lastActivity,
  };
}
