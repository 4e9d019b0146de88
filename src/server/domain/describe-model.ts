import type { Condition, EngagementTest, Model, Signal } from '@lead-qualifier/contract';

/** A condition in words: `jobtitle contains "vp", "chief"`. */
function describeTest(test: EngagementTest | Condition): string {
  const who = 'object' in test && test.object === 'company' ? 'company ' : '';
  const name = `${who}\`${test.property}\``;
  switch (test.operator) {
    case 'exists':
      return `${name} is set`;
    case 'not_exists':
      return `${name} is empty`;
    case 'invalid_email':
      return `${name} is not a valid address`;
    case 'between':
      return `${name} between ${test.value[0].toLocaleString('en-US')} and ${test.value[1].toLocaleString('en-US')}`;
    case 'within_days':
      return `${name} within ${test.value} days`;
    case 'older_than_days':
      return `${name} older than ${test.value} days`;
    case 'in':
    case 'not_in':
    case 'contains':
    case 'not_contains':
    case 'email_domain_in': {
      const verb = test.operator.replaceAll('_', ' ');
      if (test.value.length === 0)
        return `${name} ${verb} (the portal's list, empty until its admin fills it in)`;
      const list = test.value.length > 6 ? [...test.value.slice(0, 6), '…'] : test.value;
      return `${name} ${verb} ${list.map((v) => (v === '…' ? v : `"${v}"`)).join(', ')}`;
    }
    default:
      return `${name} ${test.operator.replaceAll('_', ' ')} ${JSON.stringify(test.value)}`;
  }
}

/** Conditions joined as they combine: "a or b", or "a and b". */
function joined(tests: readonly Condition[], match: 'any' | 'all'): string {
  return tests.map(describeTest).join(match === 'all' ? ' and ' : ' or ');
}

function describeSignal(signal: Signal): string {
  const src = signal.source;
  switch (src.type) {
    case 'contact':
      return joined(src.anyOf, src.match);
    case 'count':
      return `per unit of \`${src.property}\``;
    case 'form':
      return `form named ${src.names.map((n) => `"${n}"`).join(', ')}`;
    case 'engagement':
      return `${src.object}: ${src.where.map(describeTest).join(src.match === 'all' ? ' and ' : ' or ')}`;
    case 'inactivity':
      return `no activity for ${src.days} days`;
    default: {
      const unreachable: never = src;
      return String(unreachable);
    }
  }
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The model as Markdown tables: the README's documentation of the default model. */
export function describeModel(model: Model): string {
  const fit = model.fit.rules.map(
    (r) =>
      `| \`${r.id}\` | ${cell(r.label)} | ${r.points} | ${cell(joined(r.anyOf, r.match))}${r.group ? ` (one of group \`${r.group}\`)` : ''} |`,
  );
  const signal = (s: Signal) =>
    `| \`${s.id}\` | ${cell(s.label)} | ${s.points} | ${s.halfLifeDays ?? '–'} | ${s.cap} | ${cell(describeSignal(s))}${s.blocksMql ? ' (blocks MQL)' : ''} |`;
  const dq = model.disqualifiers.map(
    (d) => `| \`${d.id}\` | ${cell(d.label)} | ${cell(joined(d.anyOf, d.match))} |`,
  );
  const criteria = model.sql.criteria.map(
    (c) =>
      `| \`${c.id}\` | ${cell(c.label)} | ${cell(c.anyOf.map((w) => (w.type === 'signal' ? `signal \`${w.signal}\`` : w.type === 'property' ? describeTest(w.when) : `${w.object}: ${w.where.map(describeTest).join(' and ')}${w.withinDays ? `, within ${w.withinDays} days` : ''}`)).join('; or '))} |`,
  );
  return [
    `**Fit** (fit score = fit points / ${model.fit.maxPoints}, as %; grade A ≥ ${model.grades.A}, B ≥ ${model.grades.B}, C ≥ ${model.grades.C}, else D):`,
    '',
    '| rule | label | points | when |',
    '|---|---|---|---|',
    ...fit,
    '',
    `**Engagement** (engagement score = points / ${model.engagement.maxPoints}, as %; each occurrence decays by its half-life; at most _cap_ occurrences count):`,
    '',
    '| signal | label | points | half-life (days) | cap | what counts |',
    '|---|---|---|---|---|---|',
    ...model.engagement.signals.map(signal),
    ...model.negatives.map(signal),
    '',
    '**Disqualifiers** (status `disqualified` whatever the points):',
    '',
    '| rule | label | when |',
    '|---|---|---|',
    ...dq,
    '',
    `**Decision.** Score = fit points + engagement points, 0–100. **MQL**: score ≥ ${model.mql.minScore} and fit score ≥ ${model.mql.minFit}, unless a signal that blocks MQL fired. **SQL**: a buying signal (${model.sql.buyingSignals.map((g) => g.map((id) => `\`${id}\``).join(' + ')).join(', or ')}) within ${model.sql.buyingWindowDays} days, fit score ≥ ${model.sql.minFit} and at least ${model.sql.minCriteria} of these criteria, or a rep's acceptance:`,
    '',
    '| criterion | label | met by |',
    '|---|---|---|',
    ...criteria,
    '',
    `**Recycled**: an MQL with no activity for ${model.recycleDays} days, or an SQL a rep rejected (until a new buying signal). SLA for a new SQL: ${model.slaHours} hours. The lifecycle stage only moves forward${model.lifecycle.recycleMovesBack ? '; recycling moves MQL/SQL back to lead' : ''}.`,
  ].join('\n');
}
