/**
 * HubSpot sends every property value as a string, or null, or not at all. These helpers read
 * them the way a person would: "" and "abc" in a number property are missing, not 0 or NaN.
 */
export type PropertyValue = string | null | undefined;

export function readString(value: PropertyValue): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function readNumber(value: PropertyValue): number | null {
  const text = readString(value);
  if (text === null) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

const EPOCH_MS = /^\d{10,14}$/;

/**
 * Epoch milliseconds from a HubSpot date or datetime: ISO 8601 (`2026-01-31T10:00:00.000Z`),
 * a date (`2026-01-31`, midnight UTC) or epoch milliseconds as a string (`1769853600000`).
 */
export function readTime(value: PropertyValue): number | null {
  const text = readString(value);
  if (text === null) return null;
  if (EPOCH_MS.test(text)) return Number(text);
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

/** `domain` is `entry` or one of its subdomains ("mit.edu" matches "edu" and "mit.edu"). */
export function domainMatches(domain: string, entry: string): boolean {
  return domain === entry || domain.endsWith(`.${entry}`);
}

export const DAY_MS = 86_400_000;

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function clamp(n: number, min: number, max: number): number {
  return n < min ? min : n > max ? max : n;
}
