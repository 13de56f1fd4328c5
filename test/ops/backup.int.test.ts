// backup → restore into an empty database gives the same chain heads (every
// hash rebuilt equal) and the same projections, on both databases; a damaged
// file or a non-empty target is refused with nothing written.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GuishuApp } from '../../src/app/office.ts';
import { BackupError, backup, readBackup, restore } from '../../src/ops/backup.ts';
import { importTimeline } from '../../src/ops/import-timeline.ts';
import type { EventStore } from '../../src/store/index.js';
import { NO_PROGRESS, TARGETS, cleanup, open, strip, tempDir, timelineFile } from './helpers.ts';

afterAll(cleanup);

async function heads(store: EventStore) {
  return (await store.listProjects()).map((p) => ({ id: p.projectId, name: p.name, tz: p.timezone, seq: p.headSeq, hash: p.headHash }));
}

async function allRows(store: EventStore) {
  const app = new GuishuApp({ store });
  const out: Record<string, unknown> = {};
  for (const p of await store.listProjects()) out[p.projectId] = strip(await app.projectionRows(p.projectId));
  return out;
}

async function logOf(store: EventStore, projectId: string) {
  const out = [];
  for await (const e of store.readEvents(projectId)) out.push(e);
  return out;
}

describe.each(TARGETS)('backup / restore on $name', (target) => {
  it.skipIf(target.skipReason !== null)('restores identical chain heads, rows and projections', async () => {
    const source = await open(target.freshConfig());
    await importTimeline(source, { file: timelineFile().file, project: 'p1', name: '归属花园', progress: NO_PROGRESS });
    await importTimeline(source, { file: timelineFile({ customers: 25, days: 3, consultants: 3, seed: 4 }).file, project: 'p2', timezone: 'Asia/Urumqi', progress: NO_PROGRESS });
    // An erased customer: the backup keeps the digest without the data, the restore reproduces it.
    const visit = (await logOf(source, 'p1')).find((e) => e.type === 'visit' && e.status === 'accepted')!;
    const erased = await new GuishuApp({ store: source }).eraseCustomer('p1', (visit.personal as { customer: { phone: string } }).customer.phone);
    expect(erased.events).toBeGreaterThan(0);

    const file = join(tempDir('backup'), 'office.backup.ndjson');
    const b = await backup(source, file, { progress: NO_PROGRESS });
    expect(b.projects).toBe(2);
    expect(readBackup(file).events).toBe(b.events);

    const target2 = await open(target.freshConfig());
    const r = await restore(target2, file, { batchSize: 64, progress: NO_PROGRESS });
    expect(r.events).toBe(b.events);
    expect(await heads(target2)).toEqual(await heads(source));
    for (const p of ['p1', 'p2']) {
      expect((await target2.verifyChain(p)).ok).toBe(true);
      const [a, c] = [await logOf(source, p), await logOf(target2, p)];
      expect(c.map((e) => [e.hash, e.recordedAt, e.recordedBy, e.personalDigest, e.personalErased])).toEqual(a.map((e) => [e.hash, e.recordedAt, e.recordedBy, e.personalDigest, e.personalErased]));
    }
    expect((await logOf(target2, 'p1')).find((e) => e.seq === visit.seq)!.personalErased).toBe(true);
    expect(await allRows(target2)).toEqual(await allRows(source));

    // A second restore into the same (now non-empty) database is refused.
    await expect(restore(target2, file, { progress: NO_PROGRESS })).rejects.toThrow(/not empty/);
  });

  it.skipIf(target.skipReason !== null)('refuses a damaged or forged file and writes nothing', async () => {
    const source = await open(target.freshConfig());
    await importTimeline(source, { file: timelineFile({ customers: 20, days: 2, consultants: 3, seed: 9 }).file, project: 'p1', progress: NO_PROGRESS });
    const dir = tempDir('forged');
    const file = join(dir, 'b.ndjson');
    await backup(source, file, { progress: NO_PROGRESS });
    const lines = readFileSync(file, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('"type":"visit"'));

    // 1. a byte changed in a line: that line's checksum fails
    const flipped = join(dir, 'flipped.ndjson');
    writeFileSync(flipped, lines.map((l, k) => (k === i ? l.replace(/"name":"([^"]+)"/, '"name":"X$1"') : l)).join('\n'));
    const t1 = await open(target.freshConfig());
    await expect(restore(t1, flipped, { progress: NO_PROGRESS })).rejects.toThrow(new RegExp(`line ${i + 1}: checksum mismatch`));
    expect(await t1.listProjects()).toEqual([]);

    // 2. a line rewritten with a fresh checksum: the whole-file SHA-256 fails
    const { lineSum } = await import('../../src/ops/backup.ts');
    const obj = JSON.parse(lines[i]!) as Record<string, unknown>;
    obj.recordedBy = 'forger';
    obj.sum = lineSum(obj);
    const resummed = join(dir, 'resummed.ndjson');
    writeFileSync(resummed, lines.map((l, k) => (k === i ? JSON.stringify(obj) : l)).join('\n'));
    await expect(restore(t1, resummed, { progress: NO_PROGRESS })).rejects.toThrow(/whole-file SHA-256 mismatch/);

    // 3. a truncated file (no trailer)
    const cut = join(dir, 'cut.ndjson');
    writeFileSync(cut, lines.slice(0, -3).join('\n') + '\n');
    await expect(restore(t1, cut, { progress: NO_PROGRESS })).rejects.toBeInstanceOf(BackupError);
    expect(await t1.listProjects()).toEqual([]);
  });
});
