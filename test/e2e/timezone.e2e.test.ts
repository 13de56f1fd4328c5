// Every time a person reads is in the project's time zone: an office in Los
// Angeles, read from a browser in Tokyo on a machine in UTC, shows Los Angeles
// wall-clock times in the evidence timeline (with the 补登's 录入于) and the
// audit log — never UTC, never the browser's zone, never Asia/Shanghai.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESK, launch, NO_BROWSER, PASSWORD, signIn, startOffice, type Office } from './harness.ts';

const PROJECT = 'la';
const ZONE = 'America/Los_Angeles';
const PHONE = '13900001111';

/** `YYYY-MM-DD HH:mm` (and `:ss` with seconds) of an instant in a zone, as the screens write it. */
function wall(iso: string, zone: string, seconds = false): string {
  const p: Record<string, string> = {};
  for (const x of new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso))) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

let office: Office;
let browser: Browser;

describe.skipIf(NO_BROWSER)("times in the project's zone", () => {
  beforeAll(async () => {
    office = await startOffice();
    const ok = async <T,>(p: Promise<{ status: number; body: T }>) => {
      const r = await p;
      if (r.status >= 300) throw new Error(`seed failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await ok(office.api('POST', '/api/projects', { id: PROJECT, name: '洛杉矶案场', preset: 'standard', timezone: ZONE }));
    for (const s of [{ staff: 'jl01', name: '周经理', role: 'manager' }, { staff: 'gw01', name: '张伟', role: 'consultant' }, { staff: 'jf01', name: '甲方审计', role: 'controller' }]) {
      await ok(office.api('POST', `/api/projects/${PROJECT}/staff`, s));
      if (s.role === 'consultant') continue;
      const u = await ok(office.api<{ id: string }>('POST', '/api/users', { username: s.staff, password: PASSWORD, displayName: s.name }));
      await ok(office.api('PUT', `/api/projects/${PROJECT}/roles/${u.id}`, { role: s.role, staff: s.staff }));
      if (s.role === 'controller') await ok(office.api('POST', `/api/projects/${PROJECT}/grants`, { user: u.id, from: Date.now() - 365 * 86_400_000, until: Date.now() + 30 * 86_400_000, reason: '甲方季度审计' }));
    }
    // A visit three hours ago, registered now (a 补登): the timeline shows both times.
    const at = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const v = await ok(office.api<{ status: string }>('POST', `/api/projects/${PROJECT}/events`, { type: 'visit', customer: { phone: PHONE, name: '洛先生' }, receivedBy: 'gw01', says: { firstVisit: true }, at, lateReason: 'e2e: 补登' }));
    if (v.status !== 'accepted') throw new Error(`visit: ${JSON.stringify(v)}`);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });

  it('the evidence timeline: the visit and its 录入于 in Los Angeles time', async () => {
    const card = (await office.api<{ timeline: { type: string; at: string; recordedAt: string }[] }>('GET', `/api/projects/${PROJECT}/customers/${PHONE}`)).body;
    const visit = card.timeline.find((e) => e.type === 'visit')!;
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN', timezoneId: 'Asia/Tokyo' });
    const page = await signIn(ctx, office.url, 'jl01', `/manager/disputes?phone=${PHONE}`);
    const timeline = page.getByTestId('evidence-timeline');
    await expect.poll(() => timeline.textContent(), { timeout: 20_000 }).toContain(wall(visit.at, ZONE));
    const text = (await timeline.textContent())!;
    expect(text).toContain(`录入于 ${wall(visit.recordedAt, ZONE)}`);
    for (const other of ['UTC', 'Asia/Tokyo', 'Asia/Shanghai']) {
      expect(text).not.toContain(wall(visit.at, other));
      expect(text).not.toContain(wall(visit.recordedAt, other));
    }
    await ctx.close();
  });

  it('the audit log and the register log: Los Angeles time', async () => {
    const audit = (await office.api<{ audit: { at: string }[] }>('GET', `/api/projects/${PROJECT}/audit?limit=1000`)).body.audit;
    expect(audit.length).toBeGreaterThan(0);
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN', timezoneId: 'Asia/Tokyo' });
    const page = await signIn(ctx, office.url, 'jf01', '/audit');
    await page.getByTestId('audit-table').waitFor({ timeout: 20_000 });
    const first = page.getByTestId('audit-at').first();
    await first.waitFor({ timeout: 20_000 });
    // The table lists the newest first; the controller's own sign-in may add rows after the API read: any row's time must match one of the log's.
    const shown = await page.getByTestId('audit-at').allTextContents();
    const after = (await office.api<{ audit: { at: string }[] }>('GET', `/api/projects/${PROJECT}/audit?limit=1000`)).body.audit;
    const expected = new Set(after.map((r) => wall(r.at, ZONE, true)));
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) expect(expected).toContain(s);
    for (const r of after) expect(shown).not.toContain(wall(r.at, 'UTC', true));

    await page.getByRole('tab', { name: '登记日志（哈希链）' }).click();
    const log = page.getByTestId('register-log');
    await log.waitFor();
    const events = (await office.api<{ events: { at: string; type: string }[] }>('GET', `/api/projects/${PROJECT}/events?limit=100`)).body.events;
    const visit = events.find((e) => e.type === 'visit')!;
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain(wall(visit.at, ZONE));
    expect(await log.textContent()).not.toContain(wall(visit.at, 'UTC'));
    await ctx.close();
  });
});
