// The four journeys of the web app, in a real Chromium against the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESK, launch, NO_BROWSER, PHONE, PROJECT, seedOffice, shotPath, signIn, startOffice, type Office } from './harness.ts';

let office: Office;
let browser: Browser;

describe.skipIf(NO_BROWSER)('web app journeys', () => {
  beforeAll(async () => {
    office = await startOffice();
    await seedOffice(office);
    // Yesterday (a 补登 by the admin): a roster and four visits, a turn each, which today's figures must not count.
    // (The last of them, 赵敏, leaves 张伟 up first today.)
    const yesterday = Date.now() - 86_400_000;
    const late = (i: number) => ({ at: new Date(yesterday + i * 60_000).toISOString(), lateReason: 'e2e: 昨日登记' });
    for (const [path, body] of [
      ['roster', { order: ['gw01', 'gw02', 'gw03', 'gw04'], ...late(0) }],
      ...[1, 2, 3, 4].map((i) => ['events', { type: 'visit', customer: { phone: `1360000000${i}`, name: '昨日客户' }, says: { firstVisit: true }, ...late(i) }] as const),
      ['roster', { order: ['gw01', 'gw02', 'gw03', 'gw04'] }],
    ] as const) {
      const r = await office.api<{ status: string }>('POST', `/api/projects/${PROJECT}/${path}`, body);
      if (r.status >= 300 || r.body.status !== 'accepted') throw new Error(`seeding yesterday failed: ${r.status} ${JSON.stringify(r.body)}`);
    }
    const rot = await office.api<{ turns: Record<string, number> }>('GET', `/api/projects/${PROJECT}/rotation`);
    if (Object.values(rot.body.turns).join() !== '1,1,1,1') throw new Error(`yesterday's turn was not recorded: ${JSON.stringify(rot.body)}`);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });

  it('front desk: arrival → answer with its reason → register → the rotation moves on, live in a second screen', async () => {
    const desk = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const other = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await signIn(desk, office.url, 'qt01', '/front-desk');
    const watcher = await signIn(other, office.url, 'jl01', '/front-desk');
    await expect.poll(() => watcher.getByTestId('rotation-next').textContent(), { timeout: 20_000 }).toContain('张伟');

    await page.getByTestId('phone').fill('138 0013 8000');
    await page.getByTestId('name').fill('王先生');
    await page.getByText('第一次来').click();
    const answer = page.getByTestId('judge-answer');
    await answer.waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('judge-receiver').textContent()).toBe('张伟');
    expect(await page.getByTestId('judge-owner').textContent()).toBe('张伟'); // a new customer belongs to whoever receives them
    expect(await page.getByTestId('judge-clause').textContent()).toMatch(/\[[a-z0-9-]+\.[0-9A-Za-z.]+\]/);
    expect((await page.getByTestId('judge-reason').textContent())!.length).toBeGreaterThan(8);
    expect(await answer.textContent()).toContain('计轮次');
    await page.screenshot({ path: shotPath('front-desk.png') });

    await page.getByTestId('register').click();
    await page.getByTestId('registered').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('registered').textContent()).toContain('张伟');
    // Today's figures count today: 张伟 took one turn today (everyone took one yesterday, which is not today's).
    await expect.poll(() => page.getByTestId('turns-gw01').textContent(), { timeout: 20_000 }).toBe('已接 1');
    await expect.poll(() => page.getByTestId('today-turns').locator('.ant-statistic-content-value').textContent(), { timeout: 20_000 }).toBe('1');
    expect(await page.getByTestId('turns-gw02').textContent()).toBe('已接 0');
    // Both screens: the next one up is now 李娜 (the second screen learns it over SSE).
    await expect.poll(() => page.getByTestId('rotation-next').textContent(), { timeout: 20_000 }).toContain('李娜');
    await expect.poll(() => watcher.getByTestId('rotation-next').textContent(), { timeout: 20_000 }).toContain('李娜');
    await desk.close();
    await other.close();
  });

  it('consultant: sees the new customer with its countdown and logs a follow-up in two taps', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await signIn(ctx, office.url, 'gw01', '/consultant');
    const card = page.getByTestId('customer-13800138000');
    await card.waitFor({ timeout: 20_000 });
    expect(await card.getByTestId('countdown').textContent()).toMatch(/保护期剩 \d+ 天/);
    // One turn today (the front desk's visit), not the two since yesterday.
    await expect.poll(() => page.getByTestId('my-turns-today').locator('.ant-statistic-content-value').textContent(), { timeout: 20_000 }).toBe('1');
    await page.screenshot({ path: shotPath('consultant.png') });
    await card.getByTestId('log-followup').click();
    await card.getByTestId('fu-phone').click();
    await card.getByTestId('fu-effective').click();
    await page.getByText('已记跟进').waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await office.api<{ timeline: { type: string }[] }>('GET', `/api/projects/${PROJECT}/customers/13800138000`)).body.timeline.map((e) => e.type)).toContain('followup');
    await ctx.close();
  });

  it('front desk: a visit without the name the policy requires is not sent; the form says what to fill in', async () => {
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await signIn(ctx, office.url, 'qt01', '/front-desk');
    const nameItem = page.getByTestId('name-item');
    await nameItem.waitFor({ timeout: 20_000 });
    // The standard policy requires the name (registration_required_fields): the field is marked required.
    await expect.poll(() => nameItem.locator('label.ant-form-item-required').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('name').getAttribute('aria-required')).toBe('true');
    const before = (await office.api<{ events: unknown[] }>('GET', `/api/projects/${PROJECT}/events?limit=1000`)).body.events.length;

    await page.getByTestId('phone').fill('135 0000 1234');
    await page.getByText('第一次来').click();
    await page.getByTestId('judge-answer').waitFor({ timeout: 20_000 });
    await page.getByTestId('register').click();
    await expect.poll(() => nameItem.textContent(), { timeout: 10_000 }).toContain('请填写客户姓名');
    expect(await page.locator('body').textContent()).not.toContain('{field}');
    expect(await page.getByTestId('registered').count()).toBe(0);
    // Nothing went to the log: no refused registration to explain later.
    await page.waitForTimeout(500);
    const after = (await office.api<{ events: { event: { customer?: { phone?: string } } }[] }>('GET', `/api/projects/${PROJECT}/events?limit=1000`)).body.events;
    expect(after.length).toBe(before);
    expect(after.filter((e) => e.event.customer?.phone === '13500001234')).toEqual([]);
    await page.screenshot({ path: shotPath('front-desk-name-required.png') });

    // With the name it registers, and the message goes.
    await page.getByTestId('name').fill('孙女士');
    await expect.poll(() => nameItem.textContent(), { timeout: 10_000 }).not.toContain('请填写客户姓名');
    await page.getByTestId('register').click();
    await page.getByTestId('registered').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('registered').textContent()).toContain('孙女士');
    await ctx.close();
  });

  it('channel agent: files a report, the customer arrives, the report shows converted; a duplicate is refused in words', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await signIn(ctx, office.url, 'qd1', '/channel');
    await page.getByTestId('report-name').fill('陈女士');
    await page.getByTestId('report-phone').fill('139***45678');
    await page.getByTestId('report-submit').click();
    await page.getByText('报备成功').waitFor({ timeout: 20_000 });
    const status = page.getByTestId('report-status').first();
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 20_000 }).toBe('valid');
    expect(await status.textContent()).toMatch(/有效（剩 \d+ 天）/);

    // The customer walks in (the front desk registers the visit).
    const visit = await office.api<{ status: string }>('POST', `/api/projects/${PROJECT}/events`, { type: 'visit', customer: { phone: '13912345678', name: '陈女士' }, says: { firstVisit: true } });
    expect(visit.body.status).toBe('accepted');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 30_000 }).toBe('converted');
    expect(await status.textContent()).toContain('已到访');

    await page.getByTestId('report-name').fill('刘先生');
    await page.getByTestId('report-phone').fill('13700001111');
    await page.getByTestId('report-submit').click();
    await page.getByText('报备成功').first().waitFor();
    await page.getByTestId('report-name').fill('刘先生');
    await page.getByTestId('report-phone').fill('13700001111');
    await page.getByTestId('report-submit').click();
    const refused = page.getByTestId('report-refused');
    await refused.waitFor({ timeout: 20_000 });
    expect(await refused.textContent()).toContain('该客户已被报备且仍在有效期内');
    expect(await refused.textContent()).not.toMatch(/duplicate|report-/);
    await page.screenshot({ path: shotPath('channel.png') });
    await ctx.close();
  });

  it('manager rules on a dispute and changes the policy after the what-if preview; the controller sees it in the logs', async () => {
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await signIn(ctx, office.url, 'jl01', '/manager/disputes?phone=13800138000');
    await page.getByTestId('evidence-timeline').waitFor({ timeout: 20_000 });
    await page.getByTestId('chain-ok').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('dispute-owner').textContent()).toBe('张伟');
    await page.getByTestId('ruling-owner').click();
    await page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: '李娜' }).click();
    await page.getByTestId('ruling-reason').fill('经核实客户首次由李娜电话邀约，归李娜');
    await page.getByTestId('ruling-submit').click();
    await page.getByText('裁决已记录').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('dispute-owner').textContent(), { timeout: 20_000 }).toBe('李娜');
    await page.screenshot({ path: shotPath('manager-dispute.png') });

    await page.goto(`${office.url}/manager/policy`);
    const days = page.getByTestId('param-visit_protection_days');
    await days.waitFor({ timeout: 20_000 });
    await days.fill('30');
    expect(await page.getByTestId('apply-policy').isDisabled()).toBe(true); // preview first
    await page.getByTestId('preview').click();
    await page.getByTestId('preview-result').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: shotPath('manager-policy.png') });
    await page.getByTestId('apply-policy').click();
    await page.getByText('新规则已排定').waitFor({ timeout: 20_000 });
    const versions = await office.api<{ policies: { version: number; set: Record<string, unknown> }[] }>('GET', `/api/projects/${PROJECT}/policies`);
    expect(versions.body.policies.at(-1)!.set).toEqual({ visit_protection_days: 30 });
    await ctx.close();

    const audit = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const ap = await signIn(audit, office.url, 'jf01', '/audit');
    await ap.getByTestId('audit-table').waitFor({ timeout: 20_000 });
    await ap.getByRole('tab', { name: '登记日志（哈希链）' }).click();
    const log = ap.getByTestId('register-log');
    await log.waitFor();
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain('制度');
    expect(await log.textContent()).toContain('裁决');
    expect(await log.textContent()).toContain('经核实客户首次由李娜电话邀约');
    await ap.getByTestId('chain-ok').waitFor();
    await ap.screenshot({ path: shotPath('controller-audit.png') });
    await audit.close();
  });
});
