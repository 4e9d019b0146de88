import type {
  Condition,
  EngagementObject,
  EngagementTest,
  Model,
  ModelView,
  PropertySummary,
} from '@lead-qualifier/contract';

/** A model as the form edits it: the same shape, values possibly not valid yet. */

export type Path = ReadonlyArray<string | number>;

/** Each engagement type as one of them is called: "a call", "an e-mail". */
export const ACTIVITY: Record<EngagementObject, { noun: string; article: 'a' | 'an' }> = {
  calls: { noun: 'call', article: 'a' },
  emails: { noun: 'e-mail', article: 'an' },
  meetings: { noun: 'meeting', article: 'a' },
  notes: { noun: 'note', article: 'a' },
  tasks: { noun: 'task', article: 'a' },
};
export const ACTIVITY_TYPES = Object.keys(ACTIVITY) as EngagementObject[];

/** Sets the value at `path` in the model the form edits. */
export type Edit = (path: Path, value: unknown) => void;

/** Returns a copy of `value` with the field at `path` replaced (arrays and objects copied). */
export function setIn<T>(value: T, path: Path, next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path;
  const container = value as unknown as Record<string | number, unknown> | unknown[];
  const copy: Record<string | number, unknown> | unknown[] = Array.isArray(container)
    ? [...container]
    : { ...container };
  (copy as Record<string | number, unknown>)[head!] = setIn(
    (container as Record<string | number, unknown>)[head!],
    rest,
    next,
  );
  return copy as T;
}

/** Removes the item at `index` of the array at `path`. */
export function removeAt<T>(value: T, path: Path, index: number): T {
  const list = getIn(value, path) as unknown[];
  return setIn(
    value,
    path,
    list.filter((_, i) => i !== index),
  );
}

export function getIn(value: unknown, path: Path): unknown {
  let v = value;
  for (const key of path) v = (v as Record<string | number, unknown> | undefined)?.[key];
  return v;
}

/** The backend's problems by model path (`fit.rules.0.points`), without the `model.` prefix. */
export function problemsByPath(
  details: ReadonlyArray<{ path: string; message: string }>,
): Map<string, string> {
  const map = new Map<string, string>();
  for (const d of details) {
    const path = d.path.replace(/^model\./, '');
    map.set(path, map.has(path) ? `${map.get(path)}; ${d.message}` : d.message);
  }
  return map;
}

/**
 * Props that put a problem beside the field it concerns. `deep`: problems inside the field's
 * value too (a list's items: `anyOf.0.value.2` shows on the value field).
 */
export function fieldError(problems: Map<string, string>, path: Path, deep = false) {
  const at = path.join('.');
  const messages: string[] = [];
  for (const [key, message] of problems)
    if (key === at || (deep && key.startsWith(`${at}.`))) messages.push(message);
  return messages.length > 0
    ? { error: true, validationMessage: messages.join('; ') }
    : { error: false };
}

/** How many problems lie at or under any of `prefixes` (a section of the form). */
export function problemsUnder(problems: Map<string, string>, prefixes: readonly string[]): number {
  let n = 0;
  for (const key of problems.keys())
    if (prefixes.some((p) => key === p || key.startsWith(`${p}.`))) n++;
  return n;
}

/** Field names as the form labels them. */
const FIELD_WORDS: Record<string, string> = {
  name: 'model name',
  description: 'description',
  label: 'name',
  hint: 'what a rep can do to meet it',
  points: 'points',
  group: 'group',
  halfLifeDays: 'half-life',
  cap: 'counts at most',
  blocksMql: 'blocks MQL',
  source: 'what counts',
  type: 'kind',
  object: 'of the',
  property: 'property',
  operator: 'operator',
  value: 'value',
  names: 'form names',
  days: 'days',
  dateProperty: 'date',
  withinDays: 'within (days)',
  match: 'any or all',
  minScore: 'minimum score',
  minFit: 'minimum fit score',
  minCriteria: 'criteria that must be met',
  buyingWindowDays: 'buying signal counts for (days)',
  handOff: 'who makes an SQL',
  maxPoints: 'points for 100',
  slaHours: 'sales follow-up SLA (hours)',
  slaFor: 'the follow-up SLA applies to',
  recycleDays: 'recycle an MQL silent for (days)',
  when: 'property',
  signal: 'signal',
};

/** Lists inside a rule, by the word for one of their items. */
const ITEM_WORDS: Record<string, string> = {
  anyOf: 'condition',
  where: 'test',
};

/**
 * "fit.rules.0.anyOf.1.value.0" → "Fit rule “Senior title” › condition 2 › value": a problem
 * said with the words the form uses.
 */
