import type { CompiledModel } from './compile-model';
import type { Signal, Status } from '@lead-qualifier/contract';
import { DAY_MS, readString, readTime, type PropertyValue } from './values';

interface StatusInput {
  compiled: CompiledModel;
  contact: Record<string, PropertyValue>;
  now: number;
  score: number;
  fitScore: number;
  lastActivity: number | null;
  /** Labels of the disqualifiers that matched. */
  disqualifiedBy: readonly string[];
  /** The buying group that fired recently enough: what it saw and when it last happened. */
  buying: { evidence: string; at: number | null } | null;
  criteriaMet: number;
  /** The first fired signal that blocks MQL by score, if any. */
  blockedBy: Signal | undefined;
}

/**
 * The status and why, in one line. A disqualifier wins; then a rep's rejection (until a new
 * buying signal), a rep's acceptance, SQL by buying signal and criteria, MQL by score, recycling
 * after silence; otherwise a lead, with what keeps it one.
 */
export function decideStatus(input: StatusInput): { status: Status; reason: string } {
  const { compiled, contact, now, score, fitScore, lastActivity, buying, blockedBy } = input;
  const { model } = compiled;
  const feedback = readString(contact['lq_sql_feedback'])?.toLowerCase() ?? null;
  const feedbackAt = readTime(contact['lq_sql_feedback_at']);
  // The contact's creation is its first activity: a new contact is not silent.
  const created = readTime(contact['createdate']);
  const latest =
    lastActivity === null
      ? created
      : created === null
        ? lastActivity
        : Math.max(lastActivity, created);
  const silent = latest === null || now - latest >= model.recycleDays * DAY_MS;
  const wasMql =
    readString(contact['lq_status']) === 'mql' ||
    readString(contact['lq_status']) === 'ready' ||
    readString(contact['lifecyclestage']) === 'marketingqualifiedlead' ||
    readString(contact['lq_mql_date']) !== null;
  const mqlByScore =
    score >= model.mql.minScore && fitScore >= model.mql.minFit && blockedBy === undefined;
  const sqlByCriteria =
    buying !== null && input.criteriaMet >= model.sql.minCriteria && fitScore >= model.sql.minFit;
  const newBuyingSinceFeedback =
    buying !== null && buying.at !== null && feedbackAt !== null && buying.at > feedbackAt;

  if (input.disqualifiedBy.length > 0)
    return { status: 'disqualified', reason: `Disqualified: ${input.disqualifiedBy.join(', ')}.` };
  if (feedback === 'rejected' && !(sqlByCriteria && newBuyingSinceFeedback))
    return {
      status: 'recycled',
      reason: 'Sales rejected this SQL; it returns to nurture until a new buying signal.',
    };
  if (feedback === 'accepted')
    return { status: 'sql', reason: 'A rep accepted this lead as sales-qualified.' };
  if (sqlByCriteria)
    return model.sql.handOff === 'automatic'
      ? {
          status: 'sql',
          reason: `Buying signal (${buying.evidence}) and ${input.criteriaMet} of ${compiled.criteria.length} sales criteria met.`,
        }
      : {
          status: 'ready',
          reason: `Ready for sales: buying signal (${buying.evidence}) and ${input.criteriaMet} of ${compiled.criteria.length} sales criteria met. A rep's acceptance makes it an SQL.`,
        };
  if (mqlByScore && !silent)
    return {
      status: 'mql',
      reason: `Score ${score} ≥ ${model.mql.minScore} with fit ${fitScore} ≥ ${model.mql.minFit}.`,
    };
  // Recycling returns an MQL to nurture: a lead that never was one is not recycled.
  if (wasMql && silent)
    return {
      status: 'recycled',
      reason: `No activity for ${model.recycleDays}+ days: back to nurture.`,
    };
  if (mqlByScore && silent)
    return {
      status: 'lead',
      reason: `Score ${score} would make an MQL, but there has been no activity for ${model.recycleDays}+ days: its next activity makes it one.`,
    };
  return {
    status: 'lead',
    reason: blockedBy
      ? `${blockedBy.label}: cannot become MQL by score.`
      : fitScore < model.mql.minFit
        ? `Fit ${fitScore} is below the MQL minimum of ${model.mql.minFit}.`
        : `Score ${score} is below the MQL threshold of ${model.mql.minScore}.`,
  };
}
