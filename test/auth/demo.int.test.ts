// Demo only when asked: on a server started without GUISHU_DEMO=1, loading the
// demo office needs the signed-in admin, no demo account (published password)
// is created, and GET /api/demo lists none; with GUISHU_DEMO=1 anyone may load
// it and the sign-in page lists its accounts. On SQLite and (DATABASE_URL)
// PostgreSQL.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/server/demo.ts';
import { api, cleanup, signIn, startServer, TARGETS, warnSkips, type Running } from '../server/harness.ts';

warnSkips('demo office');
afterAll(cleanup);

const CHEAP = { memoryCost: 4096, timeCost: 1 };

interface DemoStatus {
  demo: boolean;
  projects: number;
  canLoad: boolean;
  loadNeedsAdmin: boolean;
  accountsListed: boolean;
  accounts: unknown[];
  loading: { running: boolean; done: number; total: number; error: string | null; finishedAt: string | null };
}

/** A server started with GUISHU_DEMO set (or unset) as given. */
async function serverWith(demo: '1' | undefined, config: Parameters<typeof startServer>[0]): Promise<Running> {
  const saved = process.env.GUISHU_DEMO;
  if (demo) process.env.GUISHU_DEMO = demo;
  else delete process.env.GUISHU_DEMO;
  try {
    return await startServer(config, { argon: CHEAP, loginRate: 0 });
  } finally {
    if (saved === undefined) delete process.env.GUISHU_DEMO;
    else process.env.GUISHU_DEMO = saved;
  }
}

async function loaded(base: string): Promise<DemoStatus> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const s = (await api<DemoStatus>(base, 'GET', '/api/demo', undefined, {})).body;
    if (!s.loading.running) return s;
    if (Date.now() > deadline) throw new Error('the demo load did not finish');
    await new Promise((r) => setTimeout(r, 250));
  }
}

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`demo office on ${target.name}`, () => {
    let running: Running | undefined;
    afterEach(async () => {
      if (running) await loaded(running.url); // never close the store under a running load
      await running?.close();
      running = undefined;
    });

    it('without GUISHU_DEMO: loading needs the signed-in admin, creates no demo accounts, and none are listed', async () => {
      running = await serverWith(undefined, target.freshConfig());
      const base = running.url;
      const status = (await api<DemoStatus>(base, 'GET', '/api/demo', undefined, {})).body;
      expect(status).toMatchObject({ demo: false, projects: 0, canLoad: true, loadNeedsAdmin: true, accountsListed: false, accounts: [] });

      const anonymous = await api(base, 'POST', '/api/demo/load', undefined, {});
      expect(anonymous.status).toBe(401);
      expect(anonymous.type).toContain('application/problem+json');
      // a signed-in user who is not the admin
      expect((await api(base, 'POST', '/api/users', { username: 'someone', password: 'someone-password-1' })).status).toBe(201);
      const someone = await signIn(base, 'someone', 'someone-password-1');
      const refused = await api(base, 'POST', '/api/demo/load', undefined, { authorization: `Bearer ${someone.token}` });
      expect(refused.status).toBe(403);
      expect(refused.type).toContain('application/problem+json');
      // a cookie session without the CSRF header is no way in either
      expect((await api(base, 'POST', '/api/demo/load', undefined, { cookie: someone.cookie })).status).toBe(403);
      expect((await api<DemoStatus>(base, 'GET', '/api/demo', undefined, {})).body.projects).toBe(0);

      const started = await api(base, 'POST', '/api/demo/load'); // the admin (harness bearer)
      expect(started.status).toBe(202);
      const done = await loaded(base);
      expect(done.loading.error).toBeNull();
      expect(done).toMatchObject({ demo: false, projects: 1, accountsListed: false, accounts: [] });
      for (const a of DEMO_ACCOUNTS) expect((await signIn(base, a.username, DEMO_PASSWORD)).status, a.username).toBe(401);
      const users = (await api<{ users: { username: string }[] }>(base, 'GET', '/api/users')).body.users.map((u) => u.username);
      expect(users.sort()).toEqual(['admin', 'someone']);
    }, 300_000);

    it('with GUISHU_DEMO=1: anyone may load it, and the sign-in page lists the demo accounts, which sign in', async () => {
      running = await serverWith('1', target.freshConfig());
      const base = running.url;
      const status = (await api<DemoStatus>(base, 'GET', '/api/demo', undefined, {})).body;
      expect(status).toMatchObject({ demo: true, canLoad: true, loadNeedsAdmin: false, accountsListed: true });
      expect(status.accounts).toHaveLength(DEMO_ACCOUNTS.length);
      expect((await api(base, 'POST', '/api/demo/load', undefined, {})).status).toBe(202);
      const done = await loaded(base);
      expect(done.loading.error).toBeNull();
      expect(done.projects).toBe(1);
      expect((await signIn(base, 'jl01', DEMO_PASSWORD)).status).toBe(200);
    }, 300_000);
  });
}
