import { HubSpotError, validation } from './hubspot-error';
import type { ObjectType } from './object-types';
import type { Portal, StoredObject } from './portal';
import type { PropertyDef } from './property-catalog';

/**
 * CRM search as HubSpot documents it (https://developers.hubspot.com/docs/api/crm/search):
 * filter groups ORed, filters ANDed, at most 5 groups, 10 filters in a group and 25 in all
 * (changelog 2024-08-26), one sort, `limit` up to 200, and no paging past 10,000 results.
 */
const SEARCH_LIMITS = {
  groups: 5,
  filtersPerGroup: 10,
  filters: 25,
  pageSize: 200,
  maxResults: 10_000,
} as const;

const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof OPERATORS)[number];

interface Filter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

interface SearchRequest {
  filterGroups: Array<{ filters: Filter[] }>;
  sorts: Array<{ propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }>;
  query: string | undefined;
  properties: string[] | undefined;
  limit: number;
  after: number;
}

const QUERY_PROPERTIES: Partial<Record<ObjectType, string[]>> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
  companies: ['name', 'domain', 'website'],
  deals: ['dealname'],
};

const asText = (v: unknown) =>
  typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : undefined;

/** Parses a search body, answering HubSpot's 400 for anything it would refuse. */
export function parseSearch(body: unknown): SearchRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw validation('Invalid input JSON: the search body must be an object.');
  const b = body as Record<string, unknown>;
  const groups = b['filterGroups'] ?? [];
  if (!Array.isArray(groups)) throw validation('filterGroups must be an array.');
  if (groups.length > SEARCH_LIMITS.groups) {
    throw validation(
      `Too many filter groups: ${groups.length}. The maximum is ${SEARCH_LIMITS.groups}.`,
    );
  }
  let total = 0;
  const filterGroups = groups.map((g, gi) => {
    const filters = (g as { filters?: unknown })?.filters;
    if (!Array.isArray(filters)) throw validation(`filterGroups[${gi}].filters must be an array.`);
    if (filters.length > SEARCH_LIMITS.filtersPerGroup) {
      throw validation(
        `Too many filters in filterGroups[${gi}]: ${filters.length}. The maximum is ${SEARCH_LIMITS.filtersPerGroup}.`,
      );
    }
    total += filters.length;
    return {
      filters: filters.map((f, fi): Filter => {
        const raw = f as Record<string, unknown>;
        const operator = raw['operator'] ?? 'EQ';
        if (typeof raw['propertyName'] !== 'string' || !OPERATORS.includes(operator as Operator)) {
          throw validation(
            `filterGroups[${gi}].filters[${fi}] needs a propertyName and an operator among ${OPERATORS.join(', ')}.`,
          );
        }
        const values = Array.isArray(raw['values'])
          ? raw['values'].map(asText).filter((v): v is string => v !== undefined)
          : undefined;
        return {
          propertyName: raw['propertyName'],
          operator: operator as Operator,
          value: asText(raw['value']),
          highValue: asText(raw['highValue']),
          values,
        };
      }),
    };
  });
  if (total > SEARCH_LIMITS.filters)
    throw validation(`Too many filters: ${total}. The maximum is ${SEARCH_LIMITS.filters}.`);

  const rawSorts = b['sorts'] ?? [];
  if (!Array.isArray(rawSorts)) throw validation('sorts must be an array.');
  if (rawSorts.length > 1) throw validation('Only one sort is supported.');
  const sorts = rawSorts.map((s) => {
    if (typeof s === 'string') {
      return s.startsWith('-')
        ? { propertyName: s.slice(1), direction: 'DESCENDING' as const }
        : { propertyName: s, direction: 'ASCENDING' as const };
    }
    const o = s as { propertyName?: unknown; direction?: unknown };
    if (typeof o?.propertyName !== 'string') throw validation('Each sort needs a propertyName.');
    return {
      propertyName: o.propertyName,
      direction: o.direction === 'DESCENDING' ? ('DESCENDING' as const) : ('ASCENDING' as const),
    };
  });

  const limit = b['limit'] === undefined ? 10 : Number(b['limit']);
  if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_LIMITS.pageSize) {
    throw validation(`limit must be a whole number from 0 to ${SEARCH_LIMITS.pageSize}.`);
  }
  const after = b['after'] === undefined || b['after'] === null ? 0 : Number(b['after']);
  if (!Number.isInteger(after) || after < 0)
    throw validation('after must be the paging cursor a previous page returned.');
  if (after + limit > SEARCH_LIMITS.maxResults) {
    throw new HubSpotError(
      400,
      'VALIDATION_ERROR',
      `Paging past ${SEARCH_LIMITS.maxResults} results is not supported; narrow the search with filters (for example hs_object_id greater than the last id seen).`,
    );
  }
  const properties = Array.isArray(b['properties'])
    ? b['properties'].filter((p): p is string => typeof p === 'string')
    : undefined;
  const query =
    typeof b['query'] === 'string' && b['query'].trim() !== ''
      ? b['query'].trim().toLowerCase()
      : undefined;
  return { filterGroups, sorts, query, properties, limit, after };
}

