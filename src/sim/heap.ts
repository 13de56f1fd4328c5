// A binary min-heap of a day's pending events, ordered by time, then by a
// priority (the roster before presence before everything else at the same
// minute), then by insertion: equal keys come out in the order they went in.

export interface Keyed {
  readonly at: number;
  readonly prio: number;
  readonly seq: number;
}

function less(a: Keyed, b: Keyed): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.prio !== b.prio) return a.prio < b.prio;
  return a.seq < b.seq;
}

export class MinHeap<T extends Keyed> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!less(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && less(items[r]!, items[l]!) ? r : l;
      if (!less(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
