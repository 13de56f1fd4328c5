import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { inlineStatements, literal } from './inline.ts';

describe('literals for the one-message append (PostgreSQL, standard_conforming_strings on)', () => {
  it('quotes text by doubling quotes and nothing else', () => {
    expect(literal("王'先生")).toBe("'王''先生'");
    expect(literal("'); drop table events; --")).toBe("'''); drop table events; --'");
    // With standard_conforming_strings on, a backslash is an ordinary character.
    expect(literal('a\\b\\\'')).toBe("'a\\b\\'''");
    expect(literal('')).toBe("''");
  });

  it('writes numbers, booleans, null and dates; refuses what has no literal', () => {
    expect(literal(42)).toBe('42');
    expect(literal(-1.5)).toBe('-1.5');
    expect(literal(10n)).toBe('10');
    expect(literal(true)).toBe('TRUE');
    expect(literal(null)).toBe('NULL');
    expect(literal(undefined)).toBe('NULL');
    expect(literal(new Date('2026-01-02T03:04:05.006Z'))).toBe("'2026-01-02T03:04:05.006Z'");
    expect(() => literal(Number.NaN, '3')).toThrow(/\$3/);
    expect(() => literal('a\u0000b')).toThrow(/NUL/);
    expect(() => literal({ a: 1 })).toThrow(/no SQL literal/);
  });

  it('puts each parameter in its own place ($1 is not the start of $10)', () => {
    const params = Array.from({ length: 11 }, (_, i) => `v${i + 1}`);
    const text = Array.from({ length: 11 }, (_, i) => `$${i + 1}`).join(',');
    const q = CompiledQuery.raw(`select ${text}`, params);
    expect(inlineStatements([q])).toBe(`select ${params.map((p) => `'${p}'`).join(',')}`);
  });

  it('joins statements with semicolons, in order', () => {
    const a = CompiledQuery.raw('begin');
    const b = CompiledQuery.raw('insert into t values ($1, $2)', ["it's", 3]);
    expect(inlineStatements([a, b, CompiledQuery.raw('commit')])).toBe("begin;\ninsert into t values ('it''s', 3);\ncommit");
  });
});