export function describePath(path: string, model: Model): string {
  const parts = path.split('.');
  const index = (i: number) => Number(parts[i]);
  const named = (list: Array<{ label?: string }> | undefined, i: number) =>
    list?.[index(i)]?.label ? `“${list[index(i)]!.label}”` : `#${index(i) + 1}`;
  const rest = (from: number, ways = false) => {
    const words: string[] = [];
    for (let i = from; i < parts.length; i++) {
      const part = parts[i]!;
      const next = parts[i + 1];
      if (part in ITEM_WORDS && next !== undefined && /^\d+$/.test(next)) {
        words.push(`${ways && part === 'anyOf' ? 'way' : ITEM_WORDS[part]} ${Number(next) + 1}`);
        i++;
      } else if (/^\d+$/.test(part)) {
        // an item of a value list: the value field holds them all
      } else words.push(FIELD_WORDS[part] ?? part);
    }
    return words.length > 0 ? ` › ${words.join(' › ')}` : '';
  };
  if (parts[0] === 'fit' && parts[1] === 'rules' && parts[2] !== undefined)
    return `Fit rule ${named(model.fit.rules, 2)}${rest(3)}`;
  if (parts[0] === 'engagement' && parts[1] === 'signals' && parts[2] !== undefined)
    return `Engagement signal ${named(model.engagement.signals, 2)}${rest(3)}`;
  if (parts[0] === 'negatives' && parts[1] !== undefined)
    return `Negative signal ${named(model.negatives, 1)}${rest(2)}`;
  if (parts[0] === 'disqualifiers' && parts[1] !== undefined)
    return `Disqualifier ${named(model.disqualifiers, 1)}${rest(2)}`;
  if (parts[0] === 'sql' && parts[1] === 'criteria' && parts[2] !== undefined)
    return `SQL criterion ${named(model.sql.criteria, 2)}${rest(3, true)}`;
  if (parts[0] === 'sql' && parts[1] === 'buyingSignals' && parts[2] !== undefined)
    return `Buying signal combination ${index(2) + 1}`;
  if (parts[0] === 'lifecycle' && parts[1] === 'mapping' && parts[2] !== undefined)
    return `${parts[2] === 'lead' ? 'Lead' : parts[2]!.toUpperCase()} moves to`;
  if (parts[0] === 'grades') return parts[1] ? `Grade ${parts[1]} from` : 'Grades';
  const section: Record<string, string> = {
    mql: 'MQL',
    sql: 'SQL',
    fit: 'Fit',
    engagement: 'Engagement',
    lifecycle: 'Lifecycle stages',
  };
  if (parts[0]! in section) return `${section[parts[0]!]}${rest(1)}`;
  return rest(0)
    .replace(/^ › /, '')
    .replace(/^./, (c) => c.toUpperCase());
}

/** What kind of value a property holds, as the form picks it. */
export type PropertyKind = 'enumeration' | 'number' | 'date' | 'text';

export function kindOf(property: PropertySummary | undefined): PropertyKind | null {
  if (!property) return null;
  if (property.type === 'enumeration' || property.type === 'bool') return 'enumeration';
  if (property.type === 'number') return 'number';
  if (property.type === 'date' || property.type === 'datetime') return 'date';
  return 'text';
}

/** A property's options; a yes/no property without listed options gets Yes and No. */
export function optionsOf(property: PropertySummary): Array<{ label: string; value: string }> {
  if (property.options.length > 0) return property.options;
  if (property.type === 'bool')
    return [
      { label: 'Yes', value: 'true' },
      { label: 'No', value: 'false' },
    ];
  return [];
}

const KIND_OPERATORS: Record<PropertyKind, ReadonlyArray<Condition['operator']>> = {
  enumeration: ['equals', 'not_equals', 'in', 'not_in', 'exists', 'not_exists'],
  number: ['equals', 'not_equals', 'gt', 'gte', 'lt', 'lte', 'between', 'exists', 'not_exists'],
  date: ['within_days', 'older_than_days', 'exists', 'not_exists'],
  text: [
    'equals',
    'not_equals',
    'in',
    'not_in',
    'contains',
    'not_contains',
    'email_domain_in',
    'invalid_email',
    'exists',
    'not_exists',
  ],
};

/** The operators that make sense for a property of this kind (all, when it is not known). */
export function operatorsFor(
  kind: PropertyKind | null,
  current: Condition['operator'],
): Array<{ value: Condition['operator']; label: string }> {
  if (kind === null) return OPERATORS;
  const allowed = KIND_OPERATORS[kind];
  return OPERATORS.filter((o) => allowed.includes(o.value) || o.value === current);
}

