// Sign-in and lookup limits that hold under concurrency: the lockout counts
// attempts atomically (40 parallel wrong passwords: at most `lockAfter` reach
// argon2), the back-off doubles, a client address is throttled at sign-in
// (@fastify/rate-limit), a disabled account answers like a wrong password,
// the judge and the customer card share one lookup budget, signing out ends
// both credentials of a sign-in, and a role change answers only within the
// caller's projects. On SQLite and (DATABASE_URL) PostgreSQL.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, cleanup, signIn, startServer, TARGETS, warnSkips } from '../server/harness.ts';
import { openOffice, P1, P2, PA, PASSWORD, type Office } from './fixture.ts';
import type * as Passwords from '../../src/auth/passwords.ts';

/** argon2 verifications made by the server (in this process), counted around a burst. */
const argon = vi.hoisted(() => ({ verifies: 0 }));
vi.mock('../../src/auth/passwords.ts', async (importOriginal) => {
  const m = await importOriginal<typeof Passwords>();
  return {
    ...m,
    verifyPassword: (hash: string, password: string) => {
      argon.verifies++;
      return m.verifyPassword(hash, password);
    },
  };
});

warnSkips('auth limits');
afterAll(cleanup);

const CHEAP = { memoryCost: 4096, timeCost: 1 };
const cookieOf = (setCookie: string[], name: string) => setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1) ?? '';

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`sign-in and lookup limits on ${target.name}`, () => {
    let office: Office;
    let clock = Date.now();
    beforeAll(async () => {
      office = await openOffice(target.freshConfig(), { argon: CHEAP, now: () => clock, lockAfter: 5, lockBaseMs: 30_000, lockMaxMs: 15 * 60_000 });
    });
    afterAll(async () => office?.running.close());

    const login = async (username: string, password: string, cookie?: string) => {
      const res = await fetch(`${office.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ username, password }) });
      const body = (await res.json()) as { token: string; csrfToken: string; code?: string; title?: string; detail?: string };
      return { status: res.status, body, type: res.headers.get('content-type') ?? '', setCookie: res.headers.getSetCookie(), retryAfter: Number(res.headers.get('retry-after')) };
    };
    const newUser = async (name: string, role?: { project: string; role: string; staff?: string }) => {
      expect((await api(office.base, 'POST', '/api/users', { username: name, password: PASSWORD })).status).toBe(201);
      if (role) expect((await api(office.base, 'PUT', `/api/projects/${role.project}/roles/${name}`, { role: role.role, ...(role.staff ? { staff: role.staff } : {}) })).status).toBe(200);
    };

    it('40 parallel wrong passwords: at most lockAfter reach argon2, the rest are 429, and the right password is refused while locked', async () => {
      await newUser('burst');
      const before = argon.verifies;
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login('burst', `wrong-password-${i}`)));
      const evaluated = argon.verifies - before;
      const statuses = answers.map((a) => a.status);
      expect(evaluated).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s === 401).length).toBe(evaluated);
      expect(statuses.filter((s) => s === 429).length).toBe(40 - evaluated);
      for (const a of answers.filter((x) => x.status === 429)) {
        expect(a.type).toContain('application/problem+json');
        expect(a.body.code).toBe('login-locked');
        expect(a.retryAfter).toBeGreaterThan(0);
      }
      const right = await login('burst', PASSWORD);
      expect(right.status).toBe(429);
      expect(right.body.code).toBe('login-locked');
      expect(argon.verifies - before).toBe(evaluated); // refused without checking the password
      // the lock ends: the right password signs in, and the count starts again
      clock += 31_000;
      expect((await login('burst', PASSWORD)).status).toBe(200);
      expect((await login('burst', 'wrong-once-more')).status).toBe(401);
      expect((await login('burst', PASSWORD)).status).toBe(200);
    });

    it('the lock doubles with every further failure, up to the maximum', async () => {
      await newUser('slow');
      for (let i = 0; i < 5; i++) expect((await login('slow', 'wrong-password')).status).toBe(401);
      const waits: number[] = [];
      let wait = (await login('slow', PASSWORD)).retryAfter;
      waits.push(wait);
      for (let i = 0; i < 7; i++) {
        clock += wait * 1000 + 1000;
        expect((await login('slow', 'wrong-again')).status).toBe(401);
        const locked = await login('slow', PASSWORD);
        expect(locked.status).toBe(429);
        wait = locked.retryAfter;
        waits.push(wait);
      }
      expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    });

    it('a disabled account answers exactly like a wrong password or an unknown user, after one argon2 check each', async () => {
      await newUser('gone', { project: P1, role: 'consultant' });
      expect((await login('gone', PASSWORD)).status).toBe(200);
      expect((await office.as('mgr', 'POST', '/api/users/gone/disable')).status).toBe(200);
      await newUser('here');
      const answer = async (username: string, password: string) => {
        const before = argon.verifies;
        const a = await login(username, password);
        return { status: a.status, code: a.body.code, title: a.body.title, detail: a.body.detail, verifies: argon.verifies - before };
      };
      const disabledRight = await answer('gone', PASSWORD);
      expect(disabledRight).toEqual({ status: 401, code: 'bad-credentials', title: 'Unauthorized', detail: 'wrong username or password', verifies: 1 });
      expect(await answer('gone', 'wrong-password')).toEqual(disabledRight);
      expect(await answer('here', 'wrong-password')).toEqual(disabledRight);
      expect(await answer('nobody-at-all', PASSWORD)).toEqual(disabledRight);
      expect((await login('here', PASSWORD)).status).toBe(200);
    });

    it('the judge and the customer card share one lookup budget (60 judges, then a card: 429; and the reverse); managers are exempt', async () => {
      await newUser('look1', { project: P1, role: 'frontdesk' });
      await newUser('look2', { project: P1, role: 'frontdesk' });
      const t1 = (await signIn(office.base, 'look1', PASSWORD)).token;
      const t2 = (await signIn(office.base, 'look2', PASSWORD)).token;
      const judge = (token: string) => api(office.base, 'POST', `/api/projects/${P1}/judge`, { customer: { phone: PA } }, { authorization: `Bearer ${token}` });
      const card = (token: string) => api(office.base, 'GET', `/api/projects/${P1}/customers/${PA}`, undefined, { authorization: `Bearer ${token}` });
      for (let i = 0; i < 60; i++) expect((await judge(t1)).status).toBe(200);
      const c = await card(t1);
      expect(c.status).toBe(429);
      expect(c.type).toContain('application/problem+json');
      expect((c.body as { code: string }).code).toBe('rate-limited');
      expect(Number(c.headers.get('retry-after'))).toBeGreaterThan(0);
      for (let i = 0; i < 60; i++) expect((await card(t2)).status).toBe(200);
      expect((await judge(t2)).status).toBe(429);
      expect((await card(t2)).status).toBe(429);
      for (let i = 0; i < 61; i++) expect((await office.as('mgr', 'GET', `/api/projects/${P1}/customers/${PA}`)).status).toBe(200);
    });

    it('signing out with the cookie also revokes the bearer token of that sign-in (and the other way round; a fresh sign-in over an old cookie ends both old ones)', async () => {
      const me = (headers: Record<string, string>) => api(office.base, 'GET', '/api/auth/me', undefined, headers);
      const pair = async (cookie?: string) => {
        const l = await login('conA', PASSWORD, cookie);
        expect(l.status).toBe(200);
        const jar = `guishu_session=${cookieOf(l.setCookie, 'guishu_session')}; guishu_csrf=${l.body.csrfToken}`;
        return { jar, csrf: l.body.csrfToken, bearer: { authorization: `Bearer ${l.body.token}` } };
      };
      const a = await pair();
      const other = await pair(); // another sign-in of the same user stays signed in throughout
      expect((await me({ cookie: a.jar })).status).toBe(200);
      expect((await me(a.bearer)).status).toBe(200);
      expect((await api(office.base, 'POST', '/api/auth/logout', undefined, { cookie: a.jar, 'x-csrf-token': a.csrf })).status).toBe(200);
      expect((await me({ cookie: a.jar })).status).toBe(401);
      expect((await me(a.bearer)).status).toBe(401);

      const b = await pair();
      expect((await api(office.base, 'POST', '/api/auth/logout', undefined, b.bearer)).status).toBe(200);
      expect((await me(b.bearer)).status).toBe(401);
      expect((await me({ cookie: b.jar })).status).toBe(401);

      const c = await pair();
      const d = await pair(c.jar);
      expect((await me({ cookie: c.jar })).status).toBe(401);
      expect((await me(c.bearer)).status).toBe(401);
      expect((await me(d.bearer)).status).toBe(200);
      expect((await me({ cookie: other.jar })).status).toBe(200);
      expect((await me(other.bearer)).status).toBe(200);
    });

    it('giving a role answers the user’s roles only in projects the manager manages', async () => {
      await newUser('multi', { project: P2, role: 'consultant', staff: 'B' });
      const r = await office.as('mgr', 'PUT', `/api/projects/${P1}/roles/multi`, { role: 'consultant' });
      expect(r.status).toBe(200);
      expect((r.body as { roles: { project: string }[] }).roles.map((x) => x.project)).toEqual([P1]);
      expect(JSON.stringify(r.body)).not.toContain(P2);
      const admin = await api(office.base, 'PUT', `/api/projects/${P1}/roles/multi`, { role: 'frontdesk' });
      expect((admin.body as { roles: { project: string }[] }).roles.map((x) => x.project).sort()).toEqual([P1, P2]);
    });
  });

  describe.skipIf(target.skipReason !== null)(`per-address limits on ${target.name}`, () => {
    it('sign-in is throttled per client address (any user name) with a 429 problem and Retry-After; other routes still answer', async () => {
      const running = await startServer(target.freshConfig(), { argon: CHEAP, loginRate: 6 });
      try {
        // startServer signed the admin in once: five more attempts from this address pass the throttle
        for (let i = 0; i < 5; i++) expect((await signIn(running.url, `someone${i}`, 'wrong-password')).status).toBe(401);
        const res = await fetch(`${running.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'test-admin-password-1' }) });
        expect(res.status).toBe(429);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(((await res.json()) as { code: string }).code).toBe('login-throttled');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await api(running.url, 'GET', '/api/auth/me')).status).toBe(200);
        expect((await api(running.url, 'GET', '/api/health')).status).toBe(200);
      } finally {
        await running.close();
      }
    });

    it('a global per-address limit, when set, answers 429 on any route past it', async () => {
      const running = await startServer(target.freshConfig(), { argon: CHEAP, addressRate: 30 });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) statuses.push((await api(running.url, 'GET', '/api/health')).status);
        expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(30);
        expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
        const over = await api(running.url, 'GET', '/api/projects');
        expect(over.status).toBe(429);
        expect((over.body as { code: string }).code).toBe('rate-limited');
      } finally {
        await running.close();
      }
    });
  });
}
