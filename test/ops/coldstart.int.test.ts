// A cold start builds the project's cache by replaying the engine alone and
// computing projections once from the final state (updated_seq taken from the
// stored rows). Writing on after a cold start must leave exactly the rows a
// process that never restarted would have written, and a rebuild finds nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GuishuApp } from '../../src/app/office.ts';
import { decodeWireEvent } from '../../src/domain/wire.ts';
import { importTimeline } from '../../src/ops/import-timeline.ts';
import { rebuildProject } from '../../src/ops/rebuild.ts';
import { maskShape } from '../../src/store/index.js';
import { NO_PROGRESS, TARGETS, cleanup, open, strip, tempDir, timelineFile } from './helpers.ts';

afterAll(cleanup);

describe.each(TARGETS)('cold start on $name', (target) => {
  it.skipIf(target.skipReason !== null)('writes on from a cold cache exactly as a warm process would', async () => {
    const { lines } = timelineFile();
    const cut = Math.floor(lines.length * 0.6);
    const head = join(tempDir('cold'), 'head.ndjson');
    writeFileSync(head, lines.slice(0, cut).join('\n') + '\n');
    const tail = lines.slice(cut).map((l, i) => decodeWireEvent(l, cut + i + 1));

    // Warm: one process records the tail after the import.
    const warmStore = await open(target.freshConfig());
    await importTimeline(warmStore, { file: head, project: 'p1', progress: NO_PROGRESS });
    const warm = new GuishuApp({ store: warmStore });
    await warm.rebuildProjections('p1'); // the cache is built by the recomputing path
    for (const e of tail) await warm.recordEvent('p1', e);

    // Cold: a fresh process records the same tail; its first write builds the cache from the final state.
    const coldStore = await open(target.freshConfig());
    await importTimeline(coldStore, { file: head, project: 'p1', progress: NO_PROGRESS });
    const cold = new GuishuApp({ store: coldStore });
    for (const e of tail) await cold.recordEvent('p1', e);

    const rows = strip(await cold.projectionRows('p1'));
    expect(rows.customers!.length).toBeGreaterThan(10);
    expect(rows).toEqual(strip(await warm.projectionRows('p1')));
    const check = await rebuildProject(cold, 'p1', { check: true });
    expect(check.differences).toEqual([]);

    // report_mask_shapes is no Projector table: triggers keep it from report_masks, so it is the same on both
    // paths, and a rebuild (delete + rewrite report_masks) leaves it as it was.
    const shapes = async (app: GuishuApp) => (await app.store.db.selectFrom('report_mask_shapes').select(['prefix_len', 'hidden', 'masks'])
      .where('project_id', '=', 'p1').execute()).map((r) => `${Number(r.prefix_len)}/${Number(r.hidden)}×${Number(r.masks)}`).sort();
    const counted = new Map<string, number>();
    for (const m of rows.report_masks!) {
      const sh = maskShape(String(m.mask_key));
      if (sh) counted.set(`${sh.prefixLen}/${sh.hidden}`, (counted.get(`${sh.prefixLen}/${sh.hidden}`) ?? 0) + 1);
    }
    const fromMasks = [...counted].map(([k, n]) => `${k}×${n}`).sort();
    expect(fromMasks.length).toBeGreaterThan(0); // the timeline has masked reports
    expect(await shapes(cold)).toEqual(fromMasks);
    expect(await shapes(warm)).toEqual(fromMasks);
    await cold.rebuildProjections('p1');
    expect(await shapes(cold)).toEqual(fromMasks);
  });
});
