// The web app's own read routes are scoped and audited like the customer
// card: the front desk sees masked phones and no names; a consultant only
// their own customers; every answer with full phones leaves one audit row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, TARGETS, warnSkips } from './harness.ts';
import { NAMES, openOffice, P1, PA, PB, PX, PY, type Office, type UserName } from '../auth/fixture.ts';

warnSkips('web routes scope');
afterAll(cleanup);

const FULL_PHONE = /1[3-9]\d{9}/;
type Row = { phone: string; name: string | null; owner?: string | null; agent?: string };

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`web routes scoped like the card on ${target.name}`, () => {
    let office: Office;
    beforeAll(async () => {
      office = await openOffice(target.freshConfig(), { argon: { memoryCost: 4096, timeCost: 1 } });
    });
    afterAll(async () => office?.running.close());

    const get = async (user: UserName, path: string) => {
      const r = await office.as(user, 'GET', `/api/projects/${P1}${path}`);
      expect(r.status, `${user} ${path}`).toBe(200);
      return r.body as unknown as { customers: Row[]; reports: Row[] };
    };
    const auditCount = async () => ((await office.as('mgr', 'GET', `/api/projects/${P1}/audit?limit=1000`)).body as unknown as { audit: { action: string; route: string }[] }).audit.filter((a) => a.action === 'read-phone').length;

    it('GET /customers: the front desk gets masked phones and no names, unaudited', async () => {
      const before = await auditCount();
      const { customers } = await get('desk', '/customers');
      expect(customers.length).toBeGreaterThan(0);
      for (const c of customers) {
        expect(c.phone).not.toMatch(FULL_PHONE);
        expect(c.name).toBeNull();
      }
      expect(await auditCount()).toBe(before);
    });

    it('GET /customers: a consultant gets only their own, in full, and the read is audited', async () => {
      const before = await auditCount();
      const { customers } = await get('conA', '/customers');
      expect(customers.map((c) => c.phone)).toEqual([PA]);
      expect(customers[0]!.name).toBe(NAMES.PA);
      expect(await auditCount()).toBe(before + 1);
      // Asking for a colleague's list gives their own all the same.
      const other = await get('conA', '/customers?owner=B');
      expect(other.customers.map((c) => c.phone)).not.toContain(PB);
    });

    it('GET /customers: a manager gets full phones and names, audited', async () => {
      const before = await auditCount();
      const { customers } = await get('mgr', '/customers');
      expect(customers.map((c) => c.phone)).toEqual(expect.arrayContaining([PA, PB]));
      expect(await auditCount()).toBe(before + 1);
    });

    it('GET /report-details: the front desk masked and unnamed; a channel agent their own as filed (audited); the manager audited', async () => {
      const before = await auditCount();
      const desk = await get('desk', '/report-details');
      expect(desk.reports.length).toBe(2);
      for (const r of desk.reports) {
        expect(r.phone).not.toMatch(FULL_PHONE);
        expect(r.name).toBeNull();
      }
      expect(await auditCount()).toBe(before);
      const chan = await get('chan', '/report-details');
      expect(chan.reports.map((r) => r.phone)).toEqual([PX]);
      expect(chan.reports.map((r) => r.phone)).not.toContain(PY);
      expect(await auditCount()).toBe(before + 1);
      const mgr = await get('mgr', '/report-details');
      expect(mgr.reports.map((r) => r.phone).sort()).toEqual([PX, PY].sort());
      expect(await auditCount()).toBe(before + 2);
    });
  });
}
