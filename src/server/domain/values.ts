/**
 * HubSpot sends every property value as a string, or null, or not at all. These helpers read
 * them the way a person would: "" and "abc" in a number property are missing, not 0 or NaN.
 */
export type PropertyValue = string | null | undefined;

export const DAY_MS = 86_400_000;

export function readString(value: PropertyValue): string | null {
  if (value === null || value === undefined || value === '') return null;
  // Most values have nothing to trim: skip the allocation trim() may make.
  if (value.charCodeAt(0) > 32 && value.charCodeAt(value.length - 1) > 32) return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function readNumber(value: PropertyValue): number | null {
  const text = readString(value);
  if (text === null) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Two ASCII digits at `i` as a number, or a negative number when they are not digits. */
function two(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
}

/** `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ` by fixed positions: the common case. */
function canonicalTime(text: string, length: number): number | null | undefined {
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    (length === 24 && text.charCodeAt(19) !== 46)
  ) {
    return undefined;
  }
  const century = two(text, 0);
  const yy = two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  let ms = 0;
  if (length === 24) {
    const d = text.charCodeAt(22) - 48;
    const hi = two(text, 20);
    if (hi < 0 || d < 0 || d > 9) return undefined;
    ms = hi * 10 + d;
  }
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return undefined;
  const year = century * 100 + yy;
  if (day > (month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!)) return null;
  return (
    daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms
  );
}

/** Two or more ASCII digits at `from`, or -1. */
function num(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The forms HubSpot sends, parsed without Date.parse or Date objects (parsing dominated scoring
 * time): `2026-01-31`, `2026-01-31T10:00:00Z`, `2026-01-31T10:00:00.123Z`, and epoch
 * milliseconds. Returns undefined for anything else, which then goes to Date.parse.
 */
function fastTime(text: string): number | null | undefined {
  const length = text.length;
  if ((length === 24 || length === 20) && text.charCodeAt(length - 1) === 90) {
    const canonical = canonicalTime(text, length);
    if (canonical !== undefined) return canonical;
  }
  if (length >= 10 && length <= 14 && num(text, 0, length) >= 0) return Number(text);
  if (length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = num(text, 0, 4);
  const month = num(text, 5, 2);
  const day = num(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > (month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!)) return null;
  const midnight = daysFromCivil(year, month, day) * DAY_MS;
  if (length === 10) return midnight;
  if (text.charCodeAt(10) !== 84 || text.charCodeAt(length - 1) !== 90) return undefined; // T … Z
  const hour = num(text, 11, 2);
  const minute = num(text, 14, 2);
  const second = num(text, 17, 2);
  if (hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  let ms = 0;
  if (length === 24 && text.charCodeAt(19) === 46) ms = num(text, 20, 3);
  else if (length !== 20) return undefined;
  if (ms < 0) return undefined;
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Epoch milliseconds from a HubSpot date or datetime: ISO 8601 (`2026-01-31T10:00:00.000Z`),
 * a date (`2026-01-31`, midnight UTC) or epoch milliseconds as a string (`1769853600000`).
 */
export function readTime(value: PropertyValue): number | null {
  if (value === null || value === undefined || value === '') return null;
  const fast = fastTime(value);
  if (fast !== undefined) return fast;
  const text = readString(value);
  if (text === null) return null;
  const again = fastTime(text);
  if (again !== undefined) return again;
  // Other ISO 8601 forms only when they carry a zone: "Jan 5, 2026" would be read in the
  // machine's time zone, and the model must give the same answer on every machine.
  if (!ISO_WITH_ZONE.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

export function readBoolean(value: PropertyValue): boolean | null {
  const text = readString(value)?.toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return null;
}

/** The part after `@`, lower-cased; null when the value is not an e-mail address. */
export function emailDomain(value: PropertyValue): string | null {
  const text = readString(value);
  if (text === null) return null;
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return null;
  return text.slice(at + 1).toLowerCase();
}

/** A syntactically plausible address: one @, a local part, a dotted domain, no spaces. */
export function isValidEmail(value: PropertyValue): boolean {
  const text = readString(value);
  return text !== null && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(text);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function clamp(n: number, min: number, max: number): number {
  return n < min ? min : n > max ? max : n;
}
