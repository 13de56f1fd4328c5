import { describe, expect, it } from 'vitest';
import { candidateMaskKeys, canonicalJson, GENESIS_HASH, hashEvent, maskKey, maskShape, personalDigest, sealPersonal, withRetry, ConcurrencyError } from './index.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'é' } })).toBe('{"a":{"c":"é","d":[1,{"x":1,"y":2}]},"b":1}');
  });
  it('is stable across key insertion order and a JSON round trip', () => {
    const v = { z: [1, 2, null], a: 'x', m: { q: true, p: false } };
    const w = { m: { p: false, q: true }, a: 'x', z: [1, 2, null] };
    expect(canonicalJson(v)).toBe(canonicalJson(w));
    expect(canonicalJson(JSON.parse(canonicalJson(v)))).toBe(canonicalJson(v));
  });
  it('follows JSON for undefined and toJSON, refuses what JSON cannot hold', () => {
    expect(canonicalJson({ a: undefined, b: [undefined], c: new Date(0) })).toBe('{"b":[null],"c":"1970-01-01T00:00:00.000Z"}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });
});

describe('hashEvent', () => {
  const base = {
    project_id: 'p', seq: 1, event_id: 'e1', type: 't', at: '2025-01-01T00:00:00.000Z', recorded_by: null,
    payload: { a: 1 }, personal_digest: null, status: 'accepted' as const, rejection_code: null, prev_hash: GENESIS_HASH,
  };
  it('is a sha256 hex that changes with every covered field', () => {
    const h = hashEvent(base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent({ ...base, payload: { a: 1 } })).toBe(h);
    for (const change of [{ seq: 2 }, { payload: { a: 2 } }, { prev_hash: 'f'.repeat(64) }, { status: 'rejected' as const }, { personal_digest: 'x' }, { at: '2025-01-01T00:00:00.001Z' }]) {
      expect(hashEvent({ ...base, ...change })).not.toBe(h);
    }
  });
  it('salts the personal digest', () => {
    const a = sealPersonal({ phone: '13812345678' });
    const b = sealPersonal({ phone: '13812345678' });
    expect(a.digest).not.toBe(b.digest);
    expect(personalDigest(a.envelope.salt, { phone: '13812345678' })).toBe(a.digest);
  });
});

describe('mask keys', () => {
  it('parses masked phones', () => {
    expect(maskKey('138***88888')).toBe('138|3|88888');
    expect(maskKey('138 **** 8888')).toBe('138|4|8888');
    expect(maskKey('13812345678')).toBeNull();
    expect(maskKey('1*2*3')).toBeNull();
  });
  it('enumerates every key a full phone matches', () => {
    const keys = candidateMaskKeys('13812388888');
    expect(keys).toHaveLength(66);
    expect(keys).toContain('138|3|88888');
    expect(keys).toContain('138|4|8888');
    expect(new Set(keys).size).toBe(keys.length);
  });
  it('reads the shape of a key, and refuses what maskKey never gives', () => {
    expect(maskShape('138|3|88888')).toEqual({ prefixLen: 3, hidden: 3 });
    expect(maskShape('|11|')).toEqual({ prefixLen: 0, hidden: 11 });
    expect(maskShape(maskKey('138 **** 8888')!)).toEqual({ prefixLen: 3, hidden: 4 });
    for (const bad of ['138|0|88888', '138|3', '138|x|88888', '13a|3|88888', '138|3|88|88', '']) expect(maskShape(bad)).toBeNull();
  });
  it('gives one key per shape in use, and each is the key maskKey gives the mask', () => {
    const phone = '13812388888';
    expect(candidateMaskKeys(phone, [{ prefixLen: 3, hidden: 3 }])).toEqual(['138|3|88888']);
    expect(candidateMaskKeys(phone, [{ prefixLen: 3, hidden: 3 }, { prefixLen: 3, hidden: 4 }])).toEqual(['138|3|88888', '138|4|8888']);
    expect(candidateMaskKeys(phone, [{ prefixLen: 3, hidden: 4 }])).toEqual([maskKey('138****8888')]);
    // Every key from shapes is one of the 66, and the shapes of the 66 give them all back.
    const all = candidateMaskKeys(phone);
    const shapes = all.map((k) => maskShape(k)!);
    expect(candidateMaskKeys(phone, shapes)).toEqual(all);
    // Separators are dropped as before.
    expect(candidateMaskKeys('138-1238-8888', [{ prefixLen: 3, hidden: 3 }])).toEqual(['138|3|88888']);
  });
  it('skips shapes that do not fit the phone, duplicates and masks that hide too much', () => {
    const phone = '13812388888';
    expect(candidateMaskKeys(phone, [])).toEqual([]);
    expect(candidateMaskKeys(phone, [{ prefixLen: 9, hidden: 3 }, { prefixLen: 0, hidden: 12 }, { prefixLen: -1, hidden: 2 }, { prefixLen: 3, hidden: 0 }])).toEqual([]);
    expect(candidateMaskKeys(phone, [{ prefixLen: 8, hidden: 3 }])).toEqual(['13812388|3|']);
    expect(candidateMaskKeys(phone, [{ prefixLen: 3, hidden: 3 }, { prefixLen: 3, hidden: 3 }])).toEqual(['138|3|88888']);
    expect(candidateMaskKeys(phone, [{ prefixLen: 0, hidden: 11 }, { prefixLen: 3, hidden: 3 }], 4)).toEqual(['138|3|88888']);
    // null/undefined shapes: the exhaustive list (66), minVisible still applies.
    expect(candidateMaskKeys(phone, null)).toHaveLength(66);
    expect(candidateMaskKeys(phone, undefined, 10)).toHaveLength(11);
  });
});

describe('withRetry', () => {
  it('retries ConcurrencyError and gives up after attempts', async () => {
    let calls = 0;
    await expect(withRetry(async () => {
      calls++;
      throw new ConcurrencyError('p', 0, 1);
    }, { attempts: 3, baseDelayMs: 0 })).rejects.toBeInstanceOf(ConcurrencyError);
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry(async () => {
      calls++;
      throw new Error('boom');
    }, { attempts: 3 })).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});
