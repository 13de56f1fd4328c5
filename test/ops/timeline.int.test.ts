// import-timeline: a generated timeline loaded through the bulk path verifies,
// and its projections equal those of the live path (recordEvent, one event
// per transaction) and of a rebuild from the log.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BulkWriter } from '../../src/app/bulk.ts';
import { GuishuApp } from '../../src/app/office.ts';
import { decodeWireEvent } from '../../src/domain/wire.ts';
import { importTimeline } from '../../src/ops/import-timeline.ts';
import { rebuildProject } from '../../src/ops/rebuild.ts';
import { NO_PROGRESS, TARGETS, cleanup, open, strip, tempDir, timelineFile } from './helpers.ts';

afterAll(cleanup);

const ROOT = join(import.meta.dirname, '..', '..');

describe.each(TARGETS)('import-timeline on $name', (target) => {
  it.skipIf(target.skipReason !== null)('verifies, and projections equal the live path and a rebuild', async () => {
    const { file, lines } = timelineFile();
    const store = await open(target.freshConfig());
    const r = await importTimeline(store, { file, project: 'p1', batchSize: 50, progress: NO_PROGRESS });
    expect(r.events).toBe(lines.length);
    expect(r.headSeq).toBe(lines.length);
    expect(r.created).toBe(true);
    const v = await store.verifyChain('p1');
    expect(v).toMatchObject({ ok: true, count: lines.length });

    // The live path: the same genesis, then every event through GuishuApp.recordEvent.
    const live = await open(target.freshConfig());
    const events = lines.map((l, i) => decodeWireEvent(l, i + 1));
    await BulkWriter.create(live, { id: 'p1', name: 'p1', timezone: 'Asia/Shanghai' }, { event: events[0]! });
    const liveApp = new GuishuApp({ store: live });
    const statuses: string[] = ['accepted'];
    for (const e of events.slice(1)) statuses.push((await liveApp.recordEvent('p1', e)).status);

    const app = new GuishuApp({ store });
    const imported = strip(await app.projectionRows('p1'));
    expect(imported.customers!.length).toBeGreaterThan(10);
    expect(imported).toEqual(strip(await liveApp.projectionRows('p1')));
    const stored = [];
    for await (const row of store.readEvents('p1')) stored.push(row.status);
    expect(stored).toEqual(statuses);

    // and a rebuild from the log finds nothing to change
    const check = await rebuildProject(app, 'p1', { check: true });
    expect(check.differences).toEqual([]);
    const rebuilt = await rebuildProject(app, 'p1');
    expect(rebuilt.differences).toEqual([]);
    expect(strip(await app.projectionRows('p1'))).toEqual(imported);
  });

  it.skipIf(target.skipReason !== null)('resumes an interrupted import and rebuild reports drifted rows', async () => {
    const { file, lines } = timelineFile();
    const store = await open(target.freshConfig());
    // A prefix already recorded (as an interrupted import leaves it) …
    const { writeFileSync } = await import('node:fs');
    const half = join(tempDir('half'), 'half.ndjson');
    writeFileSync(half, lines.slice(0, 40).join('\n') + '\n');
    await importTimeline(store, { file: half, project: 'p1', progress: NO_PROGRESS });
    // … then the whole file: the recorded events are skipped.
    const r = await importTimeline(store, { file, project: 'p1', progress: NO_PROGRESS });
    expect(r.created).toBe(false);
    expect(r.skipped).toBe(40);
    expect(r.headSeq).toBe(lines.length);
    expect((await store.verifyChain('p1')).ok).toBe(true);

    // Drift a projection row behind the app's back: rebuild names it and fixes it.
    const app = new GuishuApp({ store });
    const before = await app.projectionRows('p1');
    const victim = before.customers![0]!;
    await store.db.updateTable('customers').set({ owner: 'nobody-x' }).where('project_id', '=', 'p1').where('phone', '=', String(victim.phone)).execute();
    const check = await rebuildProject(app, 'p1', { check: true });
    expect(check.differences).toEqual([{ table: 'customers', key: String(victim.phone), kind: 'changed', columns: [{ column: 'owner', stored: 'nobody-x', fromLog: victim.owner }] }]);
    const fixed = await rebuildProject(app, 'p1');
    expect(fixed.differences.length).toBe(1);
    expect(await app.projectionRows('p1')).toEqual(before);
    expect((await rebuildProject(app, 'p1', { check: true })).differences).toEqual([]);
  });
});

describe('guishu import-timeline / verify / rebuild (the command, SQLite)', () => {
  it('loads a file, reports events/s, verifies and rebuilds with exit 0', () => {
    const { file, lines } = timelineFile({ customers: 30, days: 3, consultants: 3, seed: 2 });
    const env = { ...process.env, GUISHU_DATA: tempDir('cli'), DATABASE_URL: '' };
    const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/guishu.js'), ...args], { env, encoding: 'utf8' });
    const imp = run('import-timeline', file, '--project', 'cli1');
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.stdout).toContain(`${lines.length} events recorded`);
    expect(imp.stdout).toMatch(/\d+ events\/s/);
    const verify = run('verify');
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain(`✓ cli1: ${lines.length} events`);
    const rebuild = run('rebuild', '--project', 'cli1');
    expect(rebuild.status, rebuild.stdout + rebuild.stderr).toBe(0);
    expect(rebuild.stdout).toContain('equal the log');
  });
});