function numeric(def: PropertyDef | undefined, value: string | undefined): number | null {
  if (value === undefined) return null;
  if (def?.type === 'datetime' || def?.type === 'date') {
    const ms = /^\d{10,14}$/.test(value) ? Number(value) : Date.parse(value);
    return Number.isFinite(ms) ? ms : null;
  }
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : null;
}

function tokenMatch(stored: string, needle: string): boolean {
  const text = stored.toLowerCase();
  const n = needle.toLowerCase();
  if (n.includes('*')) {
    const pattern = new RegExp(
      `^${n
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return pattern.test(text) || text.split(/\s+/).some((token) => pattern.test(token));
  }
  return text.split(/[^\p{L}\p{N}@._-]+/u).includes(n) || text === n;
}

function matches(portal: Portal, type: ObjectType, obj: StoredObject, f: Filter): boolean {
  const def = portal.propertyDef(type, f.propertyName);
  const stored = obj.properties[f.propertyName];
  const numberLike = def?.type === 'number' || def?.type === 'datetime' || def?.type === 'date';
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return stored !== undefined;
    case 'NOT_HAS_PROPERTY':
      return stored === undefined;
    case 'EQ':
    case 'NEQ': {
      const same =
        stored !== undefined &&
        (numberLike
          ? numeric(def, stored) === numeric(def, f.value)
          : stored.toLowerCase() === (f.value ?? '').toLowerCase());
      return f.operator === 'EQ' ? same : !same;
    }
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE': {
      const a = numberLike ? numeric(def, stored) : null;
      const b = numberLike ? numeric(def, f.value) : null;
      if (numberLike) {
        if (a === null || b === null) return false;
        return f.operator === 'LT'
          ? a < b
          : f.operator === 'LTE'
            ? a <= b
            : f.operator === 'GT'
              ? a > b
              : a >= b;
      }
      if (stored === undefined || f.value === undefined) return false;
      const c = stored.localeCompare(f.value);
      return f.operator === 'LT'
        ? c < 0
        : f.operator === 'LTE'
          ? c <= 0
          : f.operator === 'GT'
            ? c > 0
            : c >= 0;
    }
    case 'BETWEEN': {
      const a = numeric(def, stored);
      const lo = numeric(def, f.value);
      const hi = numeric(def, f.highValue);
      return a !== null && lo !== null && hi !== null && a >= lo && a <= hi;
    }
    case 'IN':
    case 'NOT_IN': {
      const set = new Set((f.values ?? []).map((v) => v.toLowerCase()));
      const found =
        stored !== undefined && stored.split(';').some((part) => set.has(part.toLowerCase()));
      return f.operator === 'IN' ? found : stored !== undefined && !found;
    }
    case 'CONTAINS_TOKEN':
      return stored !== undefined && f.value !== undefined && tokenMatch(stored, f.value);
    case 'NOT_CONTAINS_TOKEN':
      return stored === undefined || f.value === undefined || !tokenMatch(stored, f.value);
    default: {
      const unreachable: never = f.operator;
      throw new Error(`unknown operator ${String(unreachable)}`);
    }
  }
}

/** The matching objects, sorted, with the total before paging. */
export function runSearch(
  portal: Portal,
  type: ObjectType,
  request: SearchRequest,
): { total: number; page: StoredObject[]; nextAfter: number | undefined } {
  const queryProps = QUERY_PROPERTIES[type] ?? [];
  const hits: StoredObject[] = [];
  for (const obj of portal.all(type)) {
    if (
      request.query &&
      !queryProps.some((p) => obj.properties[p]?.toLowerCase().includes(request.query!))
    )
      continue;
    if (
      request.filterGroups.length > 0 &&
      !request.filterGroups.some((g) => g.filters.every((f) => matches(portal, type, obj, f)))
    )
      continue;
    hits.push(obj);
  }
  const sort = request.sorts[0];
  if (sort) {
    const def = portal.propertyDef(type, sort.propertyName);
    const numberLike = def?.type === 'number' || def?.type === 'datetime' || def?.type === 'date';
    const dir = sort.direction === 'DESCENDING' ? -1 : 1;
    hits.sort((x, y) => {
      const a = x.properties[sort.propertyName];
      const b = y.properties[sort.propertyName];
      if (a === undefined || b === undefined)
        return a === b ? Number(x.id) - Number(y.id) : a === undefined ? 1 : -1;
      const c = numberLike ? (numeric(def, a) ?? 0) - (numeric(def, b) ?? 0) : a.localeCompare(b);
      return c !== 0 ? c * dir : Number(x.id) - Number(y.id);
    });
  }
  const page = hits.slice(request.after, request.after + request.limit);
  const end = request.after + request.limit;
  const nextAfter = end < hits.length && end < SEARCH_LIMITS.maxResults ? end : undefined;
  return { total: hits.length, page, nextAfter };
}
