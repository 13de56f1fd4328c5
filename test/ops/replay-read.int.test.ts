// A replay reads each event's engine input and hash only (store.replayEvents);
// every field it reads must equal what the full read (readEvents) gives, for
// every event of an office's log, erased personal data included.
import { afterAll, describe, expect, it } from 'vitest';
import { fromStored } from '../../src/app/codec.ts';
import { importTimeline } from '../../src/ops/import-timeline.ts';
import { NO_PROGRESS, TARGETS, cleanup, open, timelineFile } from './helpers.ts';

afterAll(cleanup);

describe.each(TARGETS)('the replay read on $name', (target) => {
  it.skipIf(target.skipReason !== null)('gives what the full read gives, field for field, before and after an erasure', async () => {
    const { file } = timelineFile();
    const store = await open(target.freshConfig());
    await importTimeline(store, { file, project: 'p1', progress: NO_PROGRESS });
    const compare = async (range: { fromSeq?: number; toSeq?: number; batchSize?: number }) => {
      const full = [];
      for await (const r of store.readEvents('p1', range)) full.push({ seq: r.seq, eventId: r.eventId, type: r.type, atMs: r.atMs, payload: r.payload, personal: r.personal, personalErased: r.personalErased, hash: r.hash });
      const lean = [];
      for await (const r of store.replayEvents('p1', range)) lean.push(r);
      expect(lean.length).toBeGreaterThan(0);
      expect(lean).toEqual(full);
      expect(lean.map((r) => fromStored(r, undefined))).toEqual(full.map((r) => fromStored(r, undefined)));
      return lean;
    };
    await compare({ batchSize: 37 });
    await compare({ fromSeq: 5, toSeq: 60, batchSize: 7 });
    const withPersonal = (await compare({})).filter((r) => r.personal !== null).slice(0, 3).map((r) => r.seq);
    await store.erasePersonal('p1', withPersonal, { erasedAt: '2026-01-06T00:00:00.000Z' });
    const after = await compare({ batchSize: 50 });
    expect(after.filter((r) => withPersonal.includes(r.seq)).every((r) => r.personalErased && r.personal === null)).toBe(true);
    await store.close();
  });
});
