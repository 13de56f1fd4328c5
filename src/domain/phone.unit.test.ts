import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { MOBILE_SEGMENTS, SEGMENT_DIGITS, formatMask, maskMatches, maskPhone, matchMask, normalizePhone, parseMask, readPhone } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    [' 138 0013-8000', '13800138000'],
    ['+86 139-0013-9000', '13900139000'],
    ['+8613900139000', '13900139000'],
    ['0086 139 0013 9000', '13900139000'],
    ['008613900139000', '13900139000'],
  ])('reads %j as %s', (written, phone) => {
    expect(normalizePhone(written)).toBe(phone);
  });

  it.each([
    ['1380013800', 'ten digits'],
    ['138001380001', 'twelve digits'],
    ['0571 8822 6601', 'a Hangzhou landline'],
    ['010-6552-9988', 'a Beijing landline'],
    ['+1 212 555 0100', 'a foreign number'],
    ['12345678901', 'no such mobile segment (123)'],
    ['15400000000', 'segment 154 was never issued'],
    ['138 0013 80OO', 'letters for digits'],
    ['', 'nothing'],
  ])('refuses %j (%s)', (written) => {
    expect(normalizePhone(written)).toBeUndefined();
  });

  it('reads a canonical number in one pass exactly as the canonical pattern and the segment table do', () => {
    const canonical = /^1\d{10}$/;
    const valid = (p: string) =>
      MOBILE_SEGMENTS.split(' ').some((r) => {
        const [from = '', to = from] = r.split('-');
        const segment = p.slice(0, SEGMENT_DIGITS);
        return segment >= from && segment <= to;
      });
    fc.assert(
      fc.property(fc.stringMatching(/^1?[0-9]{9,11}[ a9]?$/), (text) => {
        if (canonical.test(text)) expect(normalizePhone(text)).toBe(valid(text) ? text : undefined);
        else expect(normalizePhone(text)).not.toBe(text);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('masks', () => {
  it('shows the first three and last four digits to people who may not see the number', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
  });

  it('reads the two report shapes, one * per hidden digit', () => {
    expect(parseMask('138***88888')).toEqual({ prefix: '138', hidden: 3, suffix: '88888' });
    expect(parseMask('138****8888')).toEqual({ prefix: '138', hidden: 4, suffix: '8888' });
    expect(parseMask('+86 138****8888')).toEqual({ prefix: '138', hidden: 4, suffix: '8888' });
    expect(formatMask(parseMask('138***88888')!)).toBe('138***88888');
  });

  it.each([
    ['138**88888', 'ten positions'],
    ['138*****88888', 'twelve positions'],
    ['13800138000', 'nothing hidden'],
    ['***00138000', 'no visible prefix'],
    ['238****8888', 'not a mobile prefix'],
    ['138xxxx8888', 'x for hidden digits'],
  ])('refuses %j (%s)', (text) => {
    expect(parseMask(text)).toBeUndefined();
  });

  it('matches the numbers a mask could be, and finds two for an ambiguous report', () => {
    const mask = parseMask('138****8888')!;
    expect(maskMatches(mask, '13812348888')).toBe(true);
    expect(maskMatches(mask, '13912348888')).toBe(false);
    expect(maskMatches(mask, '13812348887')).toBe(false);
    const known = ['13812348888', '13899998888', '13912348888', '13800008880'];
    expect(matchMask(mask, known)).toEqual(['13812348888', '13899998888']);
    // The first-3-last-5 shape tells these two apart.
    expect(matchMask(parseMask('138***48888')!, known)).toEqual(['13812348888']);
  });
});

/** The library's own answer: a valid mainland mobile with an 11-digit national number. */
function libraryMobile(digits: string): string | undefined {
  const parsed = parsePhoneNumberFromString(digits, 'CN');
  if (!parsed || !parsed.isValid() || parsed.getType() !== 'MOBILE') return undefined;
  const national = String(parsed.nationalNumber);
  return national.length === 11 ? national : undefined;
}

describe('the segment memo', () => {
  it(`agrees with libphonenumber on random 11-digit numbers starting with 1 (validity memoised per ${SEGMENT_DIGITS}-digit prefix)`, () => {
    const digit = fc.integer({ min: 0, max: 9 }).map(String);
    const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
    // Several numbers per prefix, so a memoised answer is reused for numbers the library judges on their own.
    const prefix = digits(SEGMENT_DIGITS - 1).map((d) => `1${d}`);
    const numbers = fc.tuple(prefix, fc.array(digits(11 - SEGMENT_DIGITS), { minLength: 1, maxLength: 6 })).map(([p, tails]) => tails.map((tail) => p + tail));
    fc.assert(
      fc.property(numbers, (list) => {
        for (const n of list) expect(normalizePhone(n), n).toBe(libraryMobile(n));
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees over a deterministic sweep of the 13x–19x segments, two numbers per prefix', () => {
    // Deterministic sweep: one number per prefix 13000–19999 with a fixed tail, then another tail for the memo.
    for (const tail of ['000000', '987654']) {
      for (let p = 13_000; p <= 19_999; p += 7) {
        const n = `${p}${tail}`;
        expect(normalizePhone(n), n).toBe(libraryMobile(n));
      }
    }
  });
});

describe('the segment table', () => {
  it('lists exactly the five-digit prefixes the library takes for mainland mobiles (if this fails after a libphonenumber-js update, put the printed list in MOBILE_SEGMENTS)', () => {
    const ranges: string[] = [];
    let start: number | null = null;
    for (let p = 10_000; p <= 20_000; p++) {
      const valid = p < 20_000 && ['000000', '123456', '999999'].every((tail) => libraryMobile(`${p}${tail}`) !== undefined);
      if (valid && start === null) start = p;
      if (!valid && start !== null) {
        ranges.push(start === p - 1 ? `${start}` : `${start}-${p - 1}`);
        start = null;
      }
    }
    expect(ranges.join(' ')).toBe(MOBILE_SEGMENTS);
  });

  it('reads full-width digits, ＋８６ and parentheses as the grammar says; a mask is not a full number', () => {
    expect(readPhone('＋８６ １３８－００１３－８０００')).toBe('13800138000');
    expect(readPhone('(+86) 138 0013 8000')).toBe('13800138000');
    expect(readPhone('138***88888')).toBeUndefined();
    expect(normalizePhone('138***88888')).toBeUndefined();
    expect(parseMask('１３８＊＊＊８８８８８')).toEqual({ prefix: '138', hidden: 3, suffix: '88888' });
  });
});

describe('logs written before the phone grammar replay as they were recorded', () => {
  it('numbers the old normalisation accepted still normalise to the same mobile', () => {
    // What normalizePhone answered for these before the grammar (commit 79f379d): a replay must not turn them into rejections.
    const before: Record<string, string> = {
      '8613812345678': '13812345678', '86 138 1234 5678': '13812345678', '+8613812345678': '13812345678',
      '008613812345678': '13812345678', '138 1234 5678': '13812345678', '138-1234-5678': '13812345678',
    };
    for (const [text, phone] of Object.entries(before)) expect(normalizePhone(text), text).toBe(phone);
  });
});
