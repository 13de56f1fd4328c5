// The e2e harness: the real server (`node bin/guishu.js start`) on a fresh
// SQLite folder and a free port, seeded over the HTTP API as the bootstrap
// admin, and Chromium driven by playwright-core: the system's (Debian's
// /usr/bin/chromium in CI) or else the one the npm package @sparticuz/chromium
// ships inside itself (./browser.ts). Never a downloaded browser. When no
// browser can start, the suites skip with a loud message (GUISHU_E2E_BROWSER=system
// makes that a failure, as in CI).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserForTests, launchWith } from './browser.ts';

/** The browser this run drives, chosen once per test file; `ok: false` → the suites skip. */
export const BROWSER = await browserForTests();
/** Wrap each suite: `describe.skipIf(NO_BROWSER)(…)`. */
export const NO_BROWSER = !BROWSER.ok;

export const ADMIN_PASSWORD = 'e2e-admin-password';
export const PASSWORD = 'e2e-password-1';
export const PROJECT = 'e2e';

export const STAFF = [
  { staff: 'jl01', name: '周经理', role: 'manager' },
  { staff: 'qt01', name: '前台小林', role: 'frontdesk' },
  { staff: 'gw01', name: '张伟', role: 'consultant', team: '一组' },
  { staff: 'gw02', name: '李娜', role: 'consultant', team: '一组' },
  { staff: 'gw03', name: '王强', role: 'consultant', team: '二组' },
  { staff: 'gw04', name: '赵敏', role: 'consultant', team: '二组' },
  { staff: 'qd1', name: '渠道小陈', role: 'channel', agency: '链家地产' },
  { staff: 'jf01', name: '甲方审计', role: 'controller' },
] as const;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Office {
  url: string;
  api: <T = unknown>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
  stop: () => Promise<void>;
}

export async function startOffice(): Promise<Office> {
  const data = mkdtempSync(join(tmpdir(), 'guishu-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['bin/guishu.js', 'start'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GUISHU_DATA: data, GUISHU_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      // not yet listening
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start: ${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  const token = login.ok ? ((await login.json()) as { token: string }).token : null;
  const api = async <T,>(method: string, path: string, body?: unknown) => {
    const r = await fetch(`${url}${path}`, { method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
  };
  return {
    url,
    api,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** A small office: staff, today's roster, one account per person (username = staff id). */
export async function seedOffice(office: Office): Promise<void> {
  const ok = <T,>(r: { status: number; body: T }) => {
    if (r.status >= 300) throw new Error(`seed failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  ok(await office.api('POST', '/api/projects', { id: PROJECT, name: '测试案场', preset: 'standard' }));
  for (const s of STAFF) ok(await office.api('POST', `/api/projects/${PROJECT}/staff`, s));
  ok(await office.api('POST', `/api/projects/${PROJECT}/roster`, { order: ['gw01', 'gw02', 'gw03', 'gw04'] }));
  for (const s of STAFF) {
    const u = ok(await office.api<{ id: string }>('POST', '/api/users', { username: s.staff, password: PASSWORD, displayName: s.name })).body;
    ok(await office.api('PUT', `/api/projects/${PROJECT}/roles/${u.id}`, { role: s.role, staff: s.staff }));
    // The developer's controller (甲方) reads past registers on its role, without a grant (every read audited).
  }
}

export async function launch(): Promise<Browser> {
  if (!BROWSER.ok) throw new Error(`no browser: ${BROWSER.reason}`);
  return launchWith(BROWSER.choice);
}

/**
 * Where a screenshot goes: docs/screenshots (the README's) with the system browser,
 * which CI runs with CJK fonts installed; with the npm-shipped one (no CJK fonts on a
 * bare machine) a temporary folder, so a run there never overwrites the README's pictures.
 */
export function shotPath(name: string): string {
  if (BROWSER.ok && BROWSER.choice.kind === 'system') return `docs/screenshots/${name}`;
  const dir = join(tmpdir(), 'guishu-e2e-screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

export const PHONE = { width: 390, height: 844 };
export const DESK = { width: 1440, height: 900 };

/** Collects console errors and page errors (the pages check wants none). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

export async function signIn(context: BrowserContext, url: string, username: string, path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('sign-in').click();
  await page.waitForURL((u) => u.pathname !== '/login', { timeout: 30_000 });
  await page.goto(`${url}${path}`);
  return page;
}
