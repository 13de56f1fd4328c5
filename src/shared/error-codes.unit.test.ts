// The error-code list is the contract docs/api.md describes: every code is documented, none twice.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from './error-codes.ts';

describe('ERROR_CODES', () => {
  it('lists each code once, and docs/api.md names every one', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    expect(ERROR_CODES.filter((c) => !doc.includes(`\`${c}\``))).toEqual([]);
  });

  it('tells a code from any other string', () => {
    expect(isErrorCode('busy')).toBe(true);
    expect(isErrorCode('no-such-code')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});
