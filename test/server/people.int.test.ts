// The consultant's phone and the staff screen (src/server/people.ts): a
// customer's timeline with notes (own customers only), the public pool with
// the engine's answer on each claim, a claim that cites its clause, and the
// departure preview that records nothing and agrees with the departure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, TARGETS, warnSkips } from './harness.ts';
import { dumpProject, openOffice, P1, PA, PB, type Office } from '../auth/fixture.ts';

warnSkips('people');
afterAll(cleanup);

const PR = '13500135000'; // a customer a ruling returns to the pool
const P = `/api/projects/${P1}`;

interface PoolEntry { phone: string; ref: string; claimable: boolean; clause: string; departedPool: boolean; clauseText: { zh: string } | null }
interface Preview { staff: string; policy: { value: string; clause: string }; customers: { phone: string; after: { outcome: string; owner: string }; clause: string }[]; counts: { pool: number; stays: number }; inRoster: boolean; refused: unknown }

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`customer page, pool and departures on ${target.name}`, () => {
    let office: Office;
    beforeAll(async () => {
      office = await openOffice(target.freshConfig(), { argon: { memoryCost: 4096, timeCost: 1 } });
    });
    afterAll(async () => office?.running.close());
    const head = async () => ((await office.as('mgr', 'GET', `${P}`)).body as { headSeq: number }).headSeq;

    it('a follow-up with a note: the owner reads it in the timeline with who did what; masked views and others do not', async () => {
      const fu = await office.as('conA', 'POST', `${P}/events`, { type: 'followup', customer: { phone: PA }, staff: 'A', via: 'wechat', effective: true, note: '想看三居，周末带家人来' });
      expect(fu.status).toBe(201);
      expect((fu.body as { status: string }).status).toBe('accepted');
      const mine = await office.as('conA', 'GET', `${P}/customers/${PA}/entries`);
      expect(mine.status).toBe(200);
      const entries = (mine.body as { entries: { id: string; type: string; local: string; what: Record<string, unknown> }[] }).entries;
      const line = entries.find((e) => e.type === 'followup')!;
      expect(line.what).toMatchObject({ staff: 'A', via: 'wechat', effective: true, note: '想看三居，周末带家人来' });
      expect(line.local).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(entries.find((e) => e.type === 'visit')!.what).toMatchObject({ receivedBy: 'A' });
      // Someone else's customer, the front desk, the channel: no.
      expect((await office.as('conA', 'GET', `${P}/customers/${PB}/entries`)).status).toBe(403);
      expect((await office.as('desk', 'GET', `${P}/customers/${PA}/entries`)).status).toBe(403);
      expect((await office.as('chan', 'GET', `${P}/customers/${PA}/entries`)).status).toBe(403);
      // The manager reads the note in full; the front desk's masked view of the event has no note.
      const id = (fu.body as { id: string }).id;
      expect(((await office.as('mgr', 'GET', `${P}/events/${id}`)).body as { event: { note?: string } }).event.note).toBe('想看三居，周末带家人来');
      const desk = await office.as('desk', 'GET', `${P}/events/${id}`);
      expect(desk.status).toBe(200);
      expect(JSON.stringify(desk.body)).not.toContain('三居');
    });

    it('an incoming call registered by the consultant, without a time: server-dated, the caller is theirs', async () => {
      const before = Date.now();
      const r = await office.as('conA', 'POST', `${P}/events`, { type: 'call', direction: 'in', staff: 'A', customer: { phone: '13700001111', name: '来电客户' } });
      expect(r.status).toBe(201);
      expect((r.body as { status: string }).status).toBe('accepted');
      const card = (await office.as('conA', 'GET', `${P}/customers/13700001111`)).body as { owner: string; basis: { clause: string }; timeline: { at: string }[] };
      expect(card.owner).toBe('A');
      expect(card.basis.clause).toMatch(/^[a-z0-9-]+\./);
      expect(Date.parse(card.timeline[0]!.at)).toBeGreaterThanOrEqual(before - 1000);
    });

    it('the departure preview says where the customers go, records nothing, and the departure does just that', async () => {
      const seq = await head();
      const r = await office.as('mgr', 'GET', `${P}/staff/B/departure-preview`);
      expect(r.status).toBe(200);
      const p = r.body as Preview;
      expect(p.policy).toEqual({ value: 'public_pool', clause: 'attribution-definition.2.3', text: expect.anything() });
      expect(p.inRoster).toBe(true);
      expect(p.refused).toBeNull();
      expect(p.customers).toEqual([expect.objectContaining({ phone: PB, after: expect.objectContaining({ outcome: 'pool', owner: 'none' }), clause: 'attribution-definition.2.3' })]);
      // A's customer bought (deal d1): it stays with A.
      const a = (await office.as('mgr', 'GET', `${P}/staff/A/departure-preview`)).body as Preview;
      expect(a.customers.find((c) => c.phone === PA)).toMatchObject({ after: { outcome: 'stays', owner: 'A' } });
      expect(await head()).toBe(seq);
      // Managers only; an unknown staff id is a 400 naming the field.
      expect((await office.as('conA', 'GET', `${P}/staff/B/departure-preview`)).status).toBe(403);
      expect((await office.as('desk', 'GET', `${P}/staff/B/departure-preview`)).status).toBe(403);
      expect((await office.as('mgr', 'GET', `${P}/staff/nobody/departure-preview`)).status).toBe(400);

      const leave = await office.as('mgr', 'POST', `${P}/events`, { type: 'leave', staff: 'B' });
      expect((leave.body as { status: string }).status).toBe('accepted');
      const card = (await office.as('mgr', 'GET', `${P}/customers/${PB}`)).body as { owner: string; status: string; basis: { clause: string } };
      expect(card).toMatchObject({ owner: 'none', status: 'public', basis: { clause: 'attribution-definition.2.3' } });
    });

    it('the pool: a departed consultant’s customer is the manager’s to reassign; a ruling’s public customer is claimable and the claim cites its clause', async () => {
      await office.as('mgr', 'POST', `${P}/events`, { type: 'visit', customer: { phone: PR, name: '赵先生' }, receivedBy: 'A', says: { firstVisit: true } });
      const ruling = await office.as('mgr', 'POST', `${P}/events`, { type: 'ruling', customer: { phone: PR }, owner: 'none', by: 'M', reason: '退回公客池' });
      expect((ruling.body as { status: string }).status).toBe('accepted');

      const pool = await office.as('conA', 'GET', `${P}/pool`);
      expect(pool.status).toBe(200);
      const rows = (pool.body as { customers: PoolEntry[] }).customers;
      expect(JSON.stringify(rows)).not.toMatch(/1[3-9]\d{9}/); // masked
      const departed = rows.find((c) => c.phone === '139****9000')!;
      expect(departed).toMatchObject({ departedPool: true, claimable: false, clause: 'attribution-definition.2.3' });
      const ruled = rows.find((c) => c.phone === '135****5000')!;
      expect(ruled).toMatchObject({ departedPool: false, claimable: true, clause: 'attribution-definition.1.1a' }); // the standard policy's callOwner: a phone contact registers the customer
      expect(ruled.clauseText?.zh.length).toBeGreaterThan(4);

      // The departed pool's customer cannot be claimed; the ruling's can, once.
      expect((await office.as('conA', 'POST', `${P}/pool/claim`, { phone: departed.phone, ref: departed.ref })).status).toBe(403);
      const claim = await office.as('conA', 'POST', `${P}/pool/claim`, { phone: ruled.phone, ref: ruled.ref });
      expect(claim.status).toBe(201);
      expect(claim.body).toMatchObject({ status: 'accepted', phone: PR, clause: 'attribution-definition.1.1a' });
      expect((claim.body as { decisions: unknown[] }).decisions.length).toBeGreaterThan(0);
      const card = (await office.as('conA', 'GET', `${P}/customers/${PR}`)).body as { owner: string; status: string };
      expect(card).toMatchObject({ owner: 'A', status: 'protected' });
      expect((await office.as('conA', 'POST', `${P}/pool/claim`, { phone: ruled.phone, ref: ruled.ref })).status).toBe(404);
      // Only consultants claim; the front desk and channel do not read the pool.
      expect((await office.as('mgr', 'POST', `${P}/pool/claim`, { phone: departed.phone, ref: departed.ref })).status).toBe(403);
      expect((await office.as('desk', 'GET', `${P}/pool`)).status).toBe(403);
      expect((await office.as('chan', 'GET', `${P}/pool`)).status).toBe(403);
    });

    it('a note is the customer’s personal data: erasing the customer erases it, and the chain still verifies', async () => {
      expect(await dumpProject(office.running, P1)).toContain('想看三居');
      const erase = await office.as('mgr', 'POST', `${P}/customers/${PA}/erase`, { reason: '客户要求删除' });
      expect(erase.status).toBe(200);
      expect(await dumpProject(office.running, P1)).not.toContain('想看三居');
      expect(((await office.as('mgr', 'GET', `${P}/verify`)).body as { ok: boolean }).ok).toBe(true);
    });
  });
}
