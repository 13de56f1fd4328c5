// Concurrent writers: the log keeps every attempt, the attribution has one
// owner, and the rotation equals a serial replay of the log — within one
// server and (PostgreSQL) across two servers sharing the database.
import { afterAll, describe, expect, it } from 'vitest';
import { fromStored } from '../../src/app/codec.ts';
import { rotationView, ownerOf, Timeline } from '../../src/domain/engine/index.ts';
import type { EventStore } from '../../src/store/index.js';
import { api, cleanup, startServer, TARGETS, warnSkips, type Running } from './harness.ts';
import { initialPolicy, policyOfEvent } from '../../src/domain/policy/wiring.ts';

warnSkips('server concurrency');
afterAll(cleanup);

const T0 = Date.parse('2025-03-03T09:00:00+08:00');

/** Replays the stored log serially in a fresh engine; checks every recorded status. */
async function serialReplay(store: EventStore, projectId: string) {
  let timeline: Timeline | undefined;
  const mismatches: string[] = [];
  const rows = [];
  for await (const row of store.readEvents(projectId)) {
    rows.push(row);
    const event = fromStored(row);
    if (!timeline) {
      if (event.type !== 'policy') throw new Error('first event is not a policy');
      timeline = new Timeline({ timezone: 'Asia/Shanghai', policy: initialPolicy(event.preset, event.set), keepHistory: true, resolvePolicy: policyOfEvent });
      continue;
    }
    const outcome = timeline.apply(event);
    const status = outcome.accepted ? 'accepted' : 'rejected';
    if (status !== row.status) mismatches.push(`${row.seq} ${row.eventId}: log ${row.status}, replay ${status}`);
  }
  return { timeline: timeline!, mismatches, rows };
}

/** The office of these tests lives in March 2025: the admin registers it after the fact (补登). */
const LATE = 'test: an office in March 2025';

async function setUp(base: string, projectId: string, staff: string[]) {
  const created = await api(base, 'POST', '/api/projects', { id: projectId, name: '并发测试', preset: 'standard' });
  expect(created.status).toBe(201);
  for (const s of staff) {
    const r = await api(base, 'POST', `/api/projects/${projectId}/staff`, { staff: s, name: `顾问${s}`, at: new Date(T0 - 86_400_000).toISOString(), lateReason: LATE });
    expect(r.status).toBe(201);
  }
}

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`concurrency on ${target.name}`, () => {
    const servers: Running[] = [];
    afterAll(async () => {
      for (const s of servers) await s.close();
    });

    async function instances(): Promise<Running[]> {
      if (servers.length) return servers;
      const config = target.freshConfig();
      servers.push(await startServer(config));
      // PostgreSQL: a second server process-equivalent (own store, own cache) on the same database.
      if (target.name === 'postgres') servers.push(await startServer(config));
      return servers;
    }

    it('50 consultants register the same new phone at once: one owner, all 50 in the log, chain intact', async () => {
      const run = await instances();
      const project = `race-${target.name}`;
      const staff = Array.from({ length: 50 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
      await setUp(run[0]!.url, project, staff);
      const phone = '13912345678';
      const answers = await Promise.all(staff.map((s, i) =>
        api<{ id: string; seq: number; status: string; rejection?: { code: string } }>(run[i % run.length]!.url, 'POST', `/api/projects/${project}/events`, {
          id: `visit-${s}`, type: 'visit', at: '2025-03-03 10:00', lateReason: LATE, customer: { phone, name: '王先生' }, receivedBy: s, says: { firstVisit: true },
        })));
      expect(answers.filter((a) => a.status !== 201)).toEqual([]);
      const seqs = answers.map((a) => a.body.seq);
      expect(new Set(seqs).size).toBe(50);

      const store = run[0]!.store;
      expect(await store.verifyChain(project)).toMatchObject({ ok: true, count: 1 + 50 + 50 });
      const { timeline, mismatches, rows } = await serialReplay(store, project);
      expect(mismatches).toEqual([]);
      const visits = rows.filter((r) => r.type === 'visit');
      expect(visits.map((v) => v.eventId).sort()).toEqual(staff.map((s) => `visit-${s}`).sort());
      // The answers match the log.
      for (const a of answers) expect(visits.find((v) => v.seq === a.body.seq)?.status).toBe(a.body.status);

      const first = visits[0]!;
      const owner = ownerOf(timeline.state, phone, Date.parse('2025-03-03T12:00:00+08:00'));
      expect(owner.owner).toBe((fromStored(first) as { receivedBy: string }).receivedBy);
      for (const r of run) {
        const card = await api<{ owner: string; status: string; timeline: unknown[] }>(r.url, 'GET', `/api/projects/${project}/customers/${phone}?at=2025-03-03%2012:00`);
        expect(card.body.owner).toBe(owner.owner);
        expect(card.body.timeline).toHaveLength(50);
      }
      const row = await store.db.selectFrom('customers').selectAll().where('project_id', '=', project).where('phone', '=', phone).executeTakeFirstOrThrow();
      expect(row.owner).toBe(owner.owner);
      const before = await run[0]!.server.app.projectionRows(project);
      await run[0]!.server.app.rebuildProjections(project);
      expect(await run[0]!.server.app.projectionRows(project)).toEqual(before);
      console.info(`[${target.name}] conflicts retried: ${run.map((r) => r.server.app.stats.conflicts).join('+')}`);
      console.info(`[${target.name}] 50 racing first visits on ${run.length} server(s): owner ${owner.owner}, ${visits.filter((v) => v.status === 'accepted').length} accepted, ${visits.filter((v) => v.status === 'rejected').length} rejected, chain ok`);
    });

    it('20 simultaneous receptions: the queue equals a serial replay, nobody skipped or served twice', async () => {
      const run = await instances();
      const project = `rotation-${target.name}`;
      const staff = ['A', 'B', 'C', 'D', 'E'];
      await setUp(run[0]!.url, project, staff);
      expect((await api(run[0]!.url, 'POST', `/api/projects/${project}/roster`, { order: staff, at: '2025-03-03 09:00', lateReason: LATE })).status).toBe(201);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        api<{ seq: number; status: string }>(run[i % run.length]!.url, 'POST', `/api/projects/${project}/events`, {
          type: 'visit', at: '2025-03-03 10:00', lateReason: LATE, customer: { phone: `1381234${String(1000 + i)}`, name: `客户${i}` }, says: { firstVisit: true },
        })));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
      expect(answers.every((a) => a.body.status === 'accepted')).toBe(true);

      const store = run[0]!.store;
      expect(await store.verifyChain(project)).toMatchObject({ ok: true });
      const { timeline, mismatches, rows } = await serialReplay(store, project);
      expect(mismatches).toEqual([]);
      const at = Date.parse('2025-03-03T11:00:00+08:00');
      const serial = rotationView(timeline.state, at);
      for (const r of run) {
        const rot = await api<{ next: string; order: string[]; turns: Record<string, number>; makeUps: Record<string, number> }>(r.url, 'GET', `/api/projects/${project}/rotation?at=2025-03-03%2011:00`);
        expect(rot.body.next).toBe(serial.next ?? 'none');
        expect(rot.body.turns).toEqual(serial.turns);
        expect(rot.body.makeUps).toEqual(serial.makeUps);
      }
      // In log order the receivers walk the roster: A B C D E A B ... — nobody skipped or served twice.
      const receivers = [];
      for (const row of rows.filter((x) => x.type === 'visit')) {
        const owner = ownerOf(timeline.state, (await import('../../src/domain/phone.ts')).normalizePhone((fromStored(row) as { customer: { phone: string } }).customer.phone)!, at);
        receivers.push(owner.owner);
      }
      expect(receivers).toEqual(Array.from({ length: 20 }, (_, i) => staff[i % 5]));
      expect(serial.turns).toEqual({ A: 4, B: 4, C: 4, D: 4, E: 4 });
      expect(serial.next).toBe('A');
      const before = await run[0]!.server.app.projectionRows(project);
      await run[0]!.server.app.rebuildProjections(project);
      expect(await run[0]!.server.app.projectionRows(project)).toEqual(before);
      console.info(`[${target.name}] 20 simultaneous receptions on ${run.length} server(s): turns ${JSON.stringify(serial.turns)}, next ${serial.next}`);
    });
  });
}

