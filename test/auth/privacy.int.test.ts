// Sessions (fixation, CSRF, expiry, tampering, disabled users, lockout), the
// judge rate limit, past registers behind grants, the audit log (one row per
// unmasked read, a hash chain `guishu verify` walks and that catches a
// tampered row), and erasure (verify passes, no query returns the customer).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAllAudit, verifyAudit } from '../../src/auth/audit.ts';
import { GuishuApp } from '../../src/app/office.ts';
import { sha256Hex } from '../../src/store/index.js';
import { api, cleanup, PG_URL, signIn, TARGETS, warnSkips } from '../server/harness.ts';
import { dumpProject, openOffice, P1, PA, PASSWORD, PB, type Office } from './fixture.ts';

warnSkips('auth privacy');
afterAll(cleanup);

const cookieOf = (setCookie: string[], name: string) => setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1) ?? '';

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`sessions, audit and erasure on ${target.name}`, () => {
    let office: Office;
    let config: ReturnType<typeof target.freshConfig>;
    beforeAll(async () => {
      config = target.freshConfig();
      office = await openOffice(config, { argon: { memoryCost: 4096, timeCost: 1 } });
    });
    afterAll(async () => office?.running.close());
    const login = async (username: string, password: string, cookie?: string) => {
      const res = await fetch(`${office.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ username, password }) });
      return { status: res.status, setCookie: res.headers.getSetCookie(), body: (await res.json()) as { token: string; csrfToken: string; code?: string }, retryAfter: res.headers.get('retry-after') };
    };

    it('cookie sessions: httpOnly SameSite=Strict, fresh id at sign-in (no fixation), CSRF header required for writes, logout ends it', async () => {
      const planted = 'attacker-chosen-session-id';
      const first = await login('desk', PASSWORD, `guishu_session=${planted}`);
      expect(first.status).toBe(200);
      const session = first.setCookie.find((c) => c.startsWith('guishu_session='))!;
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Strict/);
      // Both cookies: the whole site, 12 h, strict; Secure only on HTTPS (this is plain HTTP); the CSRF one readable by the page.
      const attrs = (c: string) => c.split(';').slice(1).map((a) => a.trim()).sort();
      expect(attrs(session)).toEqual(['HttpOnly', 'Max-Age=43200', 'Path=/', 'SameSite=Strict']);
      expect(attrs(first.setCookie.find((c) => c.startsWith('guishu_csrf='))!)).toEqual(['Max-Age=43200', 'Path=/', 'SameSite=Strict']);
      const s1 = cookieOf(first.setCookie, 'guishu_session');
      const csrf = cookieOf(first.setCookie, 'guishu_csrf');
      expect(s1).not.toBe(planted);
      expect(s1.length).toBeGreaterThan(30);
      expect(csrf).toBe(first.body.csrfToken);
      const jar = `guishu_session=${s1}; guishu_csrf=${csrf}`;
      expect((await api(office.base, 'GET', `/api/auth/me`, undefined, { cookie: jar })).status).toBe(200);
      // signing in again while holding a session: a new id, the old one is dead
      const second = await login('desk', PASSWORD, jar);
      const s2 = cookieOf(second.setCookie, 'guishu_session');
      expect(s2).not.toBe(s1);
      expect((await api(office.base, 'GET', '/api/auth/me', undefined, { cookie: `guishu_session=${s1}` })).status).toBe(401);
      const jar2 = `guishu_session=${s2}; guishu_csrf=${second.body.csrfToken}`;
      // CSRF: a write with the cookie but without the header (or with another token) is refused
      const write = { staff: 'F', state: 'present' };
      const noHeader = await api(office.base, 'POST', `/api/projects/${P1}/roster`, { order: ['A', 'B'] }, { cookie: jar2 });
      expect(noHeader.status).toBe(403);
      expect(noHeader.type).toContain('application/problem+json');
      expect((noHeader.body as { code: string }).code).toBe('csrf');
      expect((await api(office.base, 'POST', `/api/projects/${P1}/status`, write, { cookie: jar2, 'x-csrf-token': csrf })).status).toBe(403);
      expect((await api(office.base, 'POST', `/api/projects/${P1}/status`, write, { cookie: jar2, 'x-csrf-token': second.body.csrfToken })).status).toBe(201);
      // a bearer token needs no CSRF header
      expect((await api(office.base, 'POST', `/api/projects/${P1}/status`, write, { authorization: `Bearer ${second.body.token}` })).status).toBe(201);
      // logout: both cookies cleared with the attributes they were set with
      const out = await fetch(`${office.base}/api/auth/logout`, { method: 'POST', headers: { cookie: jar2, 'x-csrf-token': second.body.csrfToken } });
      expect(out.status).toBe(200);
      const cleared = out.headers.getSetCookie();
      expect(cleared.map((c) => c.split(';')[0]).sort()).toEqual(['guishu_csrf=', 'guishu_session=']);
      for (const c of cleared) expect(c).toMatch(/Max-Age=0;.*Path=\/;.*SameSite=Strict/);
      expect((await api(office.base, 'GET', '/api/auth/me', undefined, { cookie: jar2 })).status).toBe(401);
    });

    it('refuses an expired session, a tampered token, a disabled user; locks out with back-off', async () => {
      const s = await signIn(office.base, 'ctl', PASSWORD);
      const me = (token: string) => api(office.base, 'GET', '/api/auth/me', undefined, { authorization: `Bearer ${token}` });
      expect((await me(s.token)).status).toBe(200);
      const flipped = s.token.slice(0, -1) + (s.token.endsWith('A') ? 'B' : 'A');
      const tampered = await me(flipped);
      expect(tampered.status).toBe(401);
      expect(tampered.type).toContain('application/problem+json');
      await office.running.store.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('token_hash', '=', sha256Hex(s.token)).execute();
      // A change made behind this process's back (another process, a console) is seen once its resolved session is older than sessionCacheMs.
      expect((await me(s.token)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_050));
      expect((await me(s.token)).status).toBe(401);
      // a cookie presented as a bearer token (and vice versa) is refused
      const c = await signIn(office.base, 'ctl', PASSWORD);
      expect((await me(cookieOf(c.cookie.split('; '), 'guishu_session'))).status).toBe(401);

      await api(office.base, 'POST', '/api/users', { username: 'leaver', password: PASSWORD });
      await api(office.base, 'PUT', `/api/projects/${P1}/roles/leaver`, { role: 'consultant', staff: 'B' });
      const l = await signIn(office.base, 'leaver', PASSWORD);
      expect((await me(l.token)).status).toBe(200);
      expect((await office.as('mgr', 'POST', '/api/users/leaver/disable')).status).toBe(200);
      expect((await me(l.token)).status).toBe(401);
      expect((await login('leaver', PASSWORD)).status).toBe(401); // one answer for disabled, wrong and unknown (test/auth/limits)

      // lockout: 5 failures, then refused even with the right password, with Retry-After
      await api(office.base, 'POST', '/api/users', { username: 'typo', password: PASSWORD });
      for (let i = 0; i < 5; i++) expect((await login('typo', 'wrong-password')).status).toBe(401);
      const locked = await login('typo', PASSWORD);
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('login-locked');
      expect(Number(locked.retryAfter)).toBeGreaterThan(0);
      expect(Number(locked.retryAfter)).toBeLessThanOrEqual(30);
      // back-off: the lock doubles with every further failure
      await office.running.store.db.updateTable('login_failures').set({ locked_until: null }).where('username', '=', 'typo').execute();
      expect((await login('typo', 'wrong-again')).status).toBe(401);
      const longer = await login('typo', PASSWORD);
      expect(Number(longer.retryAfter)).toBeGreaterThan(30);
    });

    it('judge lookups: the 61st in a minute is 429 with Retry-After; managers are exempt', async () => {
      const judge = (who: 'desk' | 'mgr') => office.as(who, 'POST', `/api/projects/${P1}/judge`, { customer: { phone: PA } });
      for (let i = 0; i < 60; i++) expect((await judge('desk')).status).toBe(200);
      const over = await judge('desk');
      expect(over.status).toBe(429);
      expect(over.type).toContain('application/problem+json');
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      // the customer card draws on the same budget (test/auth/limits.int.test.ts)
      expect((await office.as('desk', 'GET', `/api/projects/${P1}/customers/${PA}`)).status).toBe(429);
      for (let i = 0; i < 61; i++) expect((await judge('mgr')).status).toBe(200);
    });

    it('past registers: the manager, and the controller without asking (every read audited); anyone else needs a grant for a window', async () => {
      const yesterday = new Date(Date.now() - 86_400_000).toISOString();
      const rotation = (who: 'ctl' | 'desk' | 'mgr') => office.as(who, 'GET', `/api/projects/${P1}/rotation?at=${encodeURIComponent(yesterday)}`);
      const db = office.running.store.db;
      const pastReads = async () => Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('project_id', '=', P1).where('action', '=', 'read-past').executeTakeFirstOrThrow()).n);
      // The developer's controller audits the office: past days and the whole log, no grant asked, each read audited.
      const before = await pastReads();
      expect((await rotation('ctl')).status).toBe(200);
      expect((await office.as('ctl', 'GET', `/api/projects/${P1}/events`)).status).toBe(200);
      expect(await pastReads()).toBe(before + 2);
      const rows = await db.selectFrom('audit_log').selectAll().where('project_id', '=', P1).where('action', '=', 'read-past').orderBy('seq', 'desc').limit(2).execute();
      expect(rows.map((r) => r.user_id)).toEqual(['ctl', 'ctl']);
      expect(rows.map((r) => r.route)).toEqual([`GET /api/projects/:project/events`, `GET /api/projects/:project/rotation`]);
      // Anyone else below the manager: a grant for a window.
      const refused = await rotation('desk');
      expect(refused.status).toBe(403);
      expect((refused.body as { code: string }).code).toBe('grant-required');
      expect((await rotation('mgr')).status).toBe(200);
      expect(await pastReads()).toBe(before + 2);
      const g = await office.as('mgr', 'POST', `/api/projects/${P1}/grants`, { user: 'desk', until: Date.now() + 3_600_000, reason: '月度核查' });
      expect(g.status).toBe(201);
      expect((await rotation('desk')).status).toBe(200);
      expect((await office.as('mgr', 'DELETE', `/api/projects/${P1}/grants/${(g.body as { id: string }).id}`)).status).toBe(200);
      expect((await rotation('desk')).status).toBe(403);
      // a grant whose window has not opened yet does not count
      await office.as('mgr', 'POST', `/api/projects/${P1}/grants`, { user: 'desk', from: Date.now() + 3_600_000, until: Date.now() + 7_200_000, reason: '明天核查' });
      expect((await rotation('desk')).status).toBe(403);
    });

    it('one audit row per unmasked read and per export; a hash chain that verify walks and that catches a tampered row', async () => {
      const db = office.running.store.db;
      const count = async () => Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('project_id', '=', P1).where('action', 'in', ['read-phone', 'read-log', 'export']).executeTakeFirstOrThrow()).n);
      const before = await count();
      // a front desk user of its own: `desk` spent its lookup budget in the judge test
      await api(office.base, 'POST', '/api/users', { username: 'desk2', password: PASSWORD });
      await api(office.base, 'PUT', `/api/projects/${P1}/roles/desk2`, { role: 'frontdesk' });
      const desk2 = (await signIn(office.base, 'desk2', PASSWORD)).token;
      const card = (who: 'mgr' | 'conA' | 'desk' | 'ctl', phone: string) =>
        who === 'desk' ? api(office.base, 'GET', `/api/projects/${P1}/customers/${phone}`, undefined, { authorization: `Bearer ${desk2}` }) : office.as(who, 'GET', `/api/projects/${P1}/customers/${phone}`, undefined);
      expect((await card('mgr', PA)).status).toBe(200); // unmasked: +1
      expect((await card('conA', PA)).status).toBe(200); // own customer, unmasked: +1
      expect((await card('conA', PB)).status).toBe(200); // masked: +0
      expect((await card('desk', PA)).status).toBe(200); // masked: +0
      expect((await office.as('mgr', 'GET', `/api/projects/${P1}/deals`)).status).toBe(200); // phones in the ledger: +1
      const exp = await api(office.base, 'GET', `/api/projects/${P1}/customers/${PB}/export?reason=${encodeURIComponent('本人申请')}`, undefined, { authorization: `Bearer ${office.tokens.get('mgr')}`, 'x-guishu-reason': 'x' });
      expect(exp.status).toBe(200); // +1
      expect((exp.body as { customer: { phone: string }; events: unknown[] }).events.length).toBeGreaterThan(0);
      expect((await office.as('mgr', 'GET', `/api/projects/${P1}/customers/${PB}/export`)).status).toBe(400); // no reason: nothing exported
      expect(await count()).toBe(before + 4);
      const rows = await db.selectFrom('audit_log').selectAll().where('project_id', '=', P1).orderBy('seq', 'desc').limit(1).execute();
      expect(rows[0]).toMatchObject({ action: 'export', user_id: 'mgr', subject: '139****9000', reason: '本人申请' });
      expect(JSON.stringify(await db.selectFrom('audit_log').selectAll().execute())).not.toContain(PB);

      // append-only
      await expect(sql`update audit_log set reason = 'nothing to see' where project_id = ${P1} and seq = 1`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log where project_id = ${P1}`.execute(db)).rejects.toThrow(/append-only/);
      // verify: every chain intact, then a tampered row (by someone who can drop the trigger) is caught
      expect((await verifyAllAudit(office.running.store)).every(([, r]) => r.ok)).toBe(true);
      if (target.name === 'sqlite') {
        const { runStoreCommand } = await import('../../src/cli/store-commands.ts');
        const lines: string[] = [];
        process.env.GUISHU_DATA = (config as { dataDir: string }).dataDir;
        delete process.env.DATABASE_URL; // `guishu verify` on this SQLite folder (restored below)
        expect(await runStoreCommand('verify', [], (l) => lines.push(l))).toBe(0);
        expect(lines.some((l) => l.startsWith(`✓ audit ${P1}:`))).toBe(true);
      }
      await sql.raw(target.name === 'postgres' ? 'drop trigger audit_log_no_update on audit_log' : 'drop trigger audit_log_no_update').execute(db);
      await sql`update audit_log set user_id = 'someone-else' where project_id = ${P1} and seq = 2`.execute(db);
      const broken = await verifyAudit(office.running.store, P1);
      expect(broken).toMatchObject({ ok: false, seq: 2, reason: 'hash' });
      if (target.name === 'sqlite') {
        const { runStoreCommand } = await import('../../src/cli/store-commands.ts');
        const lines: string[] = [];
        expect(await runStoreCommand('verify', [], (l) => lines.push(l))).toBe(1);
        expect(lines.some((l) => l.startsWith(`✗ audit ${P1}: broken at seq 2`))).toBe(true);
        delete process.env.GUISHU_DATA;
        if (PG_URL) process.env.DATABASE_URL = PG_URL;
      }
    });

    it('erasure: the chain verifies, replay still works, nobody else changes, and no query returns the name or phone', async () => {
      const PE = '13512345678';
      const NAME = '赵六';
      const PF = '13612345679';
      const add = (body: Record<string, unknown>) => office.as('mgr', 'POST', `/api/projects/${P1}/events`, body);
      expect((await add({ type: 'visit', customer: { phone: PE, name: NAME }, party: [{ phone: PF, name: '钱七' }], receivedBy: 'B', says: { firstVisit: true } })).status).toBe(201);
      expect((await add({ type: 'followup', customer: { phone: PE }, staff: 'B', via: 'wechat' })).status).toBe(201);
      expect((await add({ type: 'report', customer: { phone: '135****5678' }, staff: 'X', expectedAt: Date.now() + 3_600_000 })).status).toBe(201);
      expect((await add({ type: 'deal', deal: 'd9', customers: [{ phone: PE }], closedBy: 'A', stage: 'deposit' })).status).toBe(201);
      const app = office.running.server.app;
      const dealBefore = await app.deal(P1, 'd9');
      const pfBefore = await app.customer(P1, PF);
      const others = async () => Promise.all([PA, PB].map((p) => app.customer(P1, p).then((c) => [c.owner, c.status, c.name])));
      const othersBefore = await others();
      expect((await dumpProject(office.running, P1))).toContain(NAME);

      const erased = await office.as('mgr', 'POST', `/api/projects/${P1}/customers/${PE}/erase`, { reason: '客户要求删除个人信息' });
      expect(erased.status).toBe(200);
      expect((erased.body as { events: number }).events).toBeGreaterThanOrEqual(4);
      expect((await office.as('conA', 'POST', `/api/projects/${P1}/customers/${PB}/erase`, { reason: 'x' })).status).toBe(403);

      expect(await office.running.store.verifyChain(P1)).toMatchObject({ ok: true });
      // no row of the project holds the name or the phone (log, projections, overlay, audit)
      const dump = await dumpProject(office.running, P1);
      expect(dump).not.toContain(NAME);
      expect(dump).not.toContain(PE);
      // (the audit log keeps who erased whom as the masked phone 135****5678 — the masked form only)
      expect(dump.split('\n').filter((l) => !l.startsWith('audit_log:')).join('\n')).not.toContain('135****5678');
      // nor does any query
      const mgr = (method: string, path: string, body?: unknown) => office.as('mgr', method, path, body).then((r) => JSON.stringify(r.body));
      const answers = [
        await mgr('GET', `/api/projects/${P1}/events?limit=1000`), await mgr('GET', `/api/projects/${P1}/reports`), await mgr('GET', `/api/projects/${P1}/deals`),
        await mgr('GET', `/api/projects/${P1}/customers/${PF}`), await mgr('POST', `/api/projects/${P1}/whatif`, { preset: 'shenyang-multi-team' }),
        await mgr('GET', `/api/projects/${P1}/audit?limit=1000`), await mgr('GET', `/api/projects/${P1}/customers/${PF}/export?reason=x`),
        await mgr('POST', `/api/projects/${P1}/judge`, { customer: { phone: PF } }),
      ];
      for (const a of answers) {
        expect(a).not.toContain(NAME);
        expect(a).not.toContain(PE);
      }
      const card = await app.customer(P1, PE);
      expect(card).toMatchObject({ name: null, owner: 'none', status: 'none', timeline: [] });
      // the others are untouched: the party member keeps their name and owner, the deal its split
      expect(await app.customer(P1, PF)).toMatchObject({ name: pfBefore.name, owner: pfBefore.owner, status: pfBefore.status });
      expect(await others()).toEqual(othersBefore);
      const dealAfter = await app.deal(P1, 'd9');
      expect({ ...dealAfter, customers: [] }).toEqual({ ...dealBefore, customers: [] });
      expect(dealAfter.customers[0]).toMatch(/^17400\d{6}$/);
      // a fresh process replays the project and rebuilds identical projections
      const before = await app.projectionRows(P1);
      const fresh = new GuishuApp({ store: office.running.store });
      await fresh.rebuildProjections(P1);
      expect(await fresh.projectionRows(P1)).toEqual(before);
      expect(await office.running.store.verifyChain(P1)).toMatchObject({ ok: true });
    });
  });
}
