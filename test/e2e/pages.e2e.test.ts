// Every page of every role renders without a console error, on a phone
// (390×844) and on a desktop (1440×900).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESK, launch, NO_BROWSER, PHONE, seedOffice, signIn, startOffice, watchErrors, type Office } from './harness.ts';

let office: Office;
let browser: Browser;

const PAGES: Record<string, string[]> = {
  qt01: ['/front-desk'],
  gw01: ['/consultant', '/consultant/customer?phone=13800138000', '/consultant/call', '/consultant/pool'],
  qd1: ['/channel'],
  jl01: ['/front-desk', '/manager/roster', '/manager/disputes?phone=13800138000', '/manager/policy', '/manager/reports', '/manager/import', '/manager/register', '/manager/users', '/manager/staff', '/audit'],
  jf01: ['/manager/reports', '/manager/disputes?phone=13800138000', '/manager/policy', '/audit'],
};

describe.skipIf(NO_BROWSER)('every page renders without console errors', () => {
  beforeAll(async () => {
    office = await startOffice();
    await seedOffice(office);
    await office.api('POST', '/api/projects/e2e/events', { type: 'visit', customer: { phone: '13800138000', name: '王先生' }, says: { firstVisit: true } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });
  for (const [size, viewport] of [['390x844', PHONE], ['1440x900', DESK]] as const) {
    it(`at ${size}`, async () => {
      const failures: string[] = [];
      for (const [user, paths] of Object.entries(PAGES)) {
        const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
        const first = await signIn(ctx, office.url, user, paths[0]!);
        await first.close();
        for (const path of paths) {
          const page = await ctx.newPage();
          const errors = watchErrors(page);
          await page.goto(`${office.url}${path}`);
          await page.waitForLoadState('networkidle').catch(() => undefined);
          await page.waitForTimeout(800);
          const body = await page.locator('body').innerText();
          if (/TypeError|ReferenceError|at [A-Za-z]+ \(/.test(body)) failures.push(`${user} ${path}: stack trace on the page`);
          for (const e of errors) failures.push(`${user} ${path}: ${e}`);
          await page.close();
        }
        await ctx.close();
      }
      expect(failures).toEqual([]);
    });
  }
  it('the sign-in page and the SPA fallback', async () => {
    const ctx = await browser.newContext({ viewport: PHONE });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${office.url}/some/deep/link`);
    await page.getByTestId('sign-in').waitFor();
    expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
    await ctx.close();
  });
});