describe('optimistic retry (two processes over one SQLite file)', () => {
  it('a lost race discards the cache, reloads and retries; nothing lost or doubled', async () => {
    const { openStore } = await import('../../src/store/index.js');
    const { GuishuApp } = await import('../../src/app/office.ts');
    const config = TARGETS[0]!.freshConfig();
    // Two connections, as two processes have: neither sees the other's commits until its append's head check.
    const store = await openStore(config);
    const other = await openStore(config);
    try {
      const a = new GuishuApp({ store, attempts: 30 });
      const b = new GuishuApp({ store: other, attempts: 30 });
      await a.createProject({ id: 'optimistic', name: 'x', preset: 'standard' });
      for (const s of ['A', 'B', 'C']) await a.recordEvent('optimistic', { type: 'staff', staff: s, role: 'consultant', at: T0 });
      await a.recordEvent('optimistic', { type: 'duty', order: ['A', 'B', 'C'], at: T0 });
      // Both caches hold the head before the race (each process had served the office already).
      await b.warm('optimistic');
      const writes = Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).recordEvent('optimistic', { id: `v${i}`, type: 'visit', at: T0 + 3_600_000, customer: { phone: `1371234${String(2000 + i)}`, name: `客${i}` }, says: { firstVisit: true } }));
      const results = await Promise.all(writes);
      expect(new Set(results.map((r) => r.seq)).size).toBe(30);
      expect(a.stats.conflicts + b.stats.conflicts).toBeGreaterThan(0);
      expect(await store.verifyChain('optimistic')).toMatchObject({ ok: true, count: 1 + 3 + 1 + 30 });
      const { timeline, mismatches } = await serialReplay(store, 'optimistic');
      expect(mismatches).toEqual([]);
      const serial = rotationView(timeline.state, T0 + 7_200_000);
      expect(serial.turns).toEqual({ A: 10, B: 10, C: 10 });
      // both caches agree with the serial replay, and the projections with a rebuild
      for (const app of [a, b]) expect((await app.rotation('optimistic', T0 + 7_200_000)).turns).toEqual(serial.turns);
      const before = await a.projectionRows('optimistic');
      await a.rebuildProjections('optimistic');
      expect(await a.projectionRows('optimistic')).toEqual(before);
      console.info(`[sqlite] optimistic: ${a.stats.conflicts + b.stats.conflicts} conflicts retried, ${a.stats.rebuilds + b.stats.rebuilds} cache rebuilds`);
    } finally {
      await other.close();
      await store.close();
    }
  });
});
