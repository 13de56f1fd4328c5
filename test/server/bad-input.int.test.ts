// Bad input never hurts a neighbour (issue 10; findings 8, 9, 12): extreme
// times, control characters and phones with trailing garbage are refused at
// validation with a 400 naming the field, and one event the database refuses
// fails alone — the other writers of its group commit land.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GuishuApp } from '../../src/app/office.ts';
import { spawnSync } from 'node:child_process';
import { projectAlerts } from '../../src/app/alerts.ts';
import { officeEvent } from '../../src/domain/events.ts';
import type { StoreConfig } from '../../src/store/index.js';
import { api, cleanup, startServer, TARGETS, warnSkips, type Running } from './harness.ts';

warnSkips('bad input');
afterAll(cleanup);

const P = 'bad';
/** Times more than a few minutes in the past are a manager's late registration (补登): they carry a reason. */
const LATE = { lateReason: '补登：测试' };
const phone = (i: number) => `1380013${String(8000 + i).padStart(4, '0')}`;

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`bad input on ${target.name}`, () => {
    let running: Running;
    let base: string;
    let config: StoreConfig;
    beforeAll(async () => {
      config = target.freshConfig();
      running = await startServer(config);
      base = running.url;
      expect((await api(base, 'POST', '/api/projects', { id: P, name: '坏输入', preset: 'standard' })).status).toBe(201);
      for (const s of ['A', 'B', 'M']) {
        expect((await api(base, 'POST', `/api/projects/${P}/staff`, { staff: s, role: s === 'M' ? 'manager' : 'consultant' })).status).toBe(201);
      }
      expect((await api(base, 'POST', `/api/projects/${P}/roster`, { order: ['A', 'B'] })).status).toBe(201);
    });
    afterAll(async () => {
      await running?.close();
    });

    const visit = (i: number, extra: Record<string, unknown> = {}) => ({ type: 'visit', customer: { phone: phone(i), name: `客户${i}` }, receivedBy: 'A', says: { firstVisit: true }, ...extra });

    it('extreme times are refused with 400 naming the field; the card still answers', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [visit(1, { at: 8_640_000_000_000_000 }), 'at'],
        [visit(1, { at: -8_640_000_000_000_000 }), 'at'],
        [visit(1, { at: '0001-01-01 10:00' }), 'at'],
        [visit(1, { at: '0001-01-01T10:00:00+08:00' }), 'at'],
        [visit(1, { at: '9999-12-31 10:00' }), 'at'],
        [visit(1, { at: 0 }), 'at'],
        [{ type: 'status', staff: 'B', state: 'off', until: 8_640_000_000_000_000 }, 'until'],
        [{ type: 'call', customer: { phone: phone(2) }, staff: 'A', direction: 'in', appointment: '1901-01-01 10:00' }, 'appointment'],
        [{ type: 'correction', of: 'x', set: { at: '0001-01-01 10:00' }, reason: 'r', by: 'M' }, 'set.at'],
      ];
      for (const [body, field] of cases) {
        const r = await api<{ code: string; field: string }>(base, 'POST', `/api/projects/${P}/events`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.type).toContain('application/problem+json');
        expect(r.body).toMatchObject({ code: 'invalid-time', field });
      }
      // Query times too.
      const q = await api<{ code: string; field: string }>(base, 'GET', `/api/projects/${P}/rotation?at=8640000000000000`);
      expect(q.status).toBe(400);
      expect(q.body).toMatchObject({ code: 'invalid-time', field: 'at' });
      // The app layer (CLI, scenarios, imports) refuses them too.
      await expect(running.server.app.recordEvent(P, visit(3, { at: 8_640_000_000_000_000 }) as never)).rejects.toMatchObject({ status: 400, code: 'invalid-time', field: 'at' });
      await expect(running.server.app.recordEvent(P, visit(3, { at: Date.UTC(1999, 11, 31, 23, 59, 59) }) as never)).rejects.toMatchObject({ status: 400, field: 'at' });
      // The edges of the range (a time that far back is a manager's late registration).
      expect((await api(base, 'POST', `/api/projects/${P}/events`, visit(4, { at: '2000-01-01T00:00:00Z', ...LATE }))).status).toBe(201);
      expect((await api(base, 'POST', `/api/projects/${P}/events`, visit(5, { at: '1999-12-31T23:59:59.999Z', ...LATE }))).body).toMatchObject({ code: 'invalid-time', field: 'at' });
      expect((await api(base, 'POST', `/api/projects/${P}/events`, visit(6, { at: '2100-01-01T00:00:00Z' }))).body).toMatchObject({ code: 'invalid-time', field: 'at' });
      const card = await api(base, 'GET', `/api/projects/${P}/customers/${phone(4)}`);
      expect(card.status).toBe(200);
    });

    it('an extreme time already in the log (from before the range check): the card and the alerts still answer', async () => {
      const app: GuishuApp = running.server.app;
      const real = officeEvent.safeParse.bind(officeEvent);
      const spy = vi.spyOn(officeEvent, 'safeParse').mockImplementation(((input: unknown) => {
        const r = real(input);
        return r.success ? r : { success: true, data: input };
      }) as never);
      try {
        for (const [i, at] of [8_640_000_000_000_000, Date.UTC(1901, 0, 1, 2), 8_639_999_000_000_000].entries()) {
          expect((await app.recordEvent(P, visit(50 + i, { id: `extreme-${i}`, at }) as never)).status).toBe('accepted');
        }
      } finally {
        spy.mockRestore();
      }
      for (const fresh of [false, true]) {
        if (fresh) app.forget(); // and once more from the log
        for (const i of [0, 1, 2]) {
          const card = await api<{ timeline: { local: string }[] }>(base, 'GET', `/api/projects/${P}/customers/${phone(50 + i)}`);
          expect(card.status, `${i} ${JSON.stringify(card.body).slice(0, 300)}`).toBe(200);
          expect(card.body.timeline[0]!.local).not.toContain('NaN');
        }
        expect(Array.isArray(await projectAlerts(app, P, { days: 2 }))).toBe(true);
        expect(Array.isArray(await projectAlerts(app, P, { days: 1_000_000_000 }))).toBe(true);
      }
      if (target.name === 'sqlite') {
        // `guishu alerts` over the same folder (another process; WAL lets it read while the server runs).
        const dataDir = (config as { dataDir: string }).dataDir;
        const out = spawnSync(process.execPath, ['bin/guishu.js', 'alerts', '--project', P, '--days', '2'], { env: { ...process.env, GUISHU_DATA: dataDir, DATABASE_URL: '' }, encoding: 'utf8', timeout: 60_000 });
        expect(out.status, out.stderr).toBe(0);
      }
    });

    it('control and bidi characters in names and free text: 400 naming the field, nothing recorded', async () => {
      const head = await running.store.head(P);
      const bad = ['\u0000', '\u0007', '\n', '\u007f', '\u0085', '\u202e', '\u2066', '\u200f'];
      for (const ch of bad) {
        const cases: [Record<string, unknown>, string][] = [
          [visit(10, { customer: { phone: phone(10), name: `王${ch}先生` } }), 'customer.name'],
          // A reason may run over several lines; other controls are refused there too.
          [{ type: 'ruling', customer: { phone: phone(10) }, owner: 'B', by: 'M', reason: `理由${ch === '\n' ? '\u0000' : ch}` }, 'reason'],
          [{ type: 'deal', deal: 'd9', customers: [{ phone: phone(10) }], closedBy: 'A', stage: 'deposit', unit: `1${ch}801` }, 'unit'],
          [{ type: 'outreach', customer: { phone: phone(10) }, staff: 'A', place: `广场${ch}` }, 'place'],
          [{ type: 'visit', customer: { phone: phone(10), name: '王' }, party: [{ phone: phone(11), name: `李${ch}` }], receivedBy: 'A' }, 'party.0.name'],
          [{ type: 'visit', customer: { phone: phone(10), name: '王' }, receivedBy: `A${ch}` }, 'receivedBy'],
        ];
        for (const [body, field] of cases) {
          const r = await api<{ code: string; field: string; detail: string }>(base, 'POST', `/api/projects/${P}/events`, body);
          expect(r.status, `${JSON.stringify(ch)} ${field}`).toBe(400);
          expect(r.type).toContain('application/problem+json');
          expect(r.body.field).toBe(field);
          expect(r.body.code).toBe('invalid-field');
        }
        const staff = await api<{ field: string }>(base, 'POST', `/api/projects/${P}/staff`, { staff: 'Z', name: `赵${ch}` });
        expect(staff.status).toBe(400);
        expect(staff.body.field).toBe('name');
        const judge = await api<{ field: string }>(base, 'POST', `/api/projects/${P}/judge`, { customer: { phone: phone(10), name: `王${ch}` } });
        expect(judge.status).toBe(400);
        expect(judge.body.field).toBe('customer.name');
      }
      expect(await running.store.head(P)).toEqual(head);
      // A reason may run over several lines.
      const multiline = await api<{ status: string }>(base, 'POST', `/api/projects/${P}/events`, { type: 'ruling', customer: { phone: phone(13) }, owner: 'B', by: 'M', reason: '第一行\n第二行\t附注' });
      expect(multiline.status).toBe(201);
      // Ordinary text still passes: CJK, emoji, punctuation, tabs are not needed in names but spaces are.
      const ok = await api(base, 'POST', `/api/projects/${P}/events`, visit(12, { customer: { phone: phone(12), name: 'Ōno 王·小明 😀' } }));
      expect(ok.status).toBe(201);
    });

    it('phones: one strict grammar; trailing garbage is refused naming the field', async () => {
      const head = await running.store.head(P);
      for (const text of ['13811112222;DROP TABLE events', '13811112222 OR 1=1', '138.1111.2222', 'tel:13811112222', '1381111222a', '13811112222\u0000']) {
        const r = await api<{ code: string; field: string }>(base, 'POST', `/api/projects/${P}/events`, visit(20, { customer: { phone: text, name: '王' } }));
        expect(r.status, text).toBe(400);
        expect(r.body.field, text).toBe('customer.phone');
        const j = await api<{ field: string }>(base, 'POST', `/api/projects/${P}/judge`, { customer: { phone: text } });
        expect(j.status, text).toBe(400);
        expect(j.body.field).toBe('customer.phone');
      }
      expect(await running.store.head(P)).toEqual(head);
      // How people write a mobile is still accepted (and a mistyped but well-formed one is a recorded rejection, as before).
      const written = ['+86 138 1111 2230', '0086-138-1111-2231', '(138)1111-2232', '１３８１１１１２２３３', '+86(138)11112234'];
      for (const [i, text] of written.entries()) {
        const r = await api<{ status: string }>(base, 'POST', `/api/projects/${P}/events`, visit(30 + i, { customer: { phone: text, name: '王' } }));
        expect(r.status, text).toBe(201);
        expect(r.body.status, text).toBe('accepted');
      }
      const card = await api<{ phone: string }>(base, 'GET', `/api/projects/${P}/customers/${encodeURIComponent('１３８１１１１２２３３')}`);
      expect(card.status).toBe(200);
      expect(card.body.phone).toBe('13811112233');
      const mistyped = await api<{ status: string; rejection: { code: string } }>(base, 'POST', `/api/projects/${P}/events`, visit(40, { customer: { phone: '12345', name: '王' } }));
      expect(mistyped.status).toBe(201);
      expect(mistyped.body.status).toBe('rejected');
      // Masked report phones stay accepted.
      for (const [i, mask] of ['138****8888', '138***88888'].entries()) {
        const r = await api<{ status: string }>(base, 'POST', `/api/projects/${P}/events`, { type: 'report', id: `mask-${i}`, customer: { phone: mask }, staff: 'A' });
        expect(r.status, mask).toBe(201);
      }
    });

    it('one event the database refuses fails alone: 20 concurrent writes, 19 land', async () => {
      const app: GuishuApp = running.server.app;
      const before = (await running.store.head(P)).seq;
      // Validation now stops a NUL; let it through to reach the store, as a value validation misses would.
      const real = officeEvent.safeParse.bind(officeEvent);
      const spy = vi.spyOn(officeEvent, 'safeParse').mockImplementation(((input: unknown) => {
        const r = real(input);
        return r.success ? r : { success: true, data: input };
      }) as never);
      // SQLite stores a NUL; a projection row it cannot take stands in for PostgreSQL's refusal there.
      const sqliteRefuses = target.name === 'sqlite' ? await refuseOnSqlite(running) : undefined;
      try {
        const writes = Array.from({ length: 20 }, (_, i) =>
          app.recordEvent(P, { ...visit(100 + i), id: `g-${i}`, customer: { phone: phone(100 + i), name: i === 7 ? '坏\u0000名' : `客户${i}` } } as never, { recordedBy: null }),
        );
        const settled = await Promise.allSettled(writes);
        const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [i] : []));
        expect(failed).toEqual([7]);
        expect((settled[7] as PromiseRejectedResult).reason).toMatchObject({ code: 'unstorable-value', status: 422 });
        // They were one group commit, and the refusal sent them again one by one.
        expect(app.stats.isolated).toBe(1);
      } finally {
        spy.mockRestore();
        await sqliteRefuses?.();
      }
      const head = await running.store.head(P);
      expect(head.seq).toBe(before + 19);
      expect(await running.store.verifyChain(P)).toMatchObject({ ok: true });
      // The server goes on: the bad one, sent again without the NUL, lands.
      const again = await api(base, 'POST', `/api/projects/${P}/events`, { ...visit(107), id: 'g-7' });
      expect(again.status).toBe(201);
    });
  });
}

/** A trigger that refuses a customer row whose name holds a NUL (SQLite stores one happily). Returns the undo. */
async function refuseOnSqlite(running: Running): Promise<() => Promise<void>> {
  const { sql } = await import('kysely');
  await sql`create trigger refuse_nul before insert on customers when instr(new.name, char(0)) > 0 begin select raise(abort, 'NUL in a name'); end`.execute(running.store.db);
  return async () => {
    await sql`drop trigger refuse_nul`.execute(running.store.db);
  };
}
