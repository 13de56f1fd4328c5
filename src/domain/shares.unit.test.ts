import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addShares, mulShares, parseShare, share, sharesEqual, splitOf, splitToJson, splitTotal } from './shares.ts';

const ONE = share(1);

describe('shares are exact', () => {
  it('thirds sum to exactly one', () => {
    const third = share(1, 3);
    expect(addShares(addShares(third, third), third)).toEqual(ONE);
    expect(0.1 + 0.2).not.toBe(0.3); // what floats do, for contrast
  });

  it('0.7 + 0.3 is exactly one when read with parseShare', () => {
    expect(addShares(parseShare(0.7)!, parseShare(0.3)!)).toEqual(ONE);
    expect(addShares(parseShare(0.1)!, parseShare(0.2)!)).toEqual(parseShare(0.3));
    expect(addShares(parseShare('70%')!, parseShare('3/10')!)).toEqual(ONE);
  });

  it('reads decimals, fractions and percentages, and refuses the rest', () => {
    expect(parseShare('1/3')).toEqual(share(1, 3));
    expect(parseShare(' 2 / 4 ')).toEqual(share(1, 2));
    expect(parseShare('50%')).toEqual(share(1, 2));
    expect(parseShare('0.5')).toEqual(share(1, 2));
    expect(parseShare(1)).toEqual(ONE);
    for (const bad of ['1/0', '', 'half', '-0.5', -0.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(parseShare(bad), String(bad)).toBeUndefined();
  });

  it('is kept in lowest terms, so equal shares compare equal', () => {
    expect(share(5, 10)).toEqual({ num: 1, den: 2 });
    expect(sharesEqual(share(2, 6), share(1, 3))).toBe(true);
    expect(mulShares(share(1, 2), share(2, 3))).toEqual(share(1, 3));
    expect(() => share(1, 0)).toThrow(RangeError);
    expect(() => share(0.5, 1)).toThrow(RangeError);
  });
});

describe('splitOf', () => {
  it('splits by weights: 7:3', () => {
    expect(splitToJson(splitOf([['A', 7], ['B', 3]]))).toEqual({ A: 0.7, B: 0.3 });
    expect(splitOf([['A', 7], ['B', 3]]).get('A')).toEqual(share(7, 10));
  });

  it('merges a party named twice and drops zero weights', () => {
    const s = splitOf([['A', 5], ['B', 5], ['A', 5], ['C', 0]]);
    expect([...s.keys()]).toEqual(['A', 'B']);
    expect(s.get('A')).toEqual(share(2, 3));
    expect(s.get('B')).toEqual(share(1, 3));
    expect(splitTotal(s)).toEqual(ONE);
  });

  it('any split from positive integer weights totals exactly one (property)', () => {
    const part = fc.tuple(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'), fc.integer({ min: 1, max: 1000 }));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 12 }), (parts) => {
        const s = splitOf(parts);
        expect(splitTotal(s)).toEqual(ONE);
        expect(new Set(s.keys())).toEqual(new Set(parts.map(([k]) => k)));
        for (const v of s.values()) expect(v.num).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
