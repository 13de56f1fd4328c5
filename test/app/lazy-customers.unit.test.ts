// LazyCustomers must be indistinguishable from the Map it was checkpointed
// from: same answers to get/has/size, same iteration order (checkpointed
// customers first in their order, then additions), whatever is asked first
// and whether the background decode has run.
import v8 from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer } from '../../src/domain/engine/state.ts';
import { LazyCustomers, shardOf, type ShardEntries } from '../../src/app/lazy-customers.ts';

const customer = (phone: string, n: number) => ({ phone, visits: n, reportFailures: 0, ownership: null }) as unknown as Customer;

function lazyOf(entries: [string, Customer][], shards: number): { lazy: LazyCustomers; swapped: () => Map<string, Customer> | undefined } {
  const parts: ShardEntries[] = Array.from({ length: shards }, () => []);
  entries.forEach(([phone, c], rank) => parts[shardOf(phone, shards)]!.push(rank, phone, c));
  let plain: Map<string, Customer> | undefined;
  const lazy = new LazyCustomers(parts.map((p) => v8.serialize(p)), (m) => (plain = m));
  return { lazy, swapped: () => plain };
}

type Op = { kind: 'get' | 'has' | 'delete'; phone: string } | { kind: 'set'; phone: string; n: number } | { kind: 'size' | 'iterate' };

describe('LazyCustomers', () => {
  const phones = fc.uniqueArray(fc.stringMatching(/^1[3-9][0-9]{9}$/), { minLength: 0, maxLength: 60 });
  it('answers every operation as the checkpointed Map would, in the same order', async () => {
    await fc.assert(
      fc.asyncProperty(phones, fc.integer({ min: 1, max: 9 }), fc.array(fc.record({ kind: fc.constantFrom('get', 'has', 'delete', 'set', 'size', 'iterate'), pick: fc.nat(), n: fc.nat(100), fresh: fc.boolean() }), { maxLength: 40 }), fc.boolean(), async (list, shards, raw, background) => {
        const entries = list.map((p, i): [string, Customer] => [p, customer(p, i)]);
        const reference = new Map(entries);
        const { lazy, swapped } = lazyOf(entries, shards);
        if (background) await lazy.completeInBackground();
        const ops: Op[] = raw.map((r) => {
          const phone = r.fresh || list.length === 0 ? `170${String(r.pick % 100_000_000).padStart(8, '0')}` : list[r.pick % list.length]!;
          return r.kind === 'set' ? { kind: 'set', phone, n: r.n } : r.kind === 'size' || r.kind === 'iterate' ? { kind: r.kind } : { kind: r.kind as 'get' | 'has' | 'delete', phone };
        });
        for (const op of ops) {
          switch (op.kind) {
            case 'get': expect(lazy.get(op.phone)).toEqual(reference.get(op.phone)); break;
            case 'has': expect(lazy.has(op.phone)).toBe(reference.has(op.phone)); break;
            case 'delete': expect(lazy.delete(op.phone)).toBe(reference.delete(op.phone)); break;
            case 'set': { const c = customer(op.phone, op.n); lazy.set(op.phone, c); reference.set(op.phone, c); break; }
            case 'size': expect(lazy.size).toBe(reference.size); break;
            case 'iterate': expect([...lazy]).toEqual([...reference]); break;
          }
        }
        expect([...lazy.keys()]).toEqual([...reference.keys()]);
        expect([...lazy.values()]).toEqual([...reference.values()]);
        // Complete now: the owner got a plain Map in the same order.
        expect(lazy.complete).toBe(true);
        expect([...swapped()!]).toEqual([...reference]);
      }),
      { numRuns: 200 },
    );
  });

  it('decodes only the asked phone\'s shard until iterated', () => {
    const entries = Array.from({ length: 500 }, (_x, i): [string, Customer] => [`139${String(i).padStart(8, '0')}`, customer(`139${String(i).padStart(8, '0')}`, i)]);
    const { lazy } = lazyOf(entries, 16);
    expect(lazy.get(entries[7]![0])).toEqual(entries[7]![1]);
    expect(lazy.complete).toBe(false);
    void lazy.size;
    expect(lazy.complete).toBe(true);
  });

  it('stops decoding in the background when its project leaves memory, and still answers on demand', async () => {
    const entries = Array.from({ length: 400 }, (_x, i): [string, Customer] => [`139${String(i).padStart(8, '0')}`, customer(`139${String(i).padStart(8, '0')}`, i)]);
    const { lazy, swapped } = lazyOf(entries, 8);
    const background = lazy.completeInBackground();
    lazy.stopBackground();
    await background;
    expect(swapped()).toBeUndefined();
    expect(lazy.complete).toBe(false);
    expect(lazy.get(entries[123]![0])).toEqual(entries[123]![1]);
    // Iterating still completes it, in the checkpointed order.
    expect([...lazy.keys()]).toEqual(entries.map(([p]) => p));
    expect(swapped()).toBeDefined();
  });
});
