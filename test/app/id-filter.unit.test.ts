import { serialize, deserialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdFilter } from '../../src/app/id-filter.ts';

describe('IdFilter (which event ids a project may hold)', () => {
  it('never forgets an id it was given, across its growth and a checkpoint round trip', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 12_000 }), (ids) => {
        const filter = new IdFilter();
        for (const id of ids) filter.add(id);
        const back = new IdFilter(deserialize(serialize(filter.data())) as ReturnType<IdFilter['data']>);
        for (const id of ids) {
          expect(filter.mayHave(id)).toBe(true);
          expect(back.mayHave(id)).toBe(true);
        }
        expect(back.size).toBe(ids.length);
      }),
      { numRuns: 15 },
    );
  });

  it('answers "certainly new" for nearly every unseen id (false positives well under 1 %)', () => {
    const filter = new IdFilter();
    for (let i = 0; i < 200_000; i++) filter.add(`ev-${i}`);
    let falsePositives = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mayHave(`ev-new-${i}`)) falsePositives++;
    expect(falsePositives / 100_000).toBeLessThan(0.01);
    expect(new IdFilter().mayHave('anything')).toBe(false);
  });
});
