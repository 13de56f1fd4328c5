// Exact shares of a deal's performance (业绩) and commission (佣金). Shares are
// rationals, so 5:5 and 7:3 and thirds sum to exactly 1; floats never add up.

export interface Share {
  readonly num: number;
  readonly den: number;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x || 1;
}

export function share(num: number, den = 1): Share {
  if (den <= 0 || !Number.isInteger(num) || !Number.isInteger(den)) throw new RangeError(`bad share ${num}/${den}`);
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

export function addShares(a: Share, b: Share): Share {
  return share(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function mulShares(a: Share, b: Share): Share {
  return share(a.num * b.num, a.den * b.den);
}

export function shareToNumber(s: Share): number {
  return s.num / s.den;
}

/** Reads 0.5, "1/3", "70%" as an exact share (decimals up to 6 places). */
export function parseShare(value: number | string): Share | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    const den = 1_000_000;
    return share(Math.round(value * den), den);
  }
  const t = value.trim();
  const frac = /^(\d+)\s*\/\s*(\d+)$/.exec(t);
  if (frac) return Number(frac[2]) > 0 ? share(Number(frac[1]), Number(frac[2])) : undefined;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (pct) return parseShare(Number(pct[1]) / 100);
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? parseShare(n) : undefined;
}

export function sharesEqual(a: Share, b: Share): boolean {
  return a.num === b.num && a.den === b.den;
}

/** A split: staff id → share. Parties with a zero share are dropped. */
export type Split = ReadonlyMap<string, Share>;

export function splitOf(parts: ReadonlyArray<readonly [string, number]>): Split {
  const total = parts.reduce((s, [, w]) => s + w, 0);
  const out = new Map<string, Share>();
  for (const [staff, weight] of parts) {
    if (weight <= 0) continue;
    const prev = out.get(staff);
    const part = share(weight, total);
    out.set(staff, prev ? addShares(prev, part) : part);
  }
  return out;
}

export function splitTotal(split: Split): Share {
  let total = share(0);
  for (const s of split.values()) total = addShares(total, s);
  return total;
}

export function splitToJson(split: Split): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of [...split.entries()].sort(([a], [b]) => a.localeCompare(b))) out[k] = shareToNumber(v);
  return out;
}
