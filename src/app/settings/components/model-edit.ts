import type { Condition, Model, ModelView } from '@lead-qualifier/contract';

/** A model as the form edits it: the same shape, values possibly not valid yet. */

export type Path = ReadonlyArray<string | number>;

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

/** Props that put a problem beside the field it concerns. */
export function fieldError(problems: Map<string, string>, path: Path) {
  const message = problems.get(path.join('.'));
  return message ? { error: true, validationMessage: message } : { error: false };
}

/** "fit.rules.0.points" → "Fit rule 1 › points": problems listed in words. */
export function describePath(path: string, model: Model): string {
  const parts = path.split('.');
  const index = (i: number) => Number(parts[i]);
  const named = (list: Array<{ label?: string }> | undefined, i: number) =>
    list?.[index(i)]?.label ? `“${list[index(i)]!.label}”` : `#${index(i) + 1}`;
  const rest = (from: number) => (parts.length > from ? ` › ${parts.slice(from).join(' › ')}` : '');
  if (parts[0] === 'fit' && parts[1] === 'rules' && parts[2] !== undefined)
    return `Fit rule ${named(model.fit.rules, 2)}${rest(3)}`;
  if (parts[0] === 'engagement' && parts[1] === 'signals' && parts[2] !== undefined)
    return `Engagement signal ${named(model.engagement.signals, 2)}${rest(3)}`;
  if (parts[0] === 'negatives' && parts[1] !== undefined)
    return `Negative signal ${named(model.negatives, 1)}${rest(2)}`;
  if (parts[0] === 'disqualifiers' && parts[1] !== undefined)
    return `Disqualifier ${named(model.disqualifiers, 1)}${rest(2)}`;
  if (parts[0] === 'sql' && parts[1] === 'criteria' && parts[2] !== undefined)
    return `SQL criterion ${named(model.sql.criteria, 2)}${rest(3)}`;
  return parts.join(' › ');
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
export function valueText(condition: Condition): string {
  if (!('value' in condition)) return '';
  const v = condition.value as unknown;
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

/**
 * The text typed for a value, as the operator needs it: lists split on commas, numbers parsed.
 * A number that does not parse stays text, so the schema names the field in its error.
 */
export function parseValue(operator: Condition['operator'], text: string): unknown {
  if (NO_VALUE.has(operator)) return undefined;
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const num = (s: string) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
  if (LIST_OPERATORS.has(operator)) return items;
  if (operator === 'between') return items.map(num);
  if (NUMBER_OPERATORS.has(operator)) return num(text.trim());
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** A condition with a new operator: the value kept where it still makes sense. */
export function withOperator(condition: Condition, operator: Condition['operator']): Condition {
  const { value: _old, ...rest } = condition as Condition & { value?: unknown };
  void _old;
  if (!needsValue(operator)) return { ...rest, operator } as Condition;
  return { ...rest, operator, value: parseValue(operator, valueText(condition)) } as Condition;
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
