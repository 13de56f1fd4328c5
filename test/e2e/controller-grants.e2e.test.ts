// Issue 11: the developer's controller (甲方) audits the office without asking
// it — the register log and the reports open without a grant, and each past
// read shows in the audit log — and the manager has a screen to grant anyone
// else past-register access, and to revoke it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESK, launch, NO_BROWSER, PROJECT, seedOffice, shotPath, signIn, startOffice, watchErrors, type Office } from './harness.ts';

let office: Office;
let browser: Browser;

describe.skipIf(NO_BROWSER)('the controller and past-register grants', () => {
  beforeAll(async () => {
    office = await startOffice();
    await seedOffice(office);
    // Yesterday's register (a 补登 by the admin), so there is a past day to read.
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const r = await office.api<{ status: string }>('POST', `/api/projects/${PROJECT}/events`, { type: 'visit', at, lateReason: 'e2e: 昨日登记', customer: { phone: '13500001111', name: '昨日客户' }, receivedBy: 'gw01' });
    if (r.status >= 300 || r.body.status !== 'accepted') throw new Error(`seed: ${r.status} ${JSON.stringify(r.body)}`);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });

  it('the controller reads the register log and the reports without a grant; the reads are audited', async () => {
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await signIn(ctx, office.url, 'jf01', '/audit');
    const errors = watchErrors(page);
    await page.getByRole('tab', { name: '登记日志（哈希链）' }).click();
    const log = page.getByTestId('register-log');
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain('昨日客户');
    await page.getByTestId('chain-ok').waitFor({ timeout: 20_000 });
    expect(await page.locator('.ant-alert-error').count()).toBe(0);

    await page.goto(`${office.url}/manager/reports`);
    await page.getByText('每日登记').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.ant-alert-error').count()).toBe(0);

    const audit = await office.api<{ audit: { action: string; user: string }[] }>('GET', `/api/projects/${PROJECT}/audit?limit=1000`);
    expect(audit.body.audit.filter((a) => a.action === 'read-past' && a.user === 'jf01').length).toBeGreaterThan(0);
    await page.goto(`${office.url}/audit`);
    await expect.poll(() => page.getByTestId('audit-table').textContent(), { timeout: 20_000 }).toContain('查看往期登记（甲方）');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the manager grants the front desk past-register access for a window, then revokes it', async () => {
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await signIn(ctx, office.url, 'jl01', '/manager/users');
    const errors = watchErrors(page);
    const yesterday = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
    const deskRotation = async () => {
      const login = await fetch(`${office.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'qt01', password: 'e2e-password-1' }) });
      const token = ((await login.json()) as { token: string }).token;
      return (await fetch(`${office.url}/api/projects/${PROJECT}/rotation?at=${yesterday}`, { headers: { authorization: `Bearer ${token}` } })).status;
    };
    expect(await deskRotation()).toBe(403);

    await page.getByTestId('grant-new').click();
    await page.getByTestId('grant-user').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'qt01' }).click();
    await page.getByTestId('grant-reason').fill('核对上月登记');
    await page.getByTestId('grant-ok').click();
    const table = page.getByTestId('grants-table');
    await expect.poll(() => table.textContent(), { timeout: 20_000 }).toContain('核对上月登记');
    expect(await table.textContent()).toContain('生效中');
    expect(await deskRotation()).toBe(200);
    await page.screenshot({ path: shotPath('manager-grants.png') });

    await table.getByRole('button', { name: '撤 销' }).or(table.getByRole('button', { name: '撤销' })).first().click();
    await expect.poll(() => table.textContent(), { timeout: 20_000 }).toContain('已撤销');
    expect(await deskRotation()).toBe(403);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
