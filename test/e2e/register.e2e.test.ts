// The printable day register ends with the day's closing head, signed by the
// server: the page shows it, and the signature on the page checks against
// the server's public key (GET /api/keys) with nothing but node:crypto.
import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESK, launch, NO_BROWSER, PROJECT, seedOffice, signIn, startOffice, watchErrors, type Office } from './harness.ts';

let office: Office;
let browser: Browser;

describe.skipIf(NO_BROWSER)('the day register', () => {
  beforeAll(async () => {
    office = await startOffice();
    await seedOffice(office);
    await office.api('POST', `/api/projects/${PROJECT}/events`, { type: 'visit', customer: { phone: '13800138111', name: '陈先生' }, receivedBy: 'gw01', says: { firstVisit: true } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await office?.stop();
  });

  it("lists the day's visits and ends with a closing head whose signature verifies", async () => {
    const ctx = await browser.newContext({ viewport: DESK, locale: 'zh-CN' });
    const page = await signIn(ctx, office.url, 'jl01', '/manager/register');
    const errors = watchErrors(page);
    await page.getByTestId('closing-head').waitFor({ timeout: 30_000 });
    await expect.poll(async () => page.getByTestId('day-register').innerText(), { timeout: 15_000 }).toContain('陈先生');
    const text = await page.getByTestId('closing-head').innerText();
    const hash = /[0-9a-f]{64}/.exec(text)?.[0];
    const signature = /[A-Za-z0-9+/]{80,}={0,2}/.exec(text.replace(/\s+/g, ''))?.[0];
    expect(hash).toBeDefined();
    expect(signature).toBeDefined();
    // The same head from the API, and its signature checked here, outside Guishu's code.
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const head = (await office.api<{ events: { seq: number; hash: string; signature: string; signedAt: string; keyId: string; format: string; projectId: string; log: string } }>('GET', `/api/projects/${PROJECT}/head?day=${day}`)).body.events;
    expect(head.hash).toBe(hash);
    const keys = (await fetch(`${office.url}/api/keys`).then((r) => r.json())) as { keys: { keyId: string; publicKeyPem: string }[] };
    const key = createPublicKey(keys.keys.find((k) => k.keyId === head.keyId)!.publicKeyPem);
    const { signature: sig, ...statement } = head;
    const message = JSON.stringify(Object.fromEntries(Object.entries(statement).sort(([a], [b]) => (a < b ? -1 : 1))));
    expect(verify(null, Buffer.from(message), key, Buffer.from(sig, 'base64'))).toBe(true);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
