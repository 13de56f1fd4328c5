// The customers of a restored checkpoint, decoded shard by shard as they are
// asked for. Decoding a million-event office's customers takes seconds (most
// of a checkpoint's decode); the front desk's first question needs one
// customer. So a restore decodes everything else, and this map decodes a
// customer's shard when the engine first asks for that phone, while the rest
// is decoded in the background a shard per event-loop turn.
//
// It is a Map to the engine, with the same answers and — what replay
// determinism needs — the same iteration order as the map that was
// checkpointed: every checkpointed customer in its original order, then the
// customers added since, in the order they were added. Iterating (or asking
// the size) before the background is done decodes the rest first. Once
// complete, `onComplete` receives a plain Map in that order (the owner swaps
// it in) and this one delegates to it.
import v8 from 'node:v8';
import type { Customer } from '../domain/engine/state.ts';

/** The shard of a phone among `shards` (FNV-1a; any stable spread will do, writer and reader share it). */
export function shardOf(phone: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < phone.length; i++) h = Math.imul(h ^ phone.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

/** A shard's payload: `[rank, phone, customer, rank, phone, customer, …]`, rank being the position in the checkpointed map. */
export type ShardEntries = (number | string | Customer)[];

export class LazyCustomers extends Map<string, Customer> {
  #shards: (Uint8Array | null)[];
  /** Checkpointed customers decoded so far, and their original positions. */
  #loaded = new Map<string, Customer>();
  #rank = new Map<string, number>();
  /** Customers set since the restore that the checkpoint did not hold. */
  #added = new Map<string, Customer>();
  #plain: Map<string, Customer> | null = null;
  #pending: number;
  #background: Promise<void> | null = null;
  #backgroundStopped = false;

  constructor(shards: Uint8Array[], private readonly onComplete: (plain: Map<string, Customer>) => void) {
    super();
    this.#shards = [...shards];
    this.#pending = shards.length;
  }

  get complete(): boolean {
    return this.#plain !== null;
  }

  override get(phone: string): Customer | undefined {
    if (this.#plain) return this.#plain.get(phone);
    this.#ensure(phone);
    return this.#loaded.get(phone) ?? this.#added.get(phone);
  }

  override has(phone: string): boolean {
    if (this.#plain) return this.#plain.has(phone);
    this.#ensure(phone);
    return this.#loaded.has(phone) || this.#added.has(phone);
  }

  override set(phone: string, customer: Customer): this {
    if (this.#plain) {
      this.#plain.set(phone, customer);
      return this;
    }
    this.#ensure(phone);
    // A checkpointed customer keeps its place (as Map.set does); a new one goes after all of them.
    if (this.#loaded.has(phone)) this.#loaded.set(phone, customer);
    else this.#added.set(phone, customer);
    return this;
  }

  override delete(phone: string): boolean {
    if (this.#plain) return this.#plain.delete(phone);
    this.#ensure(phone);
    return this.#loaded.delete(phone) || this.#added.delete(phone);
  }

  override clear(): void {
    this.#finish().clear();
  }

  override get size(): number {
    return this.#finish().size;
  }

  override keys(): MapIterator<string> {
    return this.#finish().keys();
  }

  override values(): MapIterator<Customer> {
    return this.#finish().values();
  }

  override entries(): MapIterator<[string, Customer]> {
    return this.#finish().entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Customer]> {
    return this.#finish()[Symbol.iterator]();
  }

  override forEach(fn: (value: Customer, key: string, map: Map<string, Customer>) => void, thisArg?: unknown): void {
    this.#finish().forEach((v, k) => fn.call(thisArg, v, k, this));
  }

  /** Decodes the remaining shards one per event-loop turn, then completes (unless stopped). Idempotent. */
  completeInBackground(): Promise<void> {
    this.#background ??= (async () => {
      for (let i = 0; i < this.#shards.length && !this.#plain; i++) {
        if (this.#shards[i] === null) continue;
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.#backgroundStopped) return;
        if (!this.#plain) this.#decode(i);
      }
      if (!this.#backgroundStopped) this.#finish();
    })();
    return this.#background;
  }

  /**
   * Stops the background decoding (the project left memory): the rest would
   * be decoded for nobody, and the loop would keep the whole cache alive
   * until it ended — a second per 50,000 customers, during which a process
   * cycling through a group's offices held every one of them. Asking still
   * decodes on demand, so a request already holding this map answers right.
   */
  stopBackground(): void {
    this.#backgroundStopped = true;
  }

  #ensure(phone: string): void {
    if (this.#pending === 0) return;
    const i = shardOf(phone, this.#shards.length);
    if (this.#shards[i] !== null) this.#decode(i);
  }

  #decode(i: number): void {
    const bytes = this.#shards[i];
    if (!bytes) return;
    this.#shards[i] = null;
    this.#pending--;
    const entries = v8.deserialize(bytes) as ShardEntries;
    for (let k = 0; k < entries.length; k += 3) {
      const phone = entries[k + 1] as string;
      this.#rank.set(phone, entries[k] as number);
      this.#loaded.set(phone, entries[k + 2] as Customer);
    }
  }

  /** Every shard decoded, the plain map built in the checkpointed order (then the additions), handed to the owner. */
  #finish(): Map<string, Customer> {
    if (this.#plain) return this.#plain;
    for (let i = 0; i < this.#shards.length; i++) this.#decode(i);
    const ordered: [number, string, Customer][] = [];
    for (const [phone, customer] of this.#loaded) ordered.push([this.#rank.get(phone)!, phone, customer]);
    ordered.sort((a, b) => a[0] - b[0]);
    const plain = new Map<string, Customer>();
    for (const [, phone, customer] of ordered) plain.set(phone, customer);
    for (const [phone, customer] of this.#added) plain.set(phone, customer);
    this.#plain = plain;
    this.#loaded = new Map();
    this.#rank = new Map();
    this.#added = new Map();
    this.onComplete(plain);
    return plain;
  }
}
