// Deals in the browser: a consultant on a phone (390 px) records a deposit
// for their customer after seeing the split, its clause and the amount, moves
// it to contract; the manager (1440 px) sees the ledger with the amount; the
// consultant cancels (退房) and the manager's ledger shows the reversal. Both
// screens at both widths without a console error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESK, launch, NO_BROWSER, PHONE, PROJECT, seedOffice, shotPath, signIn, startOffice, watchErrors, type Office } from './harness.ts';

let office: Office;
let browser: Browser;
const UNIT = '5幢1802';

describe.skipIf(NO_BROWSER)('deals and money in the browser', () => {
  beforeAll(async () => {
    office = await startOffice();
    await seedOffice(office);
    const ok = async (path: string, body: unknown) => {
      const r = await office.api<{ status: string }>('POST', `/api/projects/${PROJECT}/${path}`, body);
      if (r.status >= 300 || r.body.status !== 'accepted') throw new Error(`seeding failed: ${path} ${r.status} ${JSON.stringify(r.body)}`);
    };
    await ok('commission-rates', { commission: { roles: { consultant: '0.3%', manager: '0.05%' }, agencies: { 链家地产: '1%' } } });
    await ok('events', { type: 'visit', customer: { phone: '13800138000', name: '王先生' }, receivedBy: 'gw01', says: { firstVisit: true } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });

  it('consultant at 390 px: deposit with the preview, then contract; manager: the ledger with the amount; a cancellation reverses it', async () => {
    const phone = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await signIn(phone, office.url, 'gw01', '/consultant/deals');
    const errors = watchErrors(page);
    await page.getByTestId('new-deposit').click();
    await page.getByTestId('deposit-form').waitFor({ timeout: 20_000 });
    await page.getByTestId('deposit-form').locator('.ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: '王先生' }).click();
    await page.getByTestId('deal-unit').fill(UNIT);
    await page.getByTestId('deal-price').fill('1850000');
    // The split with its clause and the amount, before anything is saved.
    const preview = page.getByTestId('deal-preview');
    await preview.waitFor({ timeout: 20_000 });
    expect(await preview.textContent()).toContain('张伟');
    expect(await preview.textContent()).toContain('业绩 100%');
    expect(await preview.getByTestId('split-amount').textContent()).toBe('¥5,550.00');
    expect(await preview.getByTestId('split-clause').textContent()).toMatch(/\[[a-z0-9-]+\.[0-9A-Za-z.]+\]/);
    const before = await office.api<{ deals: unknown[] }>('GET', `/api/projects/${PROJECT}/ledger/deals`);
    expect(before.body.deals).toHaveLength(0);
    await page.screenshot({ path: shotPath('consultant-deposit.png') });

    await page.getByTestId('deal-save').click();
    const card = page.getByTestId(`deal-${UNIT}`);
    await card.waitFor({ timeout: 20_000 });
    await expect.poll(() => card.getByTestId('deal-stage').textContent(), { timeout: 20_000 }).toBe('认购');
    await card.getByTestId('to-contract').click();
    await card.getByTestId('contract-save').click();
    await expect.poll(() => card.getByTestId('deal-stage').textContent(), { timeout: 20_000 }).toBe('签约');

    // The manager's ledger: the amount per person, with its clause.
    const desk = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const ledger = await signIn(desk, office.url, 'jl01', '/manager/ledger');
    const deskErrors = watchErrors(ledger);
    await expect.poll(() => ledger.getByTestId('total-gw01').textContent(), { timeout: 20_000 }).toContain('¥5,550.00');
    expect(await ledger.getByTestId('ledger-lines').textContent()).toContain('¥5,550.00');
    expect(await ledger.getByTestId('ledger-lines').textContent()).toContain('入账');
    await ledger.screenshot({ path: shotPath('manager-ledger.png'), fullPage: true });

    // The consultant cancels (退房): the unit is free and the credit reversed.
    await card.getByTestId('to-cancel').click();
    await card.getByTestId('cancel-reason').fill('客户贷款未获批');
    await card.getByTestId('cancel-save').click();
    await expect.poll(() => card.getByTestId('deal-stage').textContent(), { timeout: 20_000 }).toBe('已退订');
    expect(await card.getByTestId('deal-reversed').textContent()).toContain('-¥5,550.00');

    await ledger.reload();
    await expect.poll(() => ledger.getByTestId('total-gw01').textContent(), { timeout: 20_000 }).toContain('¥0.00');
    const lines = await ledger.getByTestId('ledger-lines').textContent();
    expect(lines).toContain('退订冲回');
    expect(lines).toContain('-¥5,550.00');
    const units = await office.api<{ deals: { unit: string; stage: string }[] }>('GET', `/api/projects/${PROJECT}/ledger/deals`);
    expect(units.body.deals.map((d) => [d.unit, d.stage])).toEqual([[UNIT, 'cancelled']]);

    // The consultant's own statement (结佣单) of the month, as xlsx from the server.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.getByTestId('my-statement').click()]);
    expect(download.suggestedFilename()).toMatch(/^结佣单-\d{4}-\d{2}\.xlsx$/);

    expect(errors, errors.join('\n')).toEqual([]);
    expect(deskErrors, deskErrors.join('\n')).toEqual([]);
    await phone.close();
    await desk.close();
  });

  it('both screens at 390 px and 1440 px without a console error', async () => {
    for (const [user, path] of [['gw01', '/consultant/deals'], ['jl01', '/manager/ledger'], ['jf01', '/manager/ledger']] as const) {
      for (const viewport of [PHONE, DESK]) {
        const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
        const page = await signIn(ctx, office.url, user, path);
        const errors = watchErrors(page);
        await page.waitForLoadState('networkidle');
        await page.getByTestId(path === '/manager/ledger' ? 'ledger' : 'new-deposit').waitFor({ timeout: 20_000 });
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
        expect(overflow, `${user} ${path} ${viewport.width}px scrolls sideways`).toBeLessThanOrEqual(1);
        expect(errors, `${user} ${path} ${viewport.width}px: ${errors.join('\n')}`).toEqual([]);
        await ctx.close();
      }
    }
  });
});
