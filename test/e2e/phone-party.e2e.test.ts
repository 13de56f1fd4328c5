// Issue 11, in the browser: the channel form takes the mask shape and the name
// rule of the policy in force (channel-sms-report: 前三后五) and refuses a mask
// of another shape in the preset's words; +86, spaces, dashes and full-width
// digits are one phone. The front desk sees each companion of a party judged
// on their own before registering, and a companion under a valid report goes
// to the agent, whose report then shows converted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESK, launch, NO_BROWSER, PHONE, PROJECT, seedOffice, shotPath, signIn, startOffice, watchErrors, type Office } from './harness.ts';

let office: Office;
let browser: Browser;

describe.skipIf(NO_BROWSER)('phones and parties in the browser', () => {
  beforeAll(async () => {
    office = await startOffice();
    await seedOffice(office);
    // The office runs channel-sms-report's rulebook: masked reports show the first 3 and last 5 digits (2c).
    const p = await office.api<{ status: string }>('POST', `/api/projects/${PROJECT}/policies`, { preset: 'channel-sms-report', effectiveAt: new Date(Date.now() - 1000).toISOString(), by: 'jl01' });
    if (p.status >= 300 || p.body.status !== 'accepted') throw new Error(`policy: ${p.status} ${JSON.stringify(p.body)}`);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });

  it("channel form: a mask of the wrong shape is refused in the preset's words, the right shape and full-width digits are filed", async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await signIn(ctx, office.url, 'qd1', '/channel');
    const errors = watchErrors(page);
    const item = page.getByTestId('report-phone-item');
    await expect.poll(() => item.textContent(), { timeout: 20_000 }).toContain('前三后五');
    await page.getByTestId('report-name').fill('陈女士');
    await page.getByTestId('report-phone').fill('138****8888');
    await page.getByTestId('report-submit').click();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('隐号须为前三后五（如 138***88888）');
    const none = await office.api<{ reports: unknown[] }>('GET', `/api/projects/${PROJECT}/reports`);
    expect(none.body.reports).toHaveLength(0);

    await page.getByTestId('report-phone').fill('138***88888');
    await page.getByTestId('report-submit').click();
    await page.getByText('报备成功').first().waitFor({ timeout: 20_000 });

    await page.getByTestId('report-name').fill('刘');
    await page.getByTestId('report-phone').fill('＋８６ １３９－００００－１１１１');
    await page.getByTestId('report-submit').click();
    await expect.poll(async () => (await office.api<{ reports: { phone?: string | null }[] }>('GET', `/api/projects/${PROJECT}/reports`)).body.reports.length, { timeout: 20_000 }).toBe(2);
    await page.getByTestId('report-phone').fill('139.0000.1111');
    await page.getByTestId('report-submit').click();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toContain('手机号只能由数字、空格、短横线组成');
    await page.screenshot({ path: shotPath('channel-mask.png') });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('front desk: each companion judged before registering; the reported one goes to the agent and the report converts', async () => {
    // 李娜's customer, and a friend the agent reported in full.
    const ok = async (body: unknown) => {
      const r = await office.api<{ status: string }>('POST', `/api/projects/${PROJECT}/events`, body);
      if (r.status >= 300 || r.body.status !== 'accepted') throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    };
    await ok({ type: 'visit', customer: { phone: '13600002222', name: '秦先生' }, receivedBy: 'gw02' });
    await ok({ id: 'r-friend', type: 'report', customer: { phone: '13600003333', name: '楚' }, staff: 'qd1', expectedAt: new Date(Date.now() + 3_600_000).toISOString() });

    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await signIn(ctx, office.url, 'qt01', '/front-desk');
    const errors = watchErrors(page);
    await page.getByTestId('phone').fill('+86 136-0000-2222');
    await page.getByTestId('name').fill('秦先生');
    await page.getByTestId('add-companion').click();
    await page.getByTestId('party-phone-0').fill('１３６ ００００ ３３３３');
    await page.getByTestId('add-companion').click();
    await page.getByTestId('party-phone-1').fill('136 0000 4444');
    const answers = page.getByTestId('party-answers');
    await answers.waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('judge-owner').textContent()).toBe('李娜');
    await expect.poll(() => page.getByTestId('party-answer-report').textContent(), { timeout: 20_000 }).toContain('渠道小陈');
    expect(await page.getByTestId('party-answer-report').textContent()).toContain('channel-sms-report.2a');
    expect(await page.getByTestId('party-answer-follows').textContent()).toContain('李娜');
    expect(await page.getByTestId('party-warning').textContent()).toContain('1 位同行人不随主客户');
    await page.screenshot({ path: shotPath('front-desk-party.png') });

    await page.getByTestId('register').click();
    await page.getByTestId('registered').waitFor({ timeout: 20_000 });
    const card = await office.api<{ owner: string }>('GET', `/api/projects/${PROJECT}/customers/13600003333`);
    expect(card.body.owner).toBe('qd1');
    const reports = await office.api<{ reports: { id: string; status: string }[] }>('GET', `/api/projects/${PROJECT}/reports`);
    expect(reports.body.reports.find((r) => r.id === 'r-friend')?.status).toBe('converted');
    const fresh = await office.api<{ owner: string }>('GET', `/api/projects/${PROJECT}/customers/13600004444`);
    expect(fresh.body.owner).toBe('gw02');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
