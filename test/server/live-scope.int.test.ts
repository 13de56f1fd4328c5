// The live stream is scoped like the customer card. Every role's stream is
// opened, the office records visits, calls and an alert about customers of
// different consultants, and every message each stream carried is checked:
// no full phone on any stream; a name only where the card would show it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, TARGETS, warnSkips } from './harness.ts';
import { NAMES, openOffice, P1, PA, type Office, type UserName } from '../auth/fixture.ts';
import { openStream, type Message } from './sse.ts';

warnSkips('live stream scope');
afterAll(cleanup);

/** Opens the stream as `user`; `stop()` ends it and returns every message it carried. */
const watch = (office: Office, user: UserName) => openStream(office.base, `/api/projects/${P1}/live`, office.tokens.get(user)!);

const FULL_PHONE = /1[3-9]\d{9}/;

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`live stream scope on ${target.name}`, () => {
    let office: Office;
    beforeAll(async () => {
      office = await openOffice(target.freshConfig(), { argon: { memoryCost: 4096, timeCost: 1 } });
    });
    afterAll(async () => office?.running.close());

    it('no stream carries a full phone; names reach only those whose card shows them', async () => {
      const viewers: UserName[] = ['mgr', 'ctl', 'desk', 'conA'];
      const streams = new Map<UserName, Awaited<ReturnType<typeof watch>>>();
      for (const v of viewers) streams.set(v, await watch(office, v));
      const ok = async (user: UserName, body: unknown) => {
        const r = await office.as(user, 'POST', `/api/projects/${P1}/events`, body);
        expect(r.status, JSON.stringify(r.body)).toBe(201);
      };
      // B's new customer (a colleague's, for A); A's own customer returns; B calls A's customer (an alert about PA).
      await ok('desk', { type: 'visit', customer: { phone: '13512345678', name: '钱先生' }, receivedBy: 'B', says: { firstVisit: true } });
      await ok('desk', { type: 'visit', customer: { phone: PA, name: NAMES.PA }, receivedBy: 'A' });
      await ok('mgr', { type: 'call', customer: { phone: PA }, staff: 'B', direction: 'out' });
      // Let the streams deliver.
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && !(streams.get('mgr')!.text().includes('event: alert'))) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      const seen = new Map<UserName, Message[]>();
      for (const [v, s] of streams) seen.set(v, await s.stop());

      for (const [v, messages] of seen) {
        expect(messages.some((m) => m.event === 'arrival'), `${v} saw arrivals`).toBe(true);
        for (const m of messages) expect(JSON.stringify(m.data), `${v} ${m.event}`).not.toMatch(FULL_PHONE);
      }
      const arrivalNames = (v: UserName) => seen.get(v)!.filter((m) => m.event === 'arrival').map((m) => m.data.name);
      expect(arrivalNames('mgr')).toEqual(expect.arrayContaining(['钱先生', NAMES.PA]));
      expect(arrivalNames('ctl')).toEqual(expect.arrayContaining(['钱先生', NAMES.PA]));
      expect(arrivalNames('desk').every((n) => n === null)).toBe(true);
      // A sees the name of their own customer, not of B's.
      expect(arrivalNames('conA')).toContain(NAMES.PA);
      expect(arrivalNames('conA')).not.toContain('钱先生');
      // The alert (B called A's customer) reaches the manager, masked; not the front desk, not A.
      const alerts = (v: UserName) => seen.get(v)!.filter((m) => m.event === 'alert');
      expect(alerts('mgr').length).toBeGreaterThan(0);
      expect(String(alerts('mgr')[0]!.data.customer)).toMatch(/\*/);
      expect(alerts('desk')).toEqual([]);
      expect(alerts('conA')).toEqual([]);
    });
  });
}
