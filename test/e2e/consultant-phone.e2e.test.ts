// The consultant's phone (390×844, and the customer page at 1440×900 too):
// search my customers, open one (the timeline in the project's zone, 补登
// marked), add a note, register an incoming call, claim from the public pool,
// today's turns. The manager at 1440×900: add a consultant to a new team,
// preview a departure (where the customers go), confirm it. No console error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DESK, launch, NO_BROWSER, PHONE, PROJECT, seedOffice, shotPath, signIn, startOffice, watchErrors, type Office } from './harness.ts';

let office: Office;
let browser: Browser;

const WANG = '13800138000'; // gw01's, registered yesterday (a 补登)
const LI = '13900001111'; // gw01's, today, by the rotation
const POOL = '13700002222'; // returned to the pool by a ruling
const GW02S = '13500004444'; // gw02's: goes to the pool when gw02 leaves

describe.skipIf(NO_BROWSER)('the consultant’s phone and the staff screen', () => {
  beforeAll(async () => {
    office = await startOffice();
    await seedOffice(office);
    const yesterday = Date.now() - 86_400_000;
    const post = async (body: Record<string, unknown>) => {
      const r = await office.api<{ status: string }>('POST', `/api/projects/${PROJECT}/events`, body);
      if (r.status >= 300 || r.body.status !== 'accepted') throw new Error(`seeding failed: ${r.status} ${JSON.stringify(r.body)}`);
    };
    await post({ type: 'visit', customer: { phone: WANG, name: '王先生' }, receivedBy: 'gw01', says: { firstVisit: true }, at: new Date(yesterday).toISOString(), lateReason: 'e2e: 昨日纸质登记补录' });
    // Yesterday's turn moved the rotation on: colleagues receive walk-ins until 张伟 is up, then 李女士 comes to him.
    for (let i = 0; i < 4; i++) {
      const next = (await office.api<{ next: string }>('GET', `/api/projects/${PROJECT}/rotation`)).body.next;
      if (next === 'gw01') break;
      await post({ type: 'visit', customer: { phone: `1360000010${i}`, name: '路过客户' }, says: { firstVisit: true } });
    }
    await post({ type: 'visit', customer: { phone: LI, name: '李女士' }, says: { firstVisit: true } });
    await post({ type: 'visit', customer: { phone: POOL, name: '钱先生' }, receivedBy: 'gw03', says: { firstVisit: true } });
    await post({ type: 'ruling', customer: { phone: POOL }, owner: 'none', by: 'jl01', reason: '客户要求更换顾问，退回公客池' });
    await post({ type: 'visit', customer: { phone: GW02S, name: '孙女士' }, receivedBy: 'gw02', says: { firstVisit: true } });
    const li = await office.api<{ owner: string }>('GET', `/api/projects/${PROJECT}/customers/${LI}`);
    if (li.body.owner !== 'gw01') throw new Error(`李女士 should be gw01's (first in the rotation): ${JSON.stringify(li.body)}`);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });

  const noStack = async (page: Page) => expect(await page.locator('body').innerText()).not.toMatch(/TypeError|ReferenceError|at [A-Za-z]+ \(/);

  it('consultant at 390×844: search, a customer page with its timeline, a note, an incoming call, the pool, today’s turns', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await signIn(ctx, office.url, 'gw01', '/consultant');
    const errors = watchErrors(page);

    // Today's turns: what the rotation says for today (李女士 came today by the rotation; 王先生's turn was yesterday).
    const rot = await office.api<{ turnsToday: Record<string, number> }>('GET', `/api/projects/${PROJECT}/rotation`);
    expect(rot.body.turnsToday.gw01).toBe(1);
    await expect.poll(() => page.getByTestId('my-turns-today').locator('.ant-statistic-content-value').textContent(), { timeout: 20_000 }).toBe('1');

    // Search my customers: by name, then by digits of the phone (spaces ignored).
    await page.getByTestId(`customer-${WANG}`).waitFor({ timeout: 20_000 });
    await page.getByTestId('my-search').fill('李');
    await expect.poll(() => page.getByTestId(`customer-${WANG}`).count()).toBe(0);
    expect(await page.getByTestId(`customer-${LI}`).count()).toBe(1);
    await page.getByTestId('my-search').fill('138 0013');
    await page.getByTestId(`customer-${WANG}`).waitFor();
    expect(await page.getByTestId(`customer-${LI}`).count()).toBe(0);

    // The customer page: owner, the reason with its clause, the timeline with the 补登 marked.
    await page.getByTestId(`customer-${WANG}`).getByTestId('open-customer').click();
    await page.waitForURL((u) => u.pathname === '/consultant/customer');
    await page.getByTestId('customer-card').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('customer-card').textContent()).toContain('张伟');
    expect(await page.getByTestId('customer-reason').textContent()).toMatch(/[a-z0-9-]+\.[0-9A-Za-z.]+/);
    const visit = page.getByTestId('entry-visit');
    await visit.waitFor({ timeout: 20_000 });
    expect(await visit.getByTestId('late-tag').textContent()).toContain('补登');
    expect(await visit.textContent()).toContain('昨日纸质登记补录');

    // A note: a follow-up by WeChat with what was said; it shows in the timeline, and the event holds it.
    await page.getByTestId('note-via-wechat').click();
    await page.getByTestId('note-text').fill('想看三居，周末带家人来');
    await page.getByTestId('note-save').click();
    await page.getByText('已记跟进').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('entry-note').first().textContent(), { timeout: 20_000 }).toBe('想看三居，周末带家人来');
    expect(await page.getByTestId('entry-followup').first().textContent()).toContain('微信');
    const log = await office.api<{ events: { event: { type: string; note?: string; via?: string; staff?: string } }[] }>('GET', `/api/projects/${PROJECT}/events?limit=1000`);
    expect(log.body.events.map((e) => e.event).find((e) => e.type === 'followup')).toMatchObject({ note: '想看三居，周末带家人来', via: 'wechat', staff: 'gw01' });
    await page.screenshot({ path: shotPath('consultant-customer.png') });

    // An incoming call from a new number: registered as my call (no time sent), and the caller is mine, with the clause.
    await page.getByTestId('back-to-list').click();
    await page.getByTestId('go-incoming-call').click();
    await page.waitForURL((u) => u.pathname === '/consultant/call');
    await page.getByTestId('call-phone').fill('136 0000 3333');
    await page.getByTestId('call-name').fill('赵先生');
    await page.getByTestId('call-save').click();
    await page.getByTestId('call-answer').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('call-owner').textContent(), { timeout: 20_000 }).toContain('张伟');
    expect(await page.getByTestId('call-clause').textContent()).toMatch(/^[a-z0-9-]+\.[0-9A-Za-z.]+$/);
    const calls = (await office.api<{ events: { recordedAt: string; at: string; late: boolean; event: { type: string; direction?: string; staff?: string } }[] }>('GET', `/api/projects/${PROJECT}/events?limit=1000`)).body.events.filter((e) => e.event.type === 'call');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.event).toMatchObject({ direction: 'in', staff: 'gw01' });
    expect(calls[0]!.late).toBe(false);

    // The public pool: the ruling's customer is claimable (masked until claimed); the claim cites its clause.
    await page.getByTestId('call-open').click();
    await page.getByTestId('customer-card').waitFor();
    await page.goto(`${office.url}/consultant/pool`);
    const row = page.getByTestId('pool-137****2222');
    await row.waitFor({ timeout: 20_000 });
    expect(await page.locator('body').textContent()).not.toContain(POOL);
    await row.getByTestId('pool-claim').click();
    await page.getByTestId('claim-answer').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('claim-clause').textContent()).toMatch(/^[a-z0-9-]+\.[0-9A-Za-z.]+$/);
    expect((await office.api<{ owner: string }>('GET', `/api/projects/${PROJECT}/customers/${POOL}`)).body.owner).toBe('gw01');
    await expect.poll(() => page.getByTestId('pool-137****2222').count(), { timeout: 20_000 }).toBe(0);
    await page.screenshot({ path: shotPath('consultant-pool.png') });
    await noStack(page);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the customer page works at 1440×900 too', async () => {
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await signIn(ctx, office.url, 'gw01', `/consultant/customer?phone=${WANG}`);
    const errors = watchErrors(page);
    await page.getByTestId('customer-timeline').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('entry-note').first().textContent()).toBe('想看三居，周末带家人来');
    await noStack(page);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('manager at 1440×900: adds a consultant to a new team, previews a departure, confirms it', async () => {
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await signIn(ctx, office.url, 'jl01', '/manager/staff');
    const errors = watchErrors(page);
    await page.getByTestId('staff-gw01').waitFor({ timeout: 20_000 });

    await page.getByTestId('staff-name').fill('陈晨');
    await page.getByTestId('staff-id').fill('gw05');
    await page.getByTestId('staff-team').fill('三组');
    await page.getByTestId('staff-add').click();
    await page.getByTestId('staff-gw05').waitFor({ timeout: 20_000 });
    const staff = (await office.api<{ staff: { id: string; name: string; team: string; role: string }[] }>('GET', `/api/projects/${PROJECT}/staff`)).body.staff;
    expect(staff.find((s) => s.id === 'gw05')).toMatchObject({ name: '陈晨', team: '三组', role: 'consultant' });

    // The preview: 孙女士 goes to the pool, citing the policy's clause; nothing is recorded until confirmed.
    const head = async () => (await office.api<{ headSeq: number }>('GET', `/api/projects/${PROJECT}`)).body.headSeq;
    const before = await head();
    await page.getByTestId('leave-gw02').click();
    const preview = page.getByTestId('departure-preview');
    await preview.waitFor({ timeout: 20_000 });
    expect(await preview.textContent()).toContain('公客池');
    expect(await preview.textContent()).toContain('135 0000 4444');
    expect(await preview.getByTestId('goes-to-pool').count()).toBeGreaterThanOrEqual(1); // 孙女士, and any walk-in gw02 received
    expect(await preview.textContent()).toMatch(/attribution-definition\.2\.3/);
    expect(await head()).toBe(before);
    await page.screenshot({ path: shotPath('manager-departure-preview.png') });

    await page.getByTestId('departure-confirm').click();
    await page.getByTestId('left-gw02').waitFor({ timeout: 20_000 });
    const card = (await office.api<{ owner: string; status: string }>('GET', `/api/projects/${PROJECT}/customers/${GW02S}`)).body;
    expect(card).toMatchObject({ owner: 'none', status: 'public' });
    await noStack(page);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
