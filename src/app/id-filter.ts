// Which event ids a project may already hold, without holding them: a
// scalable Bloom filter (a chain of filters, each twice the last's capacity).
// `mayHave` false means the id is certainly new — the write path then skips
// the store lookup; true (a repeat, or ~0.1 % of new ids) sends the write to
// the store's unique key (project_id, event_id) to find out. 1M ids take
// about 1.8 MB, against ~60 MB for a Set of the ids themselves.

/** Bits per id for a 0.1 % false-positive rate at capacity (−ln 0.001 / ln²2), and the hash count. */
const BITS_PER_ID = 14.4;
const HASHES = 10;
const FIRST_CAPACITY = 4096;

interface Layer {
  capacity: number;
  count: number;
  bits: Uint32Array;
}

/** Plain data for a checkpoint (typed arrays survive structured clone / v8.serialize). */
export interface IdFilterData {
  layers: { capacity: number; count: number; bits: Uint32Array }[];
}

export class IdFilter {
  private readonly layers: Layer[];

  constructor(data?: IdFilterData) {
    // Copies of the bits: a typed array from v8.deserialize is a view into the whole checkpoint's buffer, and would keep it alive.
    this.layers = data ? data.layers.map((l) => ({ capacity: l.capacity, count: l.count, bits: new Uint32Array(l.bits) })) : [];
  }

  add(id: string): void {
    let layer = this.layers.at(-1);
    if (!layer || layer.count >= layer.capacity) {
      const capacity = layer ? layer.capacity * 2 : FIRST_CAPACITY;
      layer = { capacity, count: 0, bits: new Uint32Array(Math.ceil((capacity * BITS_PER_ID) / 32)) };
      this.layers.push(layer);
    }
    const [h1, h2] = hashes(id);
    const size = layer.bits.length * 32;
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % size;
      layer.bits[at >>> 5]! |= 1 << (at & 31);
    }
    layer.count++;
  }

  mayHave(id: string): boolean {
    if (this.layers.length === 0) return false;
    const [h1, h2] = hashes(id);
    for (const layer of this.layers) {
      const size = layer.bits.length * 32;
      let all = true;
      for (let i = 0; i < HASHES && all; i++) {
        const at = ((h1 + Math.imul(i, h2)) >>> 0) % size;
        all = (layer.bits[at >>> 5]! & (1 << (at & 31))) !== 0;
      }
      if (all) return true;
    }
    return false;
  }

  get size(): number {
    return this.layers.reduce((n, l) => n + l.count, 0);
  }

  data(): IdFilterData {
    return { layers: this.layers.map((l) => ({ capacity: l.capacity, count: l.count, bits: l.bits })) };
  }
}

/** Two independent 32-bit hashes of the id's UTF-16 units (FNV-1a and a multiplicative mix), for double hashing. */
function hashes(id: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x85ebca6b);
    b ^= b >>> 13;
  }
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  // An odd step visits distinct bits.
  return [a >>> 0, (b | 1) >>> 0];
}
