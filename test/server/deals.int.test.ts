// Deals and money over HTTP, on SQLite and PostgreSQL: a consultant previews
// and records a deposit for their own customer (never someone else's), moves
// it to contract and cancels it; the ledger shows price × rate × share in
// yuan, the cancellation reversed; the unit is free again; the manager
// confirms and corrects; statements as JSON and xlsx; scope and audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, TARGETS, warnSkips } from './harness.ts';
import { openOffice, P1, PA, PB, type Office, type UserName } from '../auth/fixture.ts';

warnSkips('deals and money');
afterAll(cleanup);

interface Line { deal: string; kind: string; amount: string | null; payee: { kind: string; staff?: string; agency?: string }; basis: { clause: string; text: unknown }; month: string; ratePercent: string | null; share: string }
interface DealJson { id: string; stage: string; price: string | null; unit: string | null; customers: { phone: string; name: string | null }[]; commission: Record<string, number>; commissionBasis: { clause: string; text: unknown }; ruled: boolean; cancelled: { reason: string; basis: { clause: string } } | null; lines: Line[] }
interface Recorded { status: string; rejection?: { code: string }; deal: DealJson | null }

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`deals and money on ${target.name}`, () => {
    let office: Office;
    const as = <T,>(user: UserName, method: string, path: string, body?: unknown) => office.as(user, method, `/api/projects/${P1}${path}`, body) as Promise<{ status: number; body: T; type: string; headers: Headers }>;
    let dealId = '';
    let month = '';

    beforeAll(async () => {
      office = await openOffice(target.freshConfig(), { argon: { memoryCost: 4096, timeCost: 1 } });
    });
    afterAll(async () => office?.running.close());

    it('commission rates: the manager sets them (a settings event), a consultant may not', async () => {
      expect((await as('conA', 'POST', '/commission-rates', { commission: { roles: { consultant: '0.5%' } } })).status).toBe(403);
      const r = await as<{ status: string }>('mgr', 'POST', '/commission-rates', { commission: { roles: { consultant: '0.3%', manager: 0.0005 }, agencies: { 链家地产: '1%' } } });
      expect(r.status).toBe(201);
      expect(r.body.status).toBe('accepted');
      const bad = await as<{ code: string }>('mgr', 'POST', '/commission-rates', { commission: { roles: { consultant: '150%' } } });
      expect(bad.status).toBe(400);
      const past = await as<{ code: string }>('mgr', 'POST', '/commission-rates', { commission: { roles: { consultant: '0.4%' } }, effectiveAt: Date.now() - 40 * 86_400_000 });
      expect(past.body.code).toBe('late-reason-required');
      const rates = await as<{ versions: { roles: Record<string, { percent: string }> }[] }>('conA', 'GET', '/commission-rates');
      expect(rates.body.versions.at(-1)!.roles.consultant!.percent).toBe('0.3%');
    });

    it('a consultant previews a deposit for their own customer: split, clause and amount, nothing recorded; another consultant’s customer is refused', async () => {
      const before = (await as<{ deals: DealJson[] }>('mgr', 'GET', '/ledger/deals')).body.deals.length;
      const p = await as<{ ok: boolean; deal: DealJson }>('conA', 'POST', '/deals/preview', { customers: [{ phone: PA }], unit: '5幢1802', price: '1850000' });
      expect(p.status).toBe(200);
      expect(p.body.ok).toBe(true);
      expect(p.body.deal.commission).toEqual({ A: 1 });
      expect(p.body.deal.commissionBasis.clause).toMatch(/^[a-z0-9-]+\.[0-9A-Za-z.]+$/);
      expect(p.body.deal.commissionBasis.text).not.toBeNull();
      expect(p.body.deal.lines.map((l) => [l.payee.staff, l.amount])).toEqual([['A', '5550.00']]);
      expect((await as<{ deals: DealJson[] }>('mgr', 'GET', '/ledger/deals')).body.deals.length).toBe(before);
      const other = await as<{ code: string }>('conA', 'POST', '/deals/preview', { customers: [{ phone: PB }], unit: '5幢1803', price: '1000000' });
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('not-your-customer');
      const asB = await as<{ code: string }>('conA', 'POST', '/deals', { customers: [{ phone: PA }], closedBy: 'B', unit: '5幢1803', price: '1000000' });
      expect(asB.status).toBe(403);
      expect((await as('chan', 'POST', '/deals/preview', { customers: [{ phone: PA }], unit: 'x', price: '1' })).status).toBe(403);
    });

    it('records the deposit dated by the server, moves it to contract at the contract price', async () => {
      const r = await as<Recorded>('conA', 'POST', '/deals', { customers: [{ phone: PA }], unit: '5幢1802', price: '1850000' });
      expect(r.status).toBe(201);
      expect(r.body.status).toBe('accepted');
      dealId = r.body.deal!.id;
      expect(r.body.deal!.stage).toBe('deposit');
      expect(r.body.deal!.customers[0]!.phone).toBe(PA);
      const taken = await as<{ ok: boolean; rejection: { code: string } }>('conA', 'POST', '/deals/preview', { customers: [{ phone: PA }], unit: '5幢1802', price: '1850000' });
      expect(taken.body).toMatchObject({ ok: false, rejection: { code: 'unit-taken' } });
      const c = await as<Recorded>('conA', 'POST', `/deals/${dealId}/contract`, { price: '1848000.00' });
      expect(c.status).toBe(201);
      expect(c.body.deal).toMatchObject({ stage: 'contract', price: '1848000.00' });
      expect(c.body.deal!.lines.map((l) => l.amount)).toEqual(['5544.00']);
    });

    it('the ledger shows amounts per person; a consultant sees only deals they take part in; a channel agent nothing', async () => {
      const m = await as<{ lines: Line[]; months: string[]; totals: { staff: { staff: string; total: string }[] } }>('mgr', 'GET', '/ledger');
      expect(m.status).toBe(200);
      month = m.body.months[0]!;
      const mine = m.body.lines.filter((l) => l.deal === dealId);
      expect(mine.map((l) => [l.kind, l.payee.staff, l.ratePercent, l.share, l.amount])).toEqual([['credit', 'A', '0.3%', '1', '5544.00']]);
      expect(m.body.totals.staff.find((t) => t.staff === 'A')!.total).toBe('5544.00');
      const monthly = await as<{ lines: Line[] }>('mgr', 'GET', `/ledger?month=${month}`);
      expect(monthly.body.lines.length).toBe(m.body.lines.length);
      expect((await as('mgr', 'GET', '/ledger?month=2025-13')).status).toBe(400);
      const a = await as<{ lines: Line[]; totals: { staff: { staff: string }[] } }>('conA', 'GET', '/ledger');
      expect(a.status).toBe(200);
      expect(a.body.totals.staff.map((t) => t.staff)).toEqual(['A']);
      expect((await as('chan', 'GET', '/ledger')).status).toBe(403);
      expect((await as('desk', 'GET', '/ledger')).status).toBe(403);
    });

    it('a cancellation (退房) frees the unit and reverses the credit on its own day, citing the clause', async () => {
      expect((await as('conA', 'POST', `/deals/${dealId}/cancel`, {})).status).toBe(400);
      const x = await as<Recorded>('conA', 'POST', `/deals/${dealId}/cancel`, { reason: '客户贷款未获批' });
      expect(x.status).toBe(201);
      expect(x.body.deal!.stage).toBe('cancelled');
      expect(x.body.deal!.cancelled!.basis.clause).toBe('standard:default');
      const lines = (await as<{ lines: Line[] }>('mgr', 'GET', '/ledger')).body.lines.filter((l) => l.deal === dealId);
      expect(lines.map((l) => [l.kind, l.amount])).toEqual([['credit', '5544.00'], ['reversal', '-5544.00']]);
      expect(lines[1]!.basis.clause).toBe('standard:default');
      const totals = (await as<{ totals: { staff: { staff: string; total: string }[] } }>('mgr', 'GET', '/ledger')).body.totals.staff;
      expect(totals.find((t) => t.staff === 'A')!.total).toBe('0.00');
      const again = await as<Recorded>('conA', 'POST', `/deals/${dealId}/contract`, {});
      expect(again.body.rejection?.code).toBe('deal-cancelled');
      // The unit is free: the front desk records B's deposit on it.
      const b = await as<Recorded>('desk', 'POST', '/deals', { customers: [{ phone: PB }], closedBy: 'B', unit: '5幢1802', price: '1850000' });
      expect(b.body.status).toBe('accepted');
      // A consultant who takes no part may not cancel B's deal.
      expect((await as<{ code: string }>('conA', 'POST', `/deals/${b.body.deal!.id}/cancel`, { reason: 'x' })).body.code).toBe('not-your-deal');
    });

    it('the manager confirms a split (a ruling) and corrects a price (a correction); a consultant may do neither', async () => {
      const deals = (await as<{ deals: DealJson[] }>('mgr', 'GET', '/ledger/deals')).body.deals;
      const bDeal = deals.find((d) => d.customers[0]!.phone === PB)!;
      expect((await as('conA', 'POST', `/deals/${bDeal.id}/confirm`, {})).status).toBe(403);
      const c = await as<{ status: string; deal: DealJson }>('mgr', 'POST', `/deals/${bDeal.id}/confirm`, {});
      expect(c.status).toBe(201);
      expect(c.body.status).toBe('accepted');
      expect(c.body.deal.ruled).toBe(true);
      expect(c.body.deal.commission).toEqual({ B: 1 });
      expect((await as('mgr', 'POST', `/deals/${bDeal.id}/correct`, { set: { price: '1800000' } })).status).toBe(400);
      const k = await as<{ status: string; deal: DealJson }>('mgr', 'POST', `/deals/${bDeal.id}/correct`, { set: { price: '1800000' }, reason: '合同价录入错误' });
      expect(k.body.status).toBe('accepted');
      expect(k.body.deal.price).toBe('1800000');
      expect(k.body.deal.lines[0]!.amount).toBe('5400.00');
    });

    it('a consultant sees their deals with their own customer in full and others masked; managers’ reads are audited', async () => {
      const audit = async () => ((await office.as('mgr', 'GET', `/api/projects/${P1}/audit?limit=1000`)).body as unknown as { audit: { action: string }[] }).audit;
      const before = (await audit()).filter((a) => a.action === 'read-phone').length;
      const a = await as<{ deals: DealJson[] }>('conA', 'GET', '/ledger/deals');
      expect(a.body.deals.every((d) => d.customers.every((c) => c.phone !== PB))).toBe(true);
      expect(JSON.stringify(a.body)).not.toContain(PB);
      await as('mgr', 'GET', '/ledger/deals');
      expect((await audit()).filter((x) => x.action === 'read-phone').length).toBeGreaterThan(before);
    });

    it('a month’s statement (结佣单) per consultant and per agency, as JSON and xlsx (audited); a consultant only their own', async () => {
      const j = await as<{ total: string; lines: Line[] }>('conA', 'GET', `/statement?month=${month}&staff=A`);
      expect(j.status).toBe(200);
      expect(j.body.total).toBe('0.00');
      expect(j.body.lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['credit', 'reversal']));
      expect((await as('conA', 'GET', `/statement?month=${month}&staff=B`)).status).toBe(403);
      const b = await as<{ total: string }>('mgr', 'GET', `/statement?month=${month}&staff=B`);
      expect(b.body.total).toBe('5400.00');
      const g = await as<{ total: string }>('mgr', 'GET', `/statement?month=${month}&agency=${encodeURIComponent('链家地产')}`);
      expect(g.status).toBe(200);
      expect((await as('mgr', 'GET', `/statement?month=${month}`)).status).toBe(400);
      const res = await fetch(`${office.base}/api/projects/${P1}/statement?month=${month}&staff=B&format=xlsx`, { headers: { authorization: `Bearer ${office.tokens.get('mgr')}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 2).toString()).toBe('PK');
      const ExcelJS = (await import('exceljs')).default;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as never);
      const ws = wb.getWorksheet('结佣单')!;
      const values: unknown[] = [];
      ws.eachRow((r) => values.push(...(r.values as unknown[])));
      expect(values).toContain(5400);
      expect(values).toContain('入账');
      const audit = ((await office.as('mgr', 'GET', `/api/projects/${P1}/audit?limit=1000`)).body as unknown as { audit: { action: string }[] }).audit;
      expect(audit.some((a) => a.action === 'export')).toBe(true);
    });
  });
}
