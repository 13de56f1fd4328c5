// Issue 11: the policy editor speaks words, not identifiers — every parameter,
// field and option labelled (Chinese, English in English mode) with a one-line
// explanation, and each clause cited with its rulebook's title.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESK, launch, NO_BROWSER, seedOffice, shotPath, signIn, startOffice, watchErrors, type Office } from './harness.ts';
import { PARAMETER_IDS } from '../../src/domain/policy/index.ts';

let office: Office;
let browser: Browser;

const RAW = [...PARAMETER_IDS, 'ownership', 'last_in_rotation', 'performance_owner_commission_5_5', 'look_up_in_crm', 'first_in_queue', 'earliest_contact_either_channel', 'directions_call_owns', 'validity_days'];

describe.skipIf(NO_BROWSER)('the policy editor in words', () => {
  beforeAll(async () => {
    office = await startOffice();
    await seedOffice(office);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });

  for (const lang of ['zh', 'en'] as const) {
    it(`shows labels, explanations and rulebook titles, no identifiers (${lang})`, async () => {
      const ctx = await browser.newContext({ viewport: DESK, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
      // The app's language switch is remembered in localStorage (web/src/lib/i18n.tsx); set it before the app loads.
      await ctx.addInitScript({ content: `localStorage.setItem('guishu.lang', ${JSON.stringify(lang)})` });
      const page = await signIn(ctx, office.url, 'jl01', '/manager/policy');
      const errors = watchErrors(page);
      const label = page.getByTestId('label-absent_owner_receiver');
      await label.waitFor({ timeout: 20_000 });
      expect(await label.textContent()).toBe(lang === 'zh' ? '原顾问不在时由谁接待' : 'Who receives when the owner is away');
      expect(await page.getByTestId('hint-absent_owner_receiver').textContent()).toContain(lang === 'zh' ? '轮排的最后一位' : 'last consultant');
      expect(await page.getByTestId('clause-absent_owner_receiver').textContent()).toContain(lang === 'zh' ? '《房地产客户判定制度（第一来访登记）》' : 'first-visit registration');
      expect(await page.getByTestId('field-call_protection_days.ownership').textContent()).toBe(lang === 'zh' ? '来电是否产生归属' : 'A call makes an owner');
      const text = (await page.locator('main, body').first().innerText()).replace(/[a-z0-9-]+\.[0-9A-Za-z.]+|[a-z0-9-]+:default/g, '');
      // In English, words like `ownership` are prose: there the identifiers are the ones with an underscore.
      for (const raw of RAW.filter((r) => lang === 'zh' || r.includes('_'))) expect(text, raw).not.toContain(raw);
      await page.screenshot({ path: shotPath(`manager-policy-words-${lang}.png`), fullPage: false });
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }
});