/**
 * A test on a newly chosen property: the operator kept when it suits the property's kind,
 * otherwise "is known" (which needs no value), so the test stays valid while it is edited.
 */
export function withProperty<T extends Condition | EngagementTest>(
  test: T,
  property: string,
  kind: PropertyKind | null,
): T {
  if (kind === null || KIND_OPERATORS[kind].includes(test.operator))
    return { ...test, property } as T;
  const { value: _old, ...rest } = test as T & { value?: unknown };
  void _old;
  return { ...rest, property, operator: 'exists' } as T;
}

export const OPERATORS: Array<{ value: Condition['operator']; label: string }> = [
  { value: 'equals', label: 'is' },
  { value: 'not_equals', label: 'is not' },
  { value: 'in', label: 'is any of' },
  { value: 'not_in', label: 'is none of' },
  { value: 'contains', label: 'contains any of' },
  { value: 'not_contains', label: 'contains none of' },
  { value: 'email_domain_in', label: 'e-mail domain is any of' },
  { value: 'gt', label: '>' },
  { value: 'gte', label: '≥' },
  { value: 'lt', label: '<' },
  { value: 'lte', label: '≤' },
  { value: 'between', label: 'is between' },
  { value: 'within_days', label: 'is within the last … days' },
  { value: 'older_than_days', label: 'is older than … days' },
  { value: 'exists', label: 'is known' },
  { value: 'not_exists', label: 'is unknown' },
  { value: 'invalid_email', label: 'is not a valid e-mail' },
];

const LIST_OPERATORS = new Set(['in', 'not_in', 'contains', 'not_contains', 'email_domain_in']);
const NUMBER_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte', 'within_days', 'older_than_days']);
const NO_VALUE = new Set(['exists', 'not_exists', 'invalid_email']);

export function needsValue(operator: Condition['operator']): boolean {
  return !NO_VALUE.has(operator);
}

/** A condition's value as the form's text field shows it. */
export function valueText(condition: Condition | EngagementTest): string {
  if (!('value' in condition)) return '';
  const v = condition.value as unknown;
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

/**
 * The text typed for a value, as the operator needs it: lists split on commas, numbers parsed.
 * A number that does not parse stays text, so the schema names the field in its error.
 */
export function parseValue(
  operator: Condition['operator'],
  text: string,
  kind: PropertyKind | null = null,
): unknown {
  if (NO_VALUE.has(operator)) return undefined;
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const num = (s: string) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
  if (LIST_OPERATORS.has(operator)) return items;
  if (operator === 'between') return items.map(num);
  if (NUMBER_OPERATORS.has(operator) || kind === 'number') return num(text.trim());
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** A test with a new operator: the value kept where it still makes sense. */
export function withOperator<T extends Condition | EngagementTest>(
  test: T,
  operator: Condition['operator'],
  kind: PropertyKind | null = null,
): T {
  const { value: _old, ...rest } = test as T & { value?: unknown };
  void _old;
  if (!needsValue(operator)) return { ...rest, operator } as T;
  return { ...rest, operator, value: parseValue(operator, valueText(test), kind) } as T;
}

/** A lower-case id from a label, unique among `taken`. */
export function idFrom(label: string, taken: ReadonlySet<string>): string {
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+|_+$/g, '')
      .slice(0, 50) || 'rule';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  return id;
}

/** Every id the model uses (rules, signals, disqualifiers share one namespace). */
export function usedIds(model: Model): Set<string> {
  return new Set([
    ...model.fit.rules.map((r) => r.id),
    ...model.engagement.signals.map((s) => s.id),
    ...model.negatives.map((s) => s.id),
    ...model.disqualifiers.map((d) => d.id),
  ]);
}

/** Where the form stands: a saved draft (whose, from which version), unsaved edits, or active. */
export function draftStatus(view: ModelView, dirty: boolean): string {
  if (view.draft) {
    const by = view.draft.updatedBy.userEmail ?? `user ${view.draft.updatedBy.userId}`;
    const unsaved = dirty ? ', with unsaved changes' : '';
    return `Draft based on version ${view.draft.baseVersion}, saved by ${by}${unsaved}.`;
  }
  return dirty
    ? 'Unsaved changes to the active model.'
    : `Showing the active model, version ${view.active.version}.`;
}

/** Rule and signal ids to the labels admins gave them. */
export function ruleLabels(model: Model): Map<string, string> {
  return new Map(
    [...model.fit.rules, ...model.engagement.signals, ...model.negatives].map((r) => [
      r.id,
      r.label,
    ]),
  );
}
