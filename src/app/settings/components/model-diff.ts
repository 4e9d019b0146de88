import type {
  Condition,
  Criterion,
  EngagementObject,
  EngagementTest,
  Model,
  PropertiesView,
  Signal,
} from '@lead-qualifier/contract';
import { ACTIVITY, OPERATORS } from './model-edit';

/** What the diff names things by: the portal's property and stage labels. */
export interface DiffWords {
  properties: PropertiesView | null;
  stageLabels: Record<string, string>;
}

/** "a call", "an e-mail". */
const anActivity = (object: EngagementObject) =>
  `${ACTIVITY[object].article} ${ACTIVITY[object].noun}`;

function propertyOf(words: DiffWords, list: string, name: string) {
  const p = words.properties;
  const all =
    list === 'company'
      ? p?.companies
      : list === 'contact'
        ? p?.contacts
        : p?.engagements[list as 'calls'];
  return all?.find((x) => x.name === name);
}

/** A test in words: "Company Industry is any of Computer Software, Financial Services". */
function testWords(words: DiffWords, test: Condition | EngagementTest, on: string): string {
  const whose = 'object' in test ? test.object : on;
  const property = propertyOf(words, whose, test.property);
  const name = `${whose === 'company' ? 'Company ' : ''}${property?.label ?? test.property}`;
  const op = OPERATORS.find((o) => o.value === test.operator)?.label ?? test.operator;
  if (!('value' in test)) return `${name} ${op}`;
  const label = (v: unknown) =>
    property?.options.find((o) => o.value.toLowerCase() === String(v).toLowerCase())?.label ??
    String(v);
  const value = test.value as unknown;
  const shown = Array.isArray(value)
    ? test.operator === 'between'
      ? value.join(' and ')
      : value.map(label).join(', ')
    : label(value);
  const days = test.operator === 'within_days' || test.operator === 'older_than_days';
  return `${name} ${op.replace(' … days', '')} ${shown}${days ? ' days' : ''}`;
}

function testsWords(
  words: DiffWords,
  tests: ReadonlyArray<Condition | EngagementTest>,
  match: 'any' | 'all',
  on = 'contact',
): string {
  return tests.map((t) => testWords(words, t, on)).join(match === 'all' ? ' and ' : ' or ');
}

function sourceWords(words: DiffWords, source: Signal['source']): string {
  switch (source.type) {
    case 'contact':
      return testsWords(words, source.anyOf, source.match);
    case 'count':
      return `each one of ${propertyOf(words, 'contact', source.property)?.label ?? source.property}`;
    case 'form':
      return `a form named ${source.names.map((n) => `“${n}”`).join(' or ')}`;
    case 'engagement':
      return `${anActivity(source.object)} where ${testsWords(words, source.where, source.match, source.object)}`;
    case 'inactivity':
      return `no activity for ${source.days} days`;
  }
}

function wayWords(words: DiffWords, way: Criterion['anyOf'][number], model: Model): string {
  switch (way.type) {
    case 'signal': {
      const signal = [...model.engagement.signals, ...model.negatives].find(
        (s) => s.id === way.signal,
      );
      return `signal “${signal?.label ?? way.signal}”`;
    }
    case 'property':
      return testWords(words, way.when, 'contact');
    case 'engagement':
      return `${anActivity(way.object)} where ${testsWords(words, way.where, way.match, way.object)}${way.withinDays ? ` in the last ${way.withinDays} days` : ''}`;
  }
}

const pts = (n: number) => `${n > 0 ? '+' : ''}${n}`;

