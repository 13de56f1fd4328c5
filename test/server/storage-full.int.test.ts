// A full disk (finding 10): writes answer 507 `storage-full` (problem+json), not
// an opaque 500; the rollback does not throw a second error over the first;
// the server stays up and records again once space is back. A start on a full
// disk says so and names the data folder.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { StorageFullError } from '../../src/app/errors.ts';
import { isStorageFull, openStore, StorageUnavailableError } from '../../src/store/index.js';
import { api, cleanup, startServer, TARGETS, warnSkips, type Running } from './harness.ts';

warnSkips('storage full');
afterAll(cleanup);

const phone = (i: number) => `1390013${String(8000 + i).padStart(4, '0')}`;
const visit = (i: number) => ({ type: 'visit', customer: { phone: phone(i), name: `客户${i}` }, receivedBy: 'A', says: { firstVisit: true } });

async function setUp(base: string, project: string): Promise<void> {
  expect((await api(base, 'POST', '/api/projects', { id: project, name: '满盘', preset: 'standard' })).status).toBe(201);
  expect((await api(base, 'POST', `/api/projects/${project}/staff`, { staff: 'A' })).status).toBe(201);
  expect((await api(base, 'POST', `/api/projects/${project}/roster`, { order: ['A'] })).status).toBe(201);
}

/** 20 writes at once; the statuses and bodies. */
async function burst(base: string, project: string, from: number) {
  return Promise.all(Array.from({ length: 20 }, (_, i) => api<{ code?: string; status?: number | string }>(base, 'POST', `/api/projects/${project}/events`, visit(from + i))));
}

function expectStorageFull(r: { status: number; type: string; body: { code?: string } }): void {
  expect(r.status).toBe(507);
  expect(r.type).toContain('application/problem+json');
  expect(r.body.code).toBe('storage-full');
}

describe('storage-full mapping', () => {
  it('SQLITE_FULL, SQLITE_IOERR_SHMSIZE and PostgreSQL 53100 are a full disk; other errors are not', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE', '53100', 'ENOSPC']) expect(isStorageFull(Object.assign(new Error('x'), { code }))).toBe(true);
    for (const code of ['SQLITE_BUSY', '40001', '22021', '53200', undefined]) expect(isStorageFull(Object.assign(new Error('x'), { code }))).toBe(false);
  });
});

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`a full disk on ${target.name}`, () => {
    let running: Running | undefined;
    afterAll(async () => {
      await running?.close();
    });

    it('the database says its disk is full (PostgreSQL 53100, injected): 507 for every writer, then records again', async () => {
      running = await startServer(target.freshConfig());
      const base = running.url;
      await setUp(base, 'full53100');
      const spy = vi.spyOn(running.store, 'append').mockImplementation(async () => {
        throw Object.assign(new Error('could not extend file "base/16384/16385": No space left on device'), { code: '53100' });
      });
      try {
        for (const r of await burst(base, 'full53100', 0)) expectStorageFull(r);
        await expect(running.server.app.recordEvent('full53100', visit(50) as never)).rejects.toBeInstanceOf(StorageFullError);
        expect(running.server.app.stats.isolated).toBe(0);
      } finally {
        spy.mockRestore();
      }
      expect((await api(base, 'GET', '/api/health')).status).toBe(200);
      for (const r of await burst(base, 'full53100', 100)) expect(r.status).toBe(201);
      expect(await running.store.verifyChain('full53100')).toMatchObject({ ok: true });
    });

    it.skipIf(target.name !== 'sqlite')('SQLite at its size limit (max_page_count): SQLITE_FULL is 507, not "cannot rollback", and the server goes on', async () => {
      const r = await startServer(target.freshConfig());
      try {
        const base = r.url;
        await setUp(base, 'fullpages');
        const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(r.store.db)).rows[0]!.page_count);
        await sql.raw(`pragma max_page_count = ${pages}`).execute(r.store.db);
        // Pages already held (free ones, the WAL's) take a few more writes first: write until the limit says no.
        let full: Awaited<ReturnType<typeof burst>> = [];
        for (let round = 0; round < 50 && !full.some((x) => x.status === 507); round++) full = await burst(base, 'fullpages', round * 20);
        expect(full.filter((x) => x.status !== 201 && x.status !== 507)).toEqual([]);
        expectStorageFull(full.find((x) => x.status === 507)!);
        // Once full, every writer of a group is told so (none is a 500, none is retried alone).
        for (const x of await burst(base, 'fullpages', 2000)) expectStorageFull(x);
        expect(r.server.app.stats.isolated).toBe(0);
        expect((await api(base, 'GET', '/api/health')).status).toBe(200);
        expect((await api(base, 'GET', `/api/projects/fullpages/rotation`)).status).toBe(200);
        await sql.raw('pragma max_page_count = 1073741823').execute(r.store.db);
        for (const x of await burst(base, 'fullpages', 100)) expect(x.status).toBe(201);
        expect(await r.store.verifyChain('fullpages')).toMatchObject({ ok: true });
      } finally {
        await r.close();
      }
    });

    it.skipIf(target.name !== 'sqlite' || !canMount())('SQLite on a full tmpfs: 507 while full, records again once space is freed; a start on a full disk names the folder', async () => {
      const mount = mkdtempSync(join(tmpdir(), 'guishu-full-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mount]);
      try {
        const dataDir = join(mount, 'data');
        mkdirSync(dataDir);
        const r = await startServer({ kind: 'sqlite', dataDir });
        try {
          const base = r.url;
          await setUp(base, 'fulldisk');
          for (const x of await burst(base, 'fulldisk', 0)) expect(x.status).toBe(201);
          const filler = join(mount, 'filler');
          fill(filler);
          let statuses: number[] = [];
          // The WAL may still have room in pages it already holds: write until the disk says no.
          for (let round = 0; round < 50 && !statuses.includes(507); round++) statuses = (await burst(base, 'fulldisk', 1000 + round * 20)).map((x) => x.status);
          expect(statuses).toContain(507);
          expect(statuses.filter((s) => s !== 201 && s !== 507)).toEqual([]);
          expect((await api(base, 'GET', '/api/health')).status).toBe(200);
          rmSync(filler);
          for (const x of await burst(base, 'fulldisk', 5000)) expect(x.status).toBe(201);
          expect(await r.store.verifyChain('fulldisk')).toMatchObject({ ok: true });
        } finally {
          await r.close();
        }
        // A start on a full disk: a fresh folder on the full tmpfs.
        const fresh = join(mount, 'fresh');
        mkdirSync(fresh);
        fill(join(mount, 'filler2'));
        const opened = await openStore({ kind: 'sqlite', dataDir: fresh }).then((s) => s.close().then(() => undefined), (e: unknown) => e);
        expect(opened).toBeInstanceOf(StorageUnavailableError);
        expect((opened as Error).message).toContain(fresh);
        expect((opened as Error).message).toMatch(/full/);
      } finally {
        execFileSync('umount', ['-l', mount]);
        rmSync(mount, { recursive: true, force: true });
      }
    });
  });
}

/** Writes zeros until the disk has no room left. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}

function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'guishu-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
