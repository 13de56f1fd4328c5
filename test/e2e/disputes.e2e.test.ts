// The dispute queue and the reminders, in a real Chromium against the real
// server: a report against a visit surfaces on its own; the manager (1440 px)
// opens it from the queue, reads the evidence and rules the customer to the
// channel agent; the consultant who held the customer (390 px) sees the
// ruling arrive in the bell. No console errors on either screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESK, launch, NO_BROWSER, PHONE, PROJECT, seedOffice, shotPath, signIn, startOffice, watchErrors, type Office } from './harness.ts';

let office: Office;
let browser: Browser;
const CUSTOMER = '13622318807';

describe.skipIf(NO_BROWSER)('dispute queue and reminders', () => {
  beforeAll(async () => {
    office = await startOffice();
    await seedOffice(office);
    // 李娜 takes the customer's call; 渠道小陈 then reports them; they visit and 李娜 keeps them: a report against a visit.
    for (const body of [
      { type: 'call', customer: { phone: CUSTOMER, name: '戴文清' }, staff: 'gw02', direction: 'in' },
      { type: 'report', customer: { phone: CUSTOMER, name: '戴文清' }, staff: 'qd1', expectedAt: Date.now() + 3_600_000 },
      { type: 'visit', customer: { phone: CUSTOMER, name: '戴文清' }, receivedBy: 'gw02' },
    ]) {
      const r = await office.api<{ status: string }>('POST', `/api/projects/${PROJECT}/events`, body);
      if (r.status >= 300 || r.body.status !== 'accepted') throw new Error(`seeding failed: ${r.status} ${JSON.stringify(r.body)}`);
    }
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });

  it('manager opens the queue, the evidence, and rules to a channel agent; the consultant sees the ruling in the bell', async () => {
    // The consultant's phone, open before the ruling: the reminder arrives live.
    const phoneCtx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const consultant = await signIn(phoneCtx, office.url, 'gw02', '/consultant');
    const consultantErrors = watchErrors(consultant);
    await consultant.reload();
    await consultant.getByTestId('bell').waitFor({ timeout: 20_000 });

    const deskCtx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await signIn(deskCtx, office.url, 'jl01', '/manager/disputes');
    const errors = watchErrors(page);
    await page.reload();
    const item = page.getByTestId('dispute-item').filter({ hasText: '报备与到访冲突' });
    await item.first().waitFor({ timeout: 20_000 });
    expect(await item.first().textContent()).toContain('渠道小陈');
    await item.first().getByTestId('dispute-open').click();
    await page.getByTestId('evidence-timeline').waitFor({ timeout: 20_000 });
    await page.getByTestId('chain-ok').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('dispute-owner').textContent(), { timeout: 20_000 }).toBe('李娜');
    expect(await page.getByTestId('evidence-timeline').textContent()).toContain('报备');
    await page.screenshot({ path: shotPath('manager-dispute-queue.png') });

    await page.getByTestId('ruling-owner').click();
    await page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: '渠道小陈' }).click();
    await page.getByTestId('ruling-reason').fill('渠道提供带看前的沟通记录，来电系渠道安排，客户归渠道');
    await page.getByTestId('ruling-submit').click();
    await page.getByText('裁决已记录').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('dispute-owner').textContent(), { timeout: 20_000 }).toBe('渠道小陈');
    // The queue marks the dispute ruled.
    await expect.poll(() => page.getByTestId('dispute-queue').textContent(), { timeout: 20_000 }).toContain('人工改判');

    // The consultant's bell shows the ruling without a reload.
    await expect.poll(() => consultant.getByTestId('bell-count').locator('.ant-badge-count').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await consultant.getByTestId('bell').click();
    const ruling = consultant.getByTestId('bell-item-ruling');
    await ruling.waitFor({ timeout: 20_000 });
    expect(await ruling.textContent()).toContain('渠道小陈');
    expect(await ruling.textContent()).toContain('136****8807');
    await consultant.screenshot({ path: shotPath('consultant-reminders.png') });
    await consultant.getByTestId('bell-read-all').click();
    await expect.poll(() => consultant.getByTestId('bell-count').locator('.ant-badge-count').count(), { timeout: 20_000 }).toBe(0);

    expect(errors).toEqual([]);
    expect(consultantErrors).toEqual([]);
    await deskCtx.close();
    await phoneCtx.close();
  });
});
