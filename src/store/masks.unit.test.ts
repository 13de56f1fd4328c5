// One grammar of masked phones: the store's keys (report_masks, the lookup of a full phone) are the domain's
// (src/domain/phone.ts, what the engine decides with). On a list of masks written every way agents write them,
// and a list of phones, both paths agree on what is a mask, its key, and which phones it matches.
import { describe, expect, it } from 'vitest';
import { maskKey as domainKey, maskMatches, parseMask } from '../domain/phone.ts';
import { candidateMaskKeys, maskKey, maskShape } from './masks.js';

const MASKS = [
  '138***88888', '138****8888', '139****5678', '1381****888', '13***888888', '1*********8', '138000000*8',
  '138 **** 8888', '138-****-8888', '+86 138****8888', '0086138****8888', '+86138***88888',
  // not masks: a full phone, several runs, too short or long, no visible digit before or after the hidden run,
  // other hiding characters (the store's former grammar took several of these)
  '13812345678', '1*2*3', '138***8888', '138****88888', '***12345678', '1**********', '1380000000*', '138xxxx8888',
  '138＊＊＊＊8888', '138••••8888',
  '', '*', '1380000000', '238****8888', '138****888a',
];

const PHONES = ['13812388888', '13812345678', '13900005678', '13800008888', '13811118888', '13000000000', '13888888888', '13912345678'];

describe('masked phones: the store reads them as the domain does', () => {
  it('the same masks, the same keys', () => {
    for (const text of MASKS) {
      const mask = parseMask(text);
      expect(maskKey(text), text).toBe(mask ? domainKey(mask) : null);
    }
    // The list holds both kinds.
    expect(MASKS.filter((t) => maskKey(t) !== null).length).toBeGreaterThan(8);
    expect(MASKS.filter((t) => maskKey(t) === null).length).toBeGreaterThan(8);
  });

  it('a full phone is looked up under a mask’s key exactly when the domain says the mask matches it', () => {
    for (const text of MASKS) {
      const mask = parseMask(text);
      if (!mask) continue;
      const key = maskKey(text)!;
      const shape = maskShape(key)!;
      expect(shape, text).toEqual({ prefixLen: mask.prefix.length, hidden: mask.hidden });
      for (const phone of PHONES) {
        const matches = maskMatches(mask, phone);
        expect(candidateMaskKeys(phone, [shape]).includes(key), `${text} ${phone}`).toBe(matches);
        expect(candidateMaskKeys(phone).includes(key), `${text} ${phone} (all shapes)`).toBe(matches);
      }
    }
  });
});
