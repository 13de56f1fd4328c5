// collectYoung (src/app/young-gc.ts): a scavenge on request, freeing an
// off-heap buffer that died young — what keeps a checkpoint save at about one
// part in memory — without leaving `gc` exposed to contexts made after it.
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectYoung } from '../../src/app/young-gc.ts';

describe('collectYoung', () => {
  it('frees a serialised buffer that died young, and leaves no gc exposed', () => {
    const value = Array.from({ length: 200_000 }, (_x, i) => i);
    collectYoung();
    const before = process.memoryUsage().external;
    for (let i = 0; i < 8; i++) expect(v8.serialize(value).length).toBeGreaterThan(500_000);
    collectYoung();
    // Eight buffers of some 0.8 MB each died young: a scavenge freed them (allow for other allocations).
    expect(process.memoryUsage().external - before).toBeLessThan(2_000_000);
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
