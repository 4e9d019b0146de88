import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readNumber, readTime } from '../../src/server/domain/values';

// Every millisecond from year 0001 to 9999, as the Date type writes it.
const instant = fc.integer({
  min: Date.UTC(1, 0, 1),
  max: Date.UTC(9999, 11, 31, 23, 59, 59, 999),
});
const iso = (ms: number) => new Date(ms).toISOString();

describe('reading HubSpot dates', () => {
  it('reads every form HubSpot sends as Date.parse does', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const text = iso(ms);
        expect(readTime(text)).toBe(ms);
        const seconds = Math.floor(ms / 1000) * 1000;
        expect(readTime(`${text.slice(0, 19)}Z`)).toBe(seconds);
        expect(readTime(text.slice(0, 10))).toBe(Date.parse(text.slice(0, 10)));
        // Epoch milliseconds as text: 10 to 14 digits (a shorter number is not read as a date).
        if (ms >= 1e9 && ms < 1e14) expect(readTime(String(ms))).toBe(ms);
        expect(readTime(` ${text} `)).toBe(ms);
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees with Date.parse around month and year ends, leap days included', () => {
    for (let year = 1896; year <= 2204; year++) {
      for (const [month, day] of [
        [1, 1],
        [2, 28],
        [2, 29],
        [3, 1],
        [12, 31],
      ] as const) {
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T23:59:59.999Z`;
        const expected = Date.parse(text);
        const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
        if (month === 2 && day === 29 && !leap) expect(readTime(text)).toBeNull();
        else expect(readTime(text)).toBe(expected);
      }
    }
  });

  it.each([
    ['', null],
    ['   ', null],
    ['abc', null],
    ['2026-02-30T10:00:00Z', null],
    ['2026-13-01T10:00:00Z', null],
    ['2026-01-31T25:00:00Z', null],
    ['2026-01-31T10:00:00', null], // no zone: would depend on the machine's time zone
    ['Jan 31, 2026', null],
    ['2026-01-31T10:00:00+01:00', Date.UTC(2026, 0, 31, 9)],
    [null, null],
    [undefined, null],
  ])('reads %j as %j', (value, expected) => {
    expect(readTime(value)).toBe(expected);
  });

  it('reads a number property holding "" or "abc" as missing, not 0 or NaN', () => {
    expect(readNumber('')).toBeNull();
    expect(readNumber('abc')).toBeNull();
    expect(readNumber(' 42 ')).toBe(42);
  });

  it.each([
    ['1,200', 1200],
    ['1,200,000.5', 1200000.5],
    ['-3.5', -3.5],
    ['.5', 0.5],
    ['1e6', 1e6],
    ['0x10', null],
    ['0b11', null],
    ['0o7', null],
    ['Infinity', null],
    ['1,2', null],
    ['12,00', null],
    ['+', null],
    ['.', null],
    ['1e400', null],
  ])('reads the number %j as %j', (text, expected) => {
    expect(readNumber(text)).toBe(expected);
  });
});
