import type { EngagementTest } from '@lead-qualifier/contract';
import {
  DAY_MS,
  emailDomain,
  isValidEmail,
  readBoolean,
  readNumber,
  readString,
  readTime,
  type PropertyValue,
} from './values';

export type Properties = Record<string, PropertyValue>;

/** A property test compiled once per model: lower-cased lists, sets, parsed thresholds. */
export type PropertyPredicate = (properties: Properties, now: number) => boolean;

/** A domain from an e-mail address or a bare domain / website ("https://www.acme.com/"). */
function domainOf(value: PropertyValue): string | null {
  const fromEmail = emailDomain(value);
  if (fromEmail) return fromEmail;
  const text = readString(value)?.toLowerCase();
  if (!text) return null;
  return (
    text
      .replace(/^[a-z]+:\/\//, '')
      .replace(/^www\./, '')
      .replace(/[/:?#].*$/, '') || null
  );
}

/**
 * Values seen by one compiled test and what the test said, so that a value repeated across
 * contacts ("COMPLETED", "United States", "gmail.com") is lower-cased and looked up once. Bounded:
 * past `MEMO_LIMIT` distinct values it stops remembering and computes every time.
 */
const MEMO_LIMIT = 512;

export function memoized<T>(compute: (text: string) => T): (text: string) => T {
  const seen = new Map<string, T>();
  return (text) => {
    const known = seen.get(text);
    if (known !== undefined) return known;
    const result = compute(text);
    if (seen.size < MEMO_LIMIT) seen.set(text, result);
    return result;
  };
}

/**
 * Does `text` equal `lower` (lower case) ignoring case? Compares in place, without the copy
 * `toLowerCase()` makes, unless a character outside ASCII needs Unicode's case rules.
 */
export function equalsIgnoringCase(text: string, lower: string): boolean {
  const n = text.length;
  if (n !== lower.length) {
    // Only characters outside ASCII can change length when lower-cased ("İ" → "i̇").
    for (let i = 0; i < n; i++) if (text.charCodeAt(i) > 127) return text.toLowerCase() === lower;
    return false;
  }
  for (let i = 0; i < n; i++) {
    const a = text.charCodeAt(i);
    const b = lower.charCodeAt(i);
    if (a === b || (a >= 65 && a <= 90 && a + 32 === b)) continue;
    return (a > 127 || b > 127) && text.toLowerCase() === lower;
  }
  return true;
}

/** Membership ignoring case, remembering the answer for values seen before. */
function inList(values: readonly string[]): (text: string) => boolean {
  const exact = new Set(values);
  const lowered = new Set(values.map((v) => v.toLowerCase()));
  return memoized((text) => exact.has(text) || lowered.has(text.toLowerCase()));
}

/**
 * The domains the last two values gave: several rules read a contact's e-mail address and its
 * company's domain, one after the other.
 */
const domainCache: Array<{ value: PropertyValue; domain: string | null }> = [
  { value: undefined, domain: null },
  { value: undefined, domain: null },
];
let domainCacheNext = 0;

function cachedDomainOf(value: PropertyValue): string | null {
  if (value === undefined) return null;
  for (const entry of domainCache) if (entry.value === value) return entry.domain;
  const domain = domainOf(value);
  domainCache[domainCacheNext] = { value, domain };
  domainCacheNext = 1 - domainCacheNext;
  return domain;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One case-insensitive pattern for a list of needles, each matching whole words: "vp" is in
 * "VP Sales" but not in "VPN Engineer" or "MVP", "intern" is not in "International", "cto" is
 * not in "director". A needle ending in `*` matches any ending ("market*" is in "marketing").
 * A needle that starts or ends with punctuation ("/pricing") has no word edge on that side.
 */
export function wordPattern(needles: readonly string[]): RegExp {
  // An empty list (a portal has not filled it in yet) matches nothing.
  if (needles.length === 0) return /(?!)/;
  const word = /[\p{L}\p{N}]/u;
  const parts = needles.map((raw) => {
    const prefix = raw.endsWith('*');
    const needle = (prefix ? raw.slice(0, -1) : raw).normalize('NFKC');
    const start = word.test(needle.charAt(0)) ? '(?<![\\p{L}\\p{N}])' : '';
    const end = !prefix && word.test(needle.charAt(needle.length - 1)) ? '(?![\\p{L}\\p{N}])' : '';
    return `${start}${escapeRegExp(needle)}${end}`;
  });
  return new RegExp(parts.join('|'), 'iu');
}

/** Text as the patterns read it: compatibility forms folded (NFKC), ASCII left as it is. */
export function normalText(text: string): string {
  for (let i = 0; i < text.length; i++)
    if (text.charCodeAt(i) > 0x7f) return text.normalize('NFKC');
  return text;
}

/**
 * Compiles one test. Negative operators (`not_equals`, `not_in`, `not_contains`) hold only when
 * the property has a value: a blank country is unknown, not "a country we do not serve".
 */
export function compileTest(test: EngagementTest): PropertyPredicate {
  const p = test.property;
  switch (test.operator) {
    case 'equals':
    case 'not_equals': {
      const expected = test.value;
      const wanted = test.operator === 'equals';
      if (typeof expected === 'number') {
        return (props) => {
          const n = readNumber(props[p]);
          return n !== null && (n === expected) === wanted;
        };
      }
      if (typeof expected === 'boolean') {
        return (props) => {
          const b = readBoolean(props[p]);
          return b !== null && (b === expected) === wanted;
        };
      }
      const lower = expected.toLowerCase();
      return (props) => {
        const v = props[p];
        if (v === expected) return wanted;
        const s = readString(v);
        return s !== null && equalsIgnoringCase(s, lower) === wanted;
      };
    }
    case 'in':
    case 'not_in': {
      const listed = inList(test.value);
      const wanted = test.operator === 'in';
      return (props) => {
        const s = readString(props[p]);
        return s !== null && listed(s) === wanted;
      };
    }
    case 'contains':
    case 'not_contains': {
      const pattern = wordPattern(test.value);
      const wanted = test.operator === 'contains';
      return (props) => {
        const s = readString(props[p]);
        return s !== null && pattern.test(normalText(s)) === wanted;
      };
    }
    case 'email_domain_in': {
      const entries = test.value.map((v) => v.toLowerCase().replace(/^@/, ''));
      const exact = new Set(entries);
      const suffixes = entries.map((e) => `.${e}`);
      const listed = memoized((domain) => {
        if (exact.has(domain)) return true;
        for (const suffix of suffixes) if (domain.endsWith(suffix)) return true;
        return false;
      });
      return (props) => {
        const domain = cachedDomainOf(props[p]);
        return domain !== null && listed(domain);
      };
    }
    case 'gt': {
      const t = test.value;
      return (props) => {
        const n = readNumber(props[p]);
        return n !== null && n > t;
      };
    }
    case 'gte': {
      const t = test.value;
      return (props) => {
        const n = readNumber(props[p]);
        return n !== null && n >= t;
      };
    }
    case 'lt': {
      const t = test.value;
      return (props) => {
        const n = readNumber(props[p]);
        return n !== null && n < t;
      };
    }
    case 'lte': {
      const t = test.value;
      return (props) => {
        const n = readNumber(props[p]);
        return n !== null && n <= t;
      };
    }
    case 'between': {
      const [min, max] = test.value;
      return (props) => {
        const n = readNumber(props[p]);
        return n !== null && n >= min && n <= max;
      };
    }
    case 'within_days': {
      const span = test.value * DAY_MS;
      return (props, now) => {
        const t = readTime(props[p]);
        return t !== null && now - t <= span;
      };
    }
    case 'older_than_days': {
      const span = test.value * DAY_MS;
      return (props, now) => {
        const t = readTime(props[p]);
        return t !== null && now - t > span;
      };
    }
    case 'exists':
      return (props) => readString(props[p]) !== null;
    case 'not_exists':
      return (props) => readString(props[p]) === null;
    case 'invalid_email':
      return (props) => readString(props[p]) !== null && !isValidEmail(props[p]);
    default: {
      const unreachable: never = test;
      throw new Error(`unknown operator in ${JSON.stringify(unreachable)}`);
    }
  }
}

/** `jobtitle "VP Marketing"`: what the rule saw, for the ledger's evidence. */
/** All tests (`match: 'all'`) or any (`'any'`) over one object's properties. */
export function compileMatch(
  tests: readonly EngagementTest[],
  match: 'all' | 'any',
): PropertyPredicate {
  const predicates = tests.map(compileTest);
  if (predicates.length === 1) return predicates[0]!;
  return match === 'all'
    ? (props, now) => predicates.every((f) => f(props, now))
    : (props, now) => predicates.some((f) => f(props, now));
}
