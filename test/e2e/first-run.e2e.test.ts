// The first-run screen of a server started without GUISHU_DEMO: the demo
// office loads only for the signed-in admin; the screen says so and leads to
// the sign-in page, and the admin (the first start's password) loads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, DESK, launch, NO_BROWSER, startOffice, type Office } from './harness.ts';

let office: Office;
let browser: Browser;

describe.skipIf(NO_BROWSER)('first run without GUISHU_DEMO', () => {
  beforeAll(async () => {
    office = await startOffice();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });
  it('asks for the admin before loading the demo office, then loads it for the admin', async () => {
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(office.url);
    await page.getByTestId('demo-needs-admin').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('load-demo').isDisabled()).toBe(true);
    await page.getByTestId('sign-in-admin').click();
    await page.getByTestId('username').fill('admin');
    await page.getByTestId('password').fill(ADMIN_PASSWORD);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('load-demo').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('load-demo').isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('demo-needs-admin').count()).toBe(0);
    await page.getByTestId('load-demo').click();
    await page.getByTestId('demo-progress').waitFor({ timeout: 30_000 }); // a progress bar while the month loads
    expect(await page.locator('body').textContent()).not.toMatch(/POST \/api|GUISHU_|docs\//); // no developer wording on the screen
    const status = async () => (await office.api<{ projects: number; loading: { running: boolean; error: string | null } }>('GET', '/api/demo')).body;
    await expect.poll(async () => { const s = await status(); return s.projects === 1 && !s.loading.running; }, { timeout: 150_000, interval: 1000 }).toBe(true);
    expect((await status()).loading.error).toBeNull();
    // no demo accounts on a server not started for a demo
    const jl01 = await fetch(`${office.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'jl01', password: 'guishu-demo' }) });
    expect(jl01.status).toBe(401);
    await ctx.close();
  });
});
