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

/**
 * A decimal number as people and exports write it: "42", "-3.5", "1e6", and with thousands
 * separators "1,200" or "1,200,000.5". Not hexadecimal, octal or binary ("0x10" is not 16),
 * not "Infinity", not a comma anywhere else ("1,2" is not a number).
 */
const WITH_SEPARATORS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?([eE][+-]?\d+)?$/;

export function readNumber(value: PropertyValue): number | null {
  const text = readString(value);
  if (text === null) return null;
  const n = Number(text);
  if (Number.isFinite(n)) {
    // Number() reads "0x10" as 16, "0o7" and "0b1" too: a letter after a leading 0 is not decimal.
    const t = text.trimStart();
    const second = t.charCodeAt(1) | 0x20;
    if (t.charCodeAt(0) === 48 && (second === 0x78 || second === 0x6f || second === 0x62))
      return null;
    return n;
  }
  if (!text.includes(',')) return null;
  const plain = text.trim();
  if (!WITH_SEPARATORS.test(plain)) return null;
  const m = Number(plain.replaceAll(',', ''));
  return Number.isFinite(m) ? m : null;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function civilDays(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// Days from 1970-01-01 to the first of each month of 1900–2199, by (year - 1900) * 12 + month - 1:
// a table lookup instead of the divisions above for every date HubSpot is likely to send.
const TABLE_FROM = 1900;
const TABLE_YEARS = 300;
const MONTH_STARTS = new Int32Array(TABLE_YEARS * 12);
for (let y = 0; y < TABLE_YEARS; y++)
  for (let m = 0; m < 12; m++) MONTH_STARTS[y * 12 + m] = civilDays(TABLE_FROM + y, m + 1, 1);

/** Days since 1970-01-01 of a valid date (month 1–12, day within the month). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = year - TABLE_FROM;
  if (y < 0 || y >= TABLE_YEARS) return civilDays(year, month, day);
  return MONTH_STARTS[y * 12 + month - 1]! + day - 1;
}

/** The digit at `i`, or a number that is not 0–9 once read as unsigned (`>>> 0`). */
const digit = (text: string, i: number) => text.charCodeAt(i) - 48;

/**
 * `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ` by fixed positions: the common case, read
 * one character at a time with every check after the reads (parsing dominates scoring time).
 * Undefined when the text is not of this form; null when it is but names no real day.
 */
function canonicalTime(text: string, length: number): number | null | undefined {
  const y0 = digit(text, 0);
  const y1 = digit(text, 1);
  const y2 = digit(text, 2);
  const y3 = digit(text, 3);
  const m0 = digit(text, 5);
  const m1 = digit(text, 6);
  const d0 = digit(text, 8);
  const d1 = digit(text, 9);
  const h0 = digit(text, 11);
  const h1 = digit(text, 12);
  const i0 = digit(text, 14);
  const i1 = digit(text, 15);
  const s0 = digit(text, 17);
  const s1 = digit(text, 18);
  let f0 = 0;
  let f1 = 0;
  let f2 = 0;
  if (length === 24) {
    if (text.charCodeAt(19) !== 46) return undefined; // .
    f0 = digit(text, 20);
    f1 = digit(text, 21);
    f2 = digit(text, 22);
  }
  // prettier-ignore
  if (
    y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 || m0 >>> 0 > 9 ||
    m1 >>> 0 > 9 || d0 >>> 0 > 9 || d1 >>> 0 > 9 || h0 >>> 0 > 9 || h1 >>> 0 > 9 ||
    i0 >>> 0 > 9 || i1 >>> 0 > 9 || s0 >>> 0 > 9 || s1 >>> 0 > 9 || f0 >>> 0 > 9 ||
    f1 >>> 0 > 9 || f2 >>> 0 > 9 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  const hour = h0 * 10 + h1;
  const minute = i0 * 10 + i1;
  const second = s0 * 10 + s1;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  if (day > (month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!)) return null;
  return (
    daysFromCivil(year, month, day) * DAY_MS +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    (f0 * 100 + f1 * 10 + f2)
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
 * Epoch milliseconds as text (10 to 14 digits) or a date (`2026-01-31`, midnight UTC), parsed
 * without Date.parse; undefined for anything else. Timestamps are `canonicalTime`'s.
 */
function fastTime(text: string): number | null | undefined {
  const length = text.length;
  if (length >= 10 && length <= 14 && num(text, 0, length) >= 0) return Number(text);
  if (length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = num(text, 0, 4);
  const month = num(text, 5, 2);
  const day = num(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > (month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!)) return null;
  return daysFromCivil(year, month, day) * DAY_MS;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Epoch milliseconds from a HubSpot date or datetime: ISO 8601 (`2026-01-31T10:00:00.000Z`),
 * a date (`2026-01-31`, midnight UTC) or epoch milliseconds as a string (`1769853600000`).
 */
export function readTime(value: PropertyValue): number | null {
  if (value === null || value === undefined) return null;
  const length = value.length;
  if ((length === 24 || length === 20) && value.charCodeAt(length - 1) === 90) {
    const canonical = canonicalTime(value, length);
    if (canonical !== undefined) return canonical;
  }
  return otherTime(value);
}

/** `readTime` for everything but the canonical form. */
function otherTime(value: string): number | null {
  const fast = fastTime(value);
  if (fast !== undefined) return fast;
  const text = readString(value);
  if (text === null) return null;
  // Padded with white space: what is inside is read as any value is.
  if (text !== value) return readTime(text);
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

/** A value written as an e-mail address (valid or not): it has an @ and no spaces. */
export function looksLikeEmail(text: string): boolean {
  return text.includes('@') && !/\s/.test(text);
}

/** A syntactically plausible address: one @, a local part, a dotted domain, no spaces. */
export function isValidEmail(value: PropertyValue): boolean {
  const text = readString(value);
  return text !== null && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(text);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** `n` within [min, max]; -0 at a bound of 0 is 0 (Math.round(-0.4) is -0). */
export function clamp(n: number, min: number, max: number): number {
  return n <= min ? min : n >= max ? max : n;
}

/** An ISO 8601 date or time ("2026-01-31", "2026-01-31T09:30:00Z"): nothing looser. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO 8601 time, or null for anything else ("hello 1", "0", "31/01/2026"). */
export function parseIsoTime(text: string): number | null {
  if (!ISO_TIME.test(text.trim())) return null;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? ms : null;
}
