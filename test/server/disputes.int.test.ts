// The dispute queue and the reminders, on SQLite and PostgreSQL: each kind of
// dispute produced by a small timeline; reminders scoped to their addressees,
// in the list and on the live streams; read marks per user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, signIn, TARGETS, warnSkips } from './harness.ts';
import { openOffice, P1, PA, PASSWORD, type Office } from '../auth/fixture.ts';
import { openStream, type Message } from './sse.ts';

warnSkips('disputes and reminders');
afterAll(cleanup);

const DAY = 86_400_000;
/** One customer per timeline. */
const C = {
  callThenVisit: '13511110001',
  late: '13511110002',
  companion: '13511110003',
  partyMain: '13511110004',
  recognized: '13511110005',
  sameDay: '13511110006',
  lapsed: '13511110007',
  ending: '13511110008',
};

interface Dispute { id: string; kind: string; at: string; customer: string; staff: string[]; evidence: string[]; decision: { owner: string; clause: string | null }; ruling: { eventId: string } | null }
interface Note { id: string; kind: string; customer: string | null; name: string | null; read: boolean; title: { zh: string } }
const stream = openStream;

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`disputes and reminders on ${target.name}`, () => {
    let office: Office;
    let conB = '';
    const ids: Record<string, string> = {};
    const rec = async (body: Record<string, unknown>) => {
      const r = await office.as('admin', 'POST', `/api/projects/${P1}/events`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const b = r.body as { id: string; status: string; rejection?: { code: string } };
      return b;
    };
    const past = (days: number) => ({ at: Date.now() - days * DAY, lateReason: 'test timeline: registered after the fact' });

    beforeAll(async () => {
      office = await openOffice(target.freshConfig(), { argon: { memoryCost: 4096, timeCost: 1 } });
      expect((await office.as('admin', 'POST', '/api/users', { username: 'conB', password: PASSWORD })).status).toBe(201);
      expect((await office.as('admin', 'PUT', `/api/projects/${P1}/roles/conB`, { role: 'consultant', staff: 'B' })).status).toBe(200);
      conB = (await signIn(office.base, 'conB', PASSWORD)).token;

      // report-vs-visit: B's call holds the customer, X reports them, they visit: B keeps them, the report stays unconverted.
      await rec({ type: 'call', customer: { phone: C.callThenVisit, name: '周一' }, staff: 'B', direction: 'in' });
      ids.report1 = (await rec({ type: 'report', customer: { phone: C.callThenVisit, name: '周一' }, staff: 'X', expectedAt: Date.now() + 3_600_000 })).id;
      ids.visit1 = (await rec({ type: 'visit', customer: { phone: C.callThenVisit, name: '周一' } })).id;
      // report-vs-visit (late): A received the customer, then X reports them.
      ids.visit2 = (await rec({ type: 'visit', customer: { phone: C.late, name: '吴二' }, receivedBy: 'A', says: { firstVisit: true } })).id;
      const late = await rec({ type: 'report', customer: { phone: C.late, name: '吴二' }, staff: 'X', expectedAt: Date.now() + 3_600_000 });
      expect(late.rejection?.code).toBe('report-after-visit');
      ids.report2 = late.id;
      // party-swallowed-report: B holds the companion by a call, X reports them, they come in A's party.
      await rec({ type: 'call', customer: { phone: C.companion, name: '郑三' }, staff: 'B', direction: 'in' });
      ids.report3 = (await rec({ type: 'report', customer: { phone: C.companion, name: '郑三' }, staff: 'X', expectedAt: Date.now() + 3_600_000 })).id;
      ids.visit3 = (await rec({ type: 'visit', customer: { phone: C.partyMain, name: '王四' }, party: [{ phone: C.companion, name: '郑三' }], receivedBy: 'A', says: { firstVisit: true } })).id;
      // recognition-after-reception: A receives, B recognises the customer the same day.
      ids.visit4 = (await rec({ type: 'visit', customer: { phone: C.recognized, name: '冯五' }, receivedBy: 'A', says: { firstVisit: true } })).id;
      ids.recognize = (await rec({ type: 'recognize', customer: { phone: C.recognized }, staff: 'B' })).id;
      // same-day-contacts: A receives, B calls the customer the same day.
      ids.visit5 = (await rec({ type: 'visit', customer: { phone: C.sameDay, name: '陈六' }, receivedBy: 'A', says: { firstVisit: true } })).id;
      ids.call5 = (await rec({ type: 'call', customer: { phone: C.sameDay }, staff: 'B', direction: 'out' })).id;
      // lapse-retaken: A's 15 days ran out five days ago; B registers the customer three days ago.
      ids.visit6 = (await rec({ type: 'visit', customer: { phone: C.lapsed, name: '褚七' }, receivedBy: 'A', says: { firstVisit: true }, ...past(20) })).id;
      ids.visit7 = (await rec({ type: 'visit', customer: { phone: C.lapsed, name: '褚七' }, receivedBy: 'B', ...past(3) })).id;
      // complaint and objection about A's customer PA.
      ids.complaint = (await rec({ type: 'complaint', customer: { phone: PA }, against: 'A', fault: 'other' })).id;
      ids.objection = (await rec({ type: 'objection', customer: { phone: PA }, staff: 'B' })).id;
      // protection ending: A's customer of 14 days ago is protected through tomorrow.
      await rec({ type: 'visit', customer: { phone: C.ending, name: '卫八' }, receivedBy: 'A', says: { firstVisit: true }, ...past(14) });
    });
    afterAll(async () => office?.running.close());

    const queue = async (who: Parameters<Office['as']>[0] = 'mgr', query = '') => {
      const r = await office.as(who, 'GET', `/api/projects/${P1}/disputes${query}`);
      return r as unknown as { status: number; body: { disputes: Dispute[] } };
    };
    const notes = async (token: string) => {
      const r = await fetch(`${office.base}/api/projects/${P1}/notifications`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      return (await r.json()) as { notifications: Note[]; unread: number };
    };

    it('every kind surfaces on its own, newest first, with staff, evidence and the clause of the current decision', async () => {
      const r = await queue();
      expect(r.status).toBe(200);
      const list = r.body.disputes;
      const of = (kind: string, customer: string) => list.find((d) => d.kind === kind && d.customer === customer);
      const rv = of('report-vs-visit', C.callThenVisit);
      expect(rv?.staff).toEqual(expect.arrayContaining(['X', 'B']));
      expect(rv?.evidence).toEqual([ids.report1, ids.visit1]);
      expect(rv?.decision.owner).toBe('B');
      expect(rv?.decision.clause).toBeTruthy();
      expect(of('report-vs-visit', C.late)?.evidence).toEqual([ids.visit2, ids.report2]);
      const swallowed = of('party-swallowed-report', C.companion);
      expect(swallowed?.evidence).toEqual([ids.report3, ids.visit3]);
      expect(swallowed?.staff).toEqual(expect.arrayContaining(['X', 'B']));
      expect(of('recognition-after-reception', C.recognized)?.evidence).toEqual([ids.visit4, ids.recognize]);
      const same = of('same-day-contacts', C.sameDay);
      expect(same?.staff.sort()).toEqual(['A', 'B']);
      expect(same?.evidence).toEqual([ids.visit5, ids.call5]);
      const lapse = of('lapse-retaken', C.lapsed);
      expect(lapse?.staff).toEqual(['A', 'B']);
      expect(lapse?.evidence).toEqual([ids.visit6, ids.visit7]);
      expect(lapse?.decision.owner).toBe('B');
      expect(of('complaint', PA)?.evidence).toEqual([ids.complaint]);
      expect(of('objection', PA)?.staff).toEqual(expect.arrayContaining(['B', 'A']));
      // Newest first.
      const times = list.map((d) => Date.parse(d.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      // A filter by kind.
      const only = await queue('mgr', '?kind=complaint,objection');
      expect(new Set(only.body.disputes.map((d) => d.kind))).toEqual(new Set(['complaint', 'objection']));
    });

    it('the queue is the manager’s and the controller’s, audited; others are refused', async () => {
      expect((await queue('ctl')).status).toBe(200);
      for (const who of ['desk', 'conA', 'chan'] as const) expect((await queue(who)).status, who).toBe(403);
      const audit = await office.as('mgr', 'GET', `/api/projects/${P1}/audit?limit=1000`);
      const rows = (audit.body as { audit: { action: string; route: string }[] }).audit;
      expect(rows.some((a) => a.action === 'read-phone' && a.route.includes('/disputes'))).toBe(true);
    });

    it('a ruling gives the customer to a channel agent; it reaches only the consultants concerned, live and in their lists', async () => {
      const streams = {
        conA: await stream(office.base, `/api/projects/${P1}/notifications/live`, office.tokens.get('conA')!),
        conB: await stream(office.base, `/api/projects/${P1}/notifications/live`, conB),
        chan: await stream(office.base, `/api/projects/${P1}/notifications/live`, office.tokens.get('chan')!),
        conAStaff: await stream(office.base, `/api/projects/${P1}/live`, office.tokens.get('conA')!),
        conBStaff: await stream(office.base, `/api/projects/${P1}/live`, conB),
      };
      const ruling = await office.as('mgr', 'POST', `/api/projects/${P1}/events`, { type: 'ruling', customer: { phone: C.recognized }, owner: 'X', by: 'M', reason: '渠道先报备，经核实归渠道' });
      expect(ruling.status, JSON.stringify(ruling.body)).toBe(201);
      const rulingId = (ruling.body as { id: string; status: string }).id;
      expect((ruling.body as { status: string }).status).toBe('accepted');
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && !(streams.conA.text().includes('event: notification') && streams.chan.text().includes('event: notification') && streams.conAStaff.text().includes('event: notification'))) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      const seen: Record<string, Message[]> = {};
      for (const [k, s] of Object.entries(streams)) seen[k] = await s.stop();
      const notified = (k: string) => seen[k]!.filter((m) => m.event === 'notification').map((m) => m.data.id);
      expect(notified('conA')).toEqual([`ruling:${rulingId}`]);
      expect(notified('chan')).toEqual([`ruling:${rulingId}`]);
      expect(notified('conAStaff')).toEqual([`ruling:${rulingId}`]);
      expect(notified('conB')).toEqual([]);
      expect(notified('conBStaff')).toEqual([]);
      // The reminders stream carries nothing else of the office.
      expect(seen.chan!.every((m) => m.event === 'notification')).toBe(true);
      for (const k of Object.keys(seen)) for (const m of seen[k]!) expect(JSON.stringify(m.data)).not.toMatch(/1[3-9]\d{9}/);

      // The engine took the ruling: the agent owns, on the ruling's clause.
      const card = await office.as('mgr', 'GET', `/api/projects/${P1}/customers/${C.recognized}`);
      expect((card.body as { owner: string }).owner).toBe('X');
      const after = await queue();
      const override = after.body.disputes.find((d) => d.kind === 'override' && d.customer === C.recognized);
      expect(override?.evidence).toContain(rulingId);
      expect(override?.decision).toMatchObject({ owner: 'X' });
      // The recognition dispute is settled by the ruling.
      expect(after.body.disputes.find((d) => d.kind === 'recognition-after-reception' && d.customer === C.recognized)?.ruling?.eventId).toBe(rulingId);
      const open = await queue('mgr', '?open=true');
      expect(open.body.disputes.some((d) => d.kind === 'recognition-after-reception' && d.customer === C.recognized)).toBe(false);

      // The lists: A (who lost the customer) and X (who won) have it; B has nothing of A's.
      const a = await notes(office.tokens.get('conA')!);
      expect(a.notifications.map((n) => n.id)).toContain(`ruling:${rulingId}`);
      const x = await notes(office.tokens.get('chan')!);
      expect(x.notifications.find((n) => n.id === `ruling:${rulingId}`)?.kind).toBe('ruling');
      const b = await notes(conB);
      expect(b.notifications.map((n) => n.id)).not.toContain(`ruling:${rulingId}`);
      expect(b.notifications.some((n) => n.kind === 'protection-ending')).toBe(false);
    });

    it('protection ending reaches the owner; a converted report its agent; managers get the open disputes', async () => {
      const a = await notes(office.tokens.get('conA')!);
      const ending = a.notifications.find((n) => n.kind === 'protection-ending' && n.customer === '135****0008');
      expect(ending?.name).toBe('卫八');
      // A visit converts X's report on PX.
      const v = await rec({ type: 'visit', customer: { phone: '13700137000', name: '张三' } });
      const x = await notes(office.tokens.get('chan')!);
      const converted = x.notifications.find((n) => n.id === 'report:rx:converted');
      expect(converted?.kind).toBe('report-status');
      expect(converted?.customer).toBe('137****7000');
      expect(v.id).toBeTruthy();
      const m = await notes(office.tokens.get('mgr')!);
      expect(m.notifications.filter((n) => n.kind === 'dispute').length).toBeGreaterThan(3);
      for (const list of [a, x, m]) expect(JSON.stringify(list)).not.toMatch(/1[3-9]\d{9}/);
    });

    it('a correction is an override; the queue rebuilds with the corrected outcomes', async () => {
      const fix = await office.as('mgr', 'POST', `/api/projects/${P1}/events`, { type: 'correction', of: ids.visit2, set: { receivedBy: 'B' }, reason: '接待人登记错误', by: 'M' });
      expect((fix.body as { status: string }).status).toBe('accepted');
      const list = (await queue()).body.disputes;
      const override = list.find((d) => d.kind === 'override' && d.customer === C.late);
      expect(override?.evidence).toEqual([ids.visit2, (fix.body as { id: string }).id]);
      expect(list.find((d) => d.kind === 'report-vs-visit' && d.customer === C.late)?.staff).toEqual(expect.arrayContaining(['X', 'B']));
    });

    it('read marks are per user', async () => {
      const token = office.tokens.get('conA')!;
      const before = await notes(token);
      expect(before.unread).toBeGreaterThan(0);
      const first = before.notifications[0]!.id;
      const mark = await fetch(`${office.base}/api/projects/${P1}/notifications/read`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ids: [first] }) });
      expect(mark.status).toBe(200);
      expect(await mark.json()).toEqual({ marked: 1 });
      const after = await notes(token);
      expect(after.notifications.find((n) => n.id === first)?.read).toBe(true);
      expect(after.unread).toBe(before.unread - 1);
      const all = await fetch(`${office.base}/api/projects/${P1}/notifications/read`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ all: true }) });
      expect(all.status).toBe(200);
      expect((await notes(token)).unread).toBe(0);
      // X's marks are X's.
      expect((await notes(office.tokens.get('chan')!)).unread).toBeGreaterThan(0);
    });
  });
}