/** Items of two lists matched by id: added, removed, and the pairs present in both. */
function byId<T extends { id: string; label: string }>(
  from: readonly T[],
  to: readonly T[],
  what: string,
  describe: (item: T) => string,
  changes: (a: T, b: T) => string[],
): string[] {
  const lines: string[] = [];
  for (const b of to)
    if (!from.some((a) => a.id === b.id)) lines.push(`Adds ${what} “${b.label}”: ${describe(b)}`);
  for (const a of from)
    if (!to.some((b) => b.id === a.id)) lines.push(`Removes ${what} “${a.label}”`);
  for (const a of from) {
    const b = to.find((x) => x.id === a.id);
    if (!b) continue;
    const changed = [...(a.label !== b.label ? [`renamed “${b.label}”`] : []), ...changes(a, b)];
    if (changed.length > 0) lines.push(`${cap(what)} “${a.label}”: ${changed.join('; ')}`);
  }
  return lines;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const arrow = (what: string, a: unknown, b: unknown) => `${what} ${String(a)} → ${String(b)}`;

/**
 * What changes going from `from` to `to`, one sentence per change, in the admin's words:
 * thresholds, then rules, signals, disqualifiers, criteria and buying combinations.
 */
export function diffModels(from: Model, to: Model, words: DiffWords): string[] {
  const lines: string[] = [];
  const scalar = (what: string, a: unknown, b: unknown) => {
    if (a !== b) lines.push(arrow(`${what}:`, a ?? 'none', b ?? 'none'));
  };
  const stage = (v: string | null) => (v === null ? 'no stage' : (words.stageLabels[v] ?? v));
  scalar('Name', from.name, to.name);
  for (const g of ['A', 'B', 'C'] as const)
    scalar(`Grade ${g} from fit score`, from.grades[g], to.grades[g]);
  scalar('MQL minimum score', from.mql.minScore, to.mql.minScore);
  scalar('MQL minimum fit score', from.mql.minFit, to.mql.minFit);
  scalar('SQL criteria that must be met', from.sql.minCriteria, to.sql.minCriteria);
  scalar('SQL minimum fit score', from.sql.minFit, to.sql.minFit);
  const handOff = (m: Model) =>
    m.sql.handOff === 'automatic' ? 'the model' : 'a rep accepting a lead ready for sales';
  scalar('Who makes an SQL', handOff(from), handOff(to));
  scalar('Buying signal counts for (days)', from.sql.buyingWindowDays, to.sql.buyingWindowDays);
  scalar('Fit points for a fit score of 100', from.fit.maxPoints, to.fit.maxPoints);
  scalar('Engagement points for 100', from.engagement.maxPoints, to.engagement.maxPoints);
  scalar('Sales follow-up SLA (hours)', from.slaHours, to.slaHours);
  scalar(
    'The SLA applies to',
    from.slaFor === 'sql' ? 'new SQLs' : 'new MQLs and SQLs',
    to.slaFor === 'sql' ? 'new SQLs' : 'new MQLs and SQLs',
  );
  scalar('Recycle an MQL silent for (days)', from.recycleDays, to.recycleDays);
  for (const status of ['lead', 'mql', 'sql'] as const)
    scalar(
      `${status === 'lead' ? 'Lead' : status.toUpperCase()} moves to`,
      stage(from.lifecycle.mapping[status]),
      stage(to.lifecycle.mapping[status]),
    );
  scalar(
    'Recycled contacts go back to Lead',
    from.lifecycle.recycleMovesBack ? 'yes' : 'no',
    to.lifecycle.recycleMovesBack ? 'yes' : 'no',
  );

  const conditions = (r: { anyOf: Condition[]; match: 'any' | 'all' }) =>
    testsWords(words, r.anyOf, r.match);
  lines.push(
    ...byId(
      from.fit.rules,
      to.fit.rules,
      'fit rule',
      (r) => `${pts(r.points)} when ${conditions(r)}`,
      (a, b) => [
        ...(a.points !== b.points ? [arrow('points', pts(a.points), pts(b.points))] : []),
        ...(a.group !== b.group ? [arrow('group', a.group ?? 'none', b.group ?? 'none')] : []),
        ...(conditions(a) !== conditions(b) ? [`now when ${conditions(b)}`] : []),
      ],
    ),
  );
  const signalChanges = (a: Signal, b: Signal) => [
    ...(a.points !== b.points ? [arrow('points', pts(a.points), pts(b.points))] : []),
    ...(a.halfLifeDays !== b.halfLifeDays
      ? [
          arrow(
            'half-life',
            a.halfLifeDays === null ? 'never fades' : `${a.halfLifeDays} days`,
            b.halfLifeDays === null ? 'never fades' : `${b.halfLifeDays} days`,
          ),
        ]
      : []),
    ...(a.cap !== b.cap ? [arrow('counts at most', a.cap, `${b.cap} times`)] : []),
    ...(a.blocksMql !== b.blocksMql
      ? [b.blocksMql ? 'now blocks MQL' : 'no longer blocks MQL']
      : []),
    ...(sourceWords(words, a.source) !== sourceWords(words, b.source)
      ? [`now counts ${sourceWords(words, b.source)}`]
      : []),
  ];
  const signalText = (s: Signal) => `${pts(s.points)} for ${sourceWords(words, s.source)}`;
  lines.push(
    ...byId(from.engagement.signals, to.engagement.signals, 'signal', signalText, signalChanges),
    ...byId(from.negatives, to.negatives, 'negative signal', signalText, signalChanges),
    ...byId(
      from.disqualifiers,
      to.disqualifiers,
      'disqualifier',
      (d) => `when ${conditions(d)}`,
      (a, b) => (conditions(a) !== conditions(b) ? [`now when ${conditions(b)}`] : []),
    ),
  );
  const ways = (c: Criterion, model: Model) =>
    c.anyOf.map((w) => wayWords(words, w, model)).join(', or ');
  lines.push(
    ...byId(
      from.sql.criteria,
      to.sql.criteria,
      'SQL criterion',
      (c) => `met by ${ways(c, to)}`,
      (a, b) => [
        ...(a.hint !== b.hint ? [`rep's next step now “${b.hint}”`] : []),
        ...(ways(a, from) !== ways(b, to) ? [`now met by ${ways(b, to)}`] : []),
      ],
    ),
  );
  const combination = (group: string[], model: Model) =>
    group
      .map(
        (id) =>
          [...model.engagement.signals, ...model.negatives].find((s) => s.id === id)?.label ?? id,
      )
      .join(' + ');
  const before = from.sql.buyingSignals.map((g) => combination(g, from));
  const after = to.sql.buyingSignals.map((g) => combination(g, to));
  for (const c of after)
    if (!before.includes(c)) lines.push(`Adds the buying signal combination ${c}`);
  for (const c of before)
    if (!after.includes(c)) lines.push(`Removes the buying signal combination ${c}`);
  return lines;
}
