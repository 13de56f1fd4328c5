// The server's clock is the time of record. Staff cannot date an event
// outside a small skew of it (the forged visit slip); a manager registers a
// past event (补登) only with a reason, and it shows as late with both times;
// nobody records an event in the future.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, TARGETS, warnSkips } from './harness.ts';
import { openOffice, P1, PA, type Office } from '../auth/fixture.ts';

warnSkips('time of record');
afterAll(cleanup);

const MIN = 60_000;
const DAY = 86_400_000;

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`time of record on ${target.name}`, () => {
    let office: Office;
    let phoneN = 0;
    const phone = () => `1865555${String(1000 + ++phoneN)}`;
    const head = async () => Number((await as('mgr', 'GET', `/api/projects/${P1}`)).body.headSeq);
    type Card = { protectedUntil: string | null; timeline: { id: string; late: boolean; recordedAt: string; recordedLocal: string; lateReason: string | null }[] };

    const as = (...args: Parameters<Office['as']>) => office.as(...args) as unknown as Promise<{ status: number; body: Record<string, unknown> }>;
    beforeAll(async () => {
      office = await openOffice(target.freshConfig(), { argon: { memoryCost: 4096, timeCost: 1 } });
    });
    afterAll(async () => office?.running.close());

    it('a consultant cannot record a call in 2099: refused naming `at`, nothing recorded, no protection to 2099', async () => {
      const before = await head();
      const r = await as('conA', 'POST', `/api/projects/${P1}/events`, { type: 'call', customer: { phone: PA }, staff: 'A', direction: 'out', at: '2099-01-01 10:00' });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'at-in-future', field: 'at' });
      expect(await head()).toBe(before);
      const card = await as('mgr', 'GET', `/api/projects/${P1}/customers/${PA}`) as unknown as { body: Card };
      expect(String(card.body.protectedUntil ?? '')).not.toMatch(/^2099/);
    });

    it('the front desk cannot register a visit two days ago ahead of a colleague’s real one', async () => {
      const p = phone();
      const before = await head();
      const r = await as('desk', 'POST', `/api/projects/${P1}/events`, { type: 'visit', customer: { phone: p, name: '周先生' }, receivedBy: 'A', at: Date.now() - 2 * DAY, says: { firstVisit: true } });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'at-outside-window', field: 'at' });
      expect(await head()).toBe(before);
      // Even with a reason: 补登 is a manager's.
      const withReason = await as('desk', 'POST', `/api/projects/${P1}/events`, { type: 'visit', customer: { phone: p }, receivedBy: 'A', at: Date.now() - 2 * DAY, lateReason: '忘记登记' });
      expect(withReason.body).toMatchObject({ code: 'at-outside-window' });
    });

    it('staff times within the skew stand; no `at` means the server’s clock', async () => {
      const p = phone();
      const fiveAgo = Date.now() - 5 * MIN;
      const r = await as('desk', 'POST', `/api/projects/${P1}/events`, { id: 'in-skew', type: 'visit', customer: { phone: p, name: '吴女士' }, receivedBy: 'B', at: fiveAgo, says: { firstVisit: true } });
      expect(r.status).toBe(201);
      const e = await as('mgr', 'GET', `/api/projects/${P1}/events/in-skew`);
      expect(Date.parse(String(e.body.at))).toBe(fiveAgo);
      expect(e.body.late).toBe(false);
      const t0 = Date.now();
      const n = await as('conA', 'POST', `/api/projects/${P1}/events`, { id: 'no-at', type: 'followup', customer: { phone: PA }, staff: 'A', via: 'phone' });
      expect(n.status).toBe(201);
      const f = await as('mgr', 'GET', `/api/projects/${P1}/events/no-at`);
      expect(Math.abs(Date.parse(String(f.body.at)) - t0)).toBeLessThan(5_000);
      // One minute ahead (a desk clock running fast) is within the skew; three is not.
      expect((await as('desk', 'POST', `/api/projects/${P1}/events`, { type: 'visit', customer: { phone: phone() }, receivedBy: 'B', at: Date.now() + MIN })).status).toBe(201);
      expect((await as('desk', 'POST', `/api/projects/${P1}/events`, { type: 'visit', customer: { phone: phone() }, receivedBy: 'B', at: Date.now() + 3 * MIN })).body).toMatchObject({ code: 'at-in-future', field: 'at' });
    });

    it('every registering route keeps the rule: status, roster, staff', async () => {
      const old = Date.now() - DAY;
      expect((await as('conA', 'POST', `/api/projects/${P1}/status`, { staff: 'A', state: 'busy', at: old })).body).toMatchObject({ code: 'at-outside-window', field: 'at' });
      expect((await as('desk', 'POST', `/api/projects/${P1}/roster`, { order: ['A', 'B'], at: old })).body).toMatchObject({ code: 'at-outside-window', field: 'at' });
      expect((await as('mgr', 'POST', `/api/projects/${P1}/staff`, { staff: 'Z', at: old })).body).toMatchObject({ code: 'late-reason-required', field: 'lateReason' });
      expect((await as('mgr', 'POST', `/api/projects/${P1}/staff`, { staff: 'Z', at: Date.now() + DAY, lateReason: 'x' })).body).toMatchObject({ code: 'at-in-future', field: 'at' });
    });

    it('a manager registers a past visit only with a reason, and it shows as late with both times', async () => {
      const p = phone();
      const twoDaysAgo = Date.now() - 2 * DAY;
      const refused = await as('mgr', 'POST', `/api/projects/${P1}/events`, { type: 'visit', customer: { phone: p, name: '郑先生' }, receivedBy: 'A', at: twoDaysAgo, says: { firstVisit: true } });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'late-reason-required', field: 'lateReason' });
      const ok = await as('mgr', 'POST', `/api/projects/${P1}/events`, { id: 'late-visit', type: 'visit', customer: { phone: p, name: '郑先生' }, receivedBy: 'A', at: twoDaysAgo, says: { firstVisit: true }, lateReason: '前台系统故障，纸质登记补录' });
      expect(ok.status).toBe(201);
      const e = await as('mgr', 'GET', `/api/projects/${P1}/events/late-visit`);
      expect(e.body).toMatchObject({ late: true, lateReason: '前台系统故障，纸质登记补录' });
      expect(Date.parse(String(e.body.recordedAt)) - Date.parse(String(e.body.at))).toBeGreaterThan(DAY);
      const card = await as('mgr', 'GET', `/api/projects/${P1}/customers/${p}`) as unknown as { body: Card };
      const entry = card.body.timeline.find((x) => x.id === 'late-visit');
      expect(entry).toMatchObject({ late: true, lateReason: '前台系统故障，纸质登记补录' });
      expect(entry?.recordedLocal).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      // The one recorded on time is not late.
      const onTime = ((await as('mgr', 'GET', `/api/projects/${P1}/customers/${PA}`)) as unknown as { body: Card }).body.timeline;
      expect(onTime.every((x) => x.late === false)).toBe(true);
    });

    it('a policy version taking effect in the past is 补登 too; a future one is scheduled freely', async () => {
      const past = await as('mgr', 'POST', `/api/projects/${P1}/policies`, { preset: 'standard', effectiveAt: Date.now() - 3 * DAY });
      expect(past.body).toMatchObject({ code: 'late-reason-required', field: 'lateReason' });
      const future = await as('mgr', 'POST', `/api/projects/${P1}/policies`, { preset: 'standard', effectiveAt: Date.now() + 3 * DAY });
      expect(future.status).toBe(201);
    });
  });
}
