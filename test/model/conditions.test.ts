import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTest, equalsIgnoringCase } from '../../src/server/domain/conditions';

// Case variants of a few letters, ASCII and not, whose lower case changes length or leaves ASCII.
const letter = fc.constantFrom(
  'a',
  'A',
  'k',
  'K',
  'i',
  'I',
  'İ',
  '\u212A',
  'ß',
  'é',
  'É',
  '-',
  ' ',
);
const text = fc.array(letter, { maxLength: 8 }).map((chars) => chars.join(''));

describe('comparing property values ignoring case', () => {
  it('agrees with toLowerCase() on every pair of strings', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const lower = b.toLowerCase();
        expect(equalsIgnoringCase(a, lower)).toBe(a.toLowerCase() === lower);
      }),
      { numRuns: 2_000 },
    );
  });

  it('"in" answers the same for a value seen before (remembered) and for a new one', () => {
    const test = compileTest({ property: 'country', operator: 'in', value: ['Germany', 'usa'] });
    for (let round = 0; round < 3; round++) {
      expect(test({ country: 'GERMANY' }, 0)).toBe(true);
      expect(test({ country: 'USA' }, 0)).toBe(true);
      expect(test({ country: 'France' }, 0)).toBe(false);
      expect(test({ country: '' }, 0)).toBe(false);
    }
  });
});
