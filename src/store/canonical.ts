import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, the same
 * value always gives the same text. It is what the hash chain is computed over,
 * so it must never change once events are stored (a change would break every
 * existing chain). Semantics follow JSON.stringify for what JSON cannot hold
 * (`undefined` properties are dropped, `undefined` in arrays becomes null,
 * `toJSON` is honoured) so that `canonicalJson(JSON.parse(canonicalJson(v)))`
 * equals `canonicalJson(v)`: a row read back hashes like the value written.
 * Non-finite numbers, bigints, functions and symbols throw instead of silently
 * becoming null or disappearing.
 */
export function canonicalJson(value: unknown): string {
  const out = encode(value, new Set());
  if (out === undefined) throw new TypeError('canonicalJson: value is not representable as JSON');
  return out;
}

function encode(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'undefined':
      return undefined;
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
    case 'object':
      break;
  }
  const obj = value as object & { toJSON?: unknown };
  if (typeof obj.toJSON === 'function') return encode((obj.toJSON as () => unknown)(), seen);
  if (seen.has(obj)) throw new TypeError('canonicalJson: cyclic value');
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      return `[${obj.map((v: unknown) => encode(v, seen) ?? 'null').join(',')}]`;
    }
    const rec = obj as Record<string, unknown>;
    const parts: string[] = [];
    // Plain code-unit sort (not localeCompare): locale-independent and stable.
    for (const key of Object.keys(rec).sort()) {
      const enc = encode(rec[key], seen);
      if (enc !== undefined) parts.push(`${JSON.stringify(key)}:${enc}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
