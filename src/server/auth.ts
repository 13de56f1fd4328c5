// Accounts on the HTTP API: the `authenticate` hook (cookie session with a
// CSRF token, or a bearer token), the route-level role check, sign-in/out,
// users, roles, grants, the audit log, and the customer's data rights
// (export, erasure). Every refusal is an AuthError → 401/403/429
// problem+json (src/server/problems.ts).
import cookie, { type CookieSerializeOptions } from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { GuishuApp } from '../app/office.ts';
import { Accounts, type AccountOptions, type UserView } from '../auth/accounts.ts';
import { AuditLog } from '../auth/audit.ts';
import { forbidden, tooMany, unauthenticated } from '../auth/errors.ts';
import { RateLimiter } from '../auth/rate.ts';
import { isManagerial, PROJECT_ROLES, standingIn, type Principal, type Role, type Standing } from '../auth/roles.ts';
import { localDay } from '../domain/time.ts';
import type { EventStore } from '../store/index.js';
import { instant, projectParam, projectParams, toInstant } from './schemas.ts';
import { configFromEnv } from '../config.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user (set by `authenticate`); null on public routes. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /**
     * Who may call the route: `any` signed-in user, or these roles — in the
     * route's `:project` when it has one, else in any project. `admin` always
     * may. A route that names none is admin-only (fail closed).
     */
    roles?: readonly Role[] | 'any';
  }
}

export interface AuthOptions extends AccountOptions {
  /** Password of the `admin` created on first start (default GUISHU_ADMIN_PASSWORD, else random and announced once). */
  adminPassword?: string;
  /** Customer lookups (judge and customer card, one budget) a minute per consultant/frontdesk/channel/controller user (default GUISHU_JUDGE_RATE or 60). */
  judgeRate?: number;
  /** Sign-in attempts a minute per client address (default GUISHU_LOGIN_RATE or 20; 0: no limit). */
  loginRate?: number;
  /** Requests a minute per client address on every route registered after the accounts (default GUISHU_ADDRESS_RATE, else no limit). */
  addressRate?: number;
  /** Where the generated admin password is printed (default stderr). */
  announce?: (line: string) => void;
  /** Mark cookies Secure even on plain HTTP (behind a TLS proxy). Default: only when the request is HTTPS. */
  secureCookies?: boolean;
}

export const SESSION_COOKIE = 'guishu_session';
export const CSRF_COOKIE = 'guishu_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Per-request access decisions the routes ask for. */
export class Guard {
  readonly lookupLimiter: RateLimiter;

  constructor(readonly accounts: Accounts, readonly audit: AuditLog, private readonly app: GuishuApp, judgeRate: number, private readonly now: () => number) {
    this.lookupLimiter = new RateLimiter(judgeRate, 60_000, now);
  }

  principal(request: FastifyRequest): Principal {
    if (!request.principal) throw unauthenticated();
    return request.principal;
  }

  standing(request: FastifyRequest, projectId: string): Standing {
    return standingIn(this.principal(request), projectId);
  }

  /** A read of a day before today (in the project's zone) needs manager/admin, the controller role (audited) or an active grant. */
  async past(request: FastifyRequest, projectId: string, at: number | undefined): Promise<void> {
    if (at === undefined) return;
    const tz = await this.app.timezone(projectId);
    if (localDay(at, tz) >= localDay(this.now(), tz)) return;
    await this.pastAccess(request, projectId, at);
  }

  async pastAccess(request: FastifyRequest, projectId: string, at?: number): Promise<void> {
    const s = this.standing(request, projectId);
    if (isManagerial(s)) return;
    // The developer's controller (甲方) audits the office: it reads past registers without asking the office it
    // audits — and every such read is in the audit log (`read-past`, the route and the day asked about).
    if (s.role === 'controller') {
      await this.record(request, projectId, 'read-past', { detail: at === undefined ? { whole: 'log' } : { at: new Date(at).toISOString() } });
      return;
    }
    if (await this.accounts.hasPastGrant(projectId, this.principal(request).userId)) return;
    throw forbidden('reading past registers needs the manager or controller role, or a grant from a manager (POST /api/projects/:project/grants)', 'grant-required');
  }

  /**
   * Customer lookups per user and minute — the judge and the customer card
   * draw on one budget, so neither is a way around the other's limit; admin
   * and managers are exempt.
   */
  lookup(request: FastifyRequest, projectId: string): void {
    const s = this.standing(request, projectId);
    if (isManagerial(s)) return;
    const wait = this.lookupLimiter.hit(this.principal(request).userId);
    if (wait > 0) throw tooMany('rate-limited', `more than ${this.lookupLimiter.limit} customer lookups (judge and customer card together) a minute`, wait);
  }

  /** One audit row for a response that shows unmasked phones (or an export, erasure, account change). */
  async record(request: FastifyRequest, projectId: string, action: string, opts: { phone?: string | null; reason?: string | null; detail?: Record<string, unknown> } = {}): Promise<void> {
    const header = request.headers['x-guishu-reason'];
    const reason = opts.reason ?? (typeof header === 'string' ? header.slice(0, 500) : null);
    await this.audit.append({ projectId, userId: request.principal?.userId ?? null, action, phone: opts.phone ?? null, route: `${request.method} ${request.routeOptions.url ?? ''}`, reason, detail: opts.detail });
  }
}

export async function installAuth(fastify: FastifyInstance, deps: { store: EventStore; app: GuishuApp; options?: AuthOptions }): Promise<Guard> {
  const { store, app } = deps;
  const o = deps.options ?? {};
  const now = o.now ?? Date.now;
  const accounts = new Accounts(store, o);
  const audit = new AuditLog(store, now);
  const env = configFromEnv();
  const guard = new Guard(accounts, audit, app, o.judgeRate ?? env.judgeRate ?? 60, now);
  const loginRate = o.loginRate ?? env.loginRate;
  const addressRate = o.addressRate ?? env.addressRate ?? 0;

  // Per client address (request.ip: behind a proxy, set Fastify's trustProxy), counted in this process's memory.
  // The global limit covers the routes registered from here on; the sign-in route has its own, tighter one.
  await fastify.register(rateLimit, {
    global: addressRate > 0,
    max: addressRate > 0 ? addressRate : Number.MAX_SAFE_INTEGER,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, c) => tooMany('rate-limited', `more than ${c.max} requests a minute from this address`, c.ttl / 1000),
  });

  const created = await accounts.bootstrap(o.adminPassword ?? env.adminPassword);
  if (created?.generated) {
    (o.announce ?? ((line: string) => process.stderr.write(line + '\n')))(`guishu: created user "admin" with password ${created.password} — shown only this once; change it (POST /api/auth/password)`);
  }

  // Cookies parsed (first of a name wins) on every request before the authenticate hook of index.ts runs; set by reply.setCookie.
  await fastify.register(cookie);

  fastify.decorateRequest('principal', null);
  fastify.decorate('authenticate', async (request: FastifyRequest, _reply: FastifyReply) => {
    const auth = request.headers.authorization;
    let principal: Principal;
    if (typeof auth === 'string' && auth.length > 0) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m) throw unauthenticated('Authorization must be "Bearer <token>"');
      principal = await accounts.resolve(m[1]!, 'bearer');
    } else {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) throw unauthenticated();
      principal = await accounts.resolve(token, 'cookie');
      if (!SAFE.has(request.method)) {
        // Double submit: the header must carry the token of the session (also in the readable guishu_csrf cookie).
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !principal.session.csrf || !same(sent, principal.session.csrf)) {
          throw forbidden(`a write with a cookie session needs the ${CSRF_HEADER} header (the value of the ${CSRF_COOKIE} cookie)`, 'csrf');
        }
      }
    }
    request.principal = principal;
    request.actor = principal.userId;
    checkRoute(request, principal);
  });

  function checkRoute(request: FastifyRequest, p: Principal): void {
    const roles = request.routeOptions.config?.roles;
    if (p.admin || roles === 'any' || request.is404) return;
    const project = (request.params as { project?: unknown } | undefined)?.project;
    if (typeof project === 'string') {
      const m = p.roles.get(project);
      if (!m) throw forbidden(`you hold no role in project ${project.slice(0, 64)}`, 'not-in-project');
      if (!roles?.includes(m.role)) throw forbidden(`the ${m.role} role may not ${request.method} ${request.routeOptions.url ?? ''}`);
      return;
    }
    if (!roles || ![...p.roles.values()].some((m) => roles.includes(m.role))) throw forbidden(`your roles may not ${request.method} ${request.routeOptions.url ?? ''}`);
  }

  /** The session cookie is HttpOnly; the CSRF cookie is read by the page. Secure on HTTPS (or always, behind a TLS proxy). */
  const cookieAttrs = (httpOnly: boolean, maxAgeS: number): CookieSerializeOptions => ({ path: '/', sameSite: 'strict', maxAge: maxAgeS, httpOnly, secure: o.secureCookies ? true : 'auto' });
  const me = (p: Principal, user: UserView) => ({ ...user, session: { kind: p.session.kind, expiresAt: p.session.expiresAt }, ...(p.session.csrf ? { csrfToken: p.session.csrf } : {}) });
  const managedProjects = (p: Principal) => new Set([...p.roles].filter(([, m]) => m.role === 'manager').map(([id]) => id));
  /** A manager acts on a user only when every role the user holds is in a project the manager manages (admins: always; nobody on an admin but an admin). */
  const mayManage = (p: Principal, u: UserView) => p.admin || (!u.admin && u.roles.every((r) => managedProjects(p).has(r.project)));
  const scopedUser = (p: Principal, u: UserView): UserView => (p.admin ? u : { ...u, roles: u.roles.filter((r) => managedProjects(p).has(r.project)) });

  const r = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['accounts'];
  const userParam = z.object({ user: z.string().min(1).max(64) });
  const password = z.string().min(1).max(200);

  // ---------------------------------------------------------------- sign-in
  const loginLimit = loginRate > 0
    ? { max: loginRate, timeWindow: 60_000, errorResponseBuilder: (_request: FastifyRequest, c: { ttl: number }) => tooMany('login-throttled', `more than ${loginRate} sign-in attempts a minute from this address; try again later`, c.ttl / 1000) }
    : false;
  r.post('/api/auth/login', { config: { public: true, rateLimit: loginLimit }, schema: { tags, summary: 'Sign in: sets an httpOnly SameSite=Strict session cookie (+ a readable CSRF cookie) and returns a bearer token for API clients', body: z.strictObject({ username: z.string().min(1).max(64), password }) } }, async (request, reply) => {
    const userId = await accounts.checkLogin(request.body.username, request.body.password);
    // Session fixation: whatever session or token came with the request is revoked; the new ones are fresh.
    const presented = request.cookies[SESSION_COOKIE];
    if (presented) await accounts.revoke(presented);
    const { cookie: session, bearer } = await accounts.issueLogin(userId);
    const maxAge = Math.floor(accounts.sessionTtlMs / 1000);
    reply.setCookie(SESSION_COOKIE, session.token, cookieAttrs(true, maxAge)).setCookie(CSRF_COOKIE, session.csrf ?? '', cookieAttrs(false, maxAge));
    reply.header('cache-control', 'no-store');
    return { user: await accounts.user(userId), token: bearer.token, tokenType: 'Bearer', csrfToken: session.csrf, expiresAt: session.expiresAt };
  });

  r.post('/api/auth/logout', { config: { roles: 'any' }, schema: { tags, summary: 'Sign out: ends the sign-in — its cookie session and the bearer token issued with it, whichever of the two is presented' } }, async (request, reply) => {
    const p = guard.principal(request);
    await accounts.revokeHash(p.session.tokenHash);
    reply.clearCookie(SESSION_COOKIE, cookieAttrs(true, 0)).clearCookie(CSRF_COOKIE, cookieAttrs(false, 0));
    return { ok: true };
  });

  r.get('/api/auth/me', { config: { roles: 'any' }, schema: { tags, summary: 'The signed-in user, their roles per project, and (cookie session) the CSRF token' } }, async (request) => {
    const p = guard.principal(request);
    return me(p, await accounts.user(p.userId));
  });

  r.post('/api/auth/password', { config: { roles: 'any' }, schema: { tags, summary: 'Change one’s own password', body: z.strictObject({ current: password, next: password }) } }, async (request) => {
    const p = guard.principal(request);
    await accounts.changePassword(p.userId, request.body.current, request.body.next);
    await guard.record(request, '*', 'password-change', { detail: { user: p.userId } });
    return { ok: true };
  });

  // ---------------------------------------------------------------- users
  r.get('/api/users', { config: { roles: ['manager'] }, schema: { tags, summary: 'Users (a manager sees users without roles and those of the projects they manage)' } }, async (request) => {
    const p = guard.principal(request);
    const users = (await accounts.listUsers()).filter((u) => p.admin || u.roles.length === 0 || u.roles.some((x) => managedProjects(p).has(x.project)));
    return { users: users.map((u) => scopedUser(p, u)) };
  });

  r.post('/api/users', { config: { roles: ['manager'] }, schema: { tags, summary: 'Create a user (admins may create admins)', body: z.strictObject({ username: z.string().min(1).max(64), password, displayName: z.string().max(200).optional(), admin: z.boolean().optional() }) } }, async (request, reply) => {
    const p = guard.principal(request);
    if (request.body.admin && !p.admin) throw forbidden('only an admin may create an admin', 'forbidden', 'admin');
    const u = await accounts.createUser(request.body, p.userId);
    await guard.record(request, '*', 'user-create', { detail: { user: u.id, admin: u.admin } });
    return reply.code(201).send(u);
  });

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    r.post(`/api/users/:user/${action}`, { config: { roles: ['manager'] }, schema: { tags, summary: disabled ? 'Disable a user: signs them out everywhere and refuses their sign-in' : 'Enable a disabled user', params: userParam } }, async (request) => {
      const p = guard.principal(request);
      const target = await accounts.user(request.params.user.toLowerCase());
      if (!mayManage(p, target)) throw forbidden('a manager may only act on users whose roles are all in projects they manage');
      if (disabled && target.id === p.userId) throw forbidden('you cannot disable yourself', 'forbidden', 'user');
      const u = await accounts.setDisabled(target.id, disabled);
      await guard.record(request, '*', `user-${action}`, { detail: { user: u.id } });
      return scopedUser(p, u);
    });
  }

  // ---------------------------------------------------------------- roles
  const roleParams = z.object({ project: projectParam, user: z.string().min(1).max(64) });
  r.get('/api/projects/:project/roles', { config: { roles: ['manager'] }, schema: { tags, summary: 'Who holds which role in the project (and which staff id they are)', params: projectParams } }, async (request) => {
    await app.timezone(request.params.project); // 404 for an unknown project
    return { roles: await accounts.projectRoles(request.params.project) };
  });
  r.put('/api/projects/:project/roles/:user', { config: { roles: ['manager'] }, schema: { tags, summary: 'Give a user their role in the project, linked to a staff id (a consultant’s customers and a channel agent’s reports are those of that staff id)', params: roleParams, body: z.strictObject({ role: z.enum(PROJECT_ROLES), staff: z.string().min(1).max(64).optional(), agency: z.string().max(200).optional() }) } }, async (request) => {
    const { project } = request.params;
    await app.timezone(project);
    const user = request.params.user.toLowerCase();
    const p = guard.principal(request);
    const u = await accounts.setRole(project, user, request.body, p.userId);
    await guard.record(request, project, 'role-set', { detail: { user, role: request.body.role, staff: request.body.staff ?? null } });
    // The answer names the user's roles only in projects the caller manages (this one included).
    return scopedUser(p, u);
  });
  r.delete('/api/projects/:project/roles/:user', { config: { roles: ['manager'] }, schema: { tags, summary: 'Remove a user’s role in the project', params: roleParams } }, async (request) => {
    const { project } = request.params;
    const user = request.params.user.toLowerCase();
    const removed = await accounts.removeRole(project, user);
    if (removed) await guard.record(request, project, 'role-remove', { detail: { user } });
    return { removed };
  });

  // ---------------------------------------------------------------- grants
  r.get('/api/projects/:project/grants', { config: { roles: ['manager'] }, schema: { tags, summary: 'Past-register grants of the project', params: projectParams } }, async (request) => ({ grants: await accounts.grants(request.params.project) }));
  r.post('/api/projects/:project/grants', { config: { roles: ['manager'] }, schema: { tags, summary: 'Let a user read past registers (days before today) from `from` until `until`', params: projectParams, body: z.strictObject({ user: z.string().min(1).max(64), from: instant.optional(), until: instant, reason: z.string().trim().min(1).max(500) }) } }, async (request, reply) => {
    const { project } = request.params;
    const tz = await app.timezone(project);
    const b = request.body;
    const g = await accounts.grant(project, { user: b.user.toLowerCase(), from: b.from === undefined ? now() : toInstant(b.from, tz, 'from')!, until: toInstant(b.until, tz, 'until')!, reason: b.reason }, guard.principal(request).userId);
    await guard.record(request, project, 'grant', { reason: b.reason, detail: { grant: g.id, user: g.user, from: g.from, until: g.until } });
    return reply.code(201).send(g);
  });
  r.delete('/api/projects/:project/grants/:id', { config: { roles: ['manager'] }, schema: { tags, summary: 'Revoke a grant', params: z.object({ project: projectParam, id: z.string().min(1).max(64) }) } }, async (request) => {
    await accounts.revokeGrant(request.params.project, request.params.id);
    await guard.record(request, request.params.project, 'grant-revoke', { detail: { grant: request.params.id } });
    return { ok: true };
  });

  // ---------------------------------------------------------------- audit
  r.get('/api/projects/:project/audit', { config: { roles: ['manager', 'controller'] }, schema: { tags, summary: 'The project’s audit log (unmasked reads, exports, erasures, role and grant changes), paged by seq', params: projectParams, querystring: z.object({ afterSeq: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }) } }, async (request) => {
    await app.timezone(request.params.project);
    const rows = await audit.list(request.params.project, request.query);
    return { audit: rows.map((x) => ({ seq: x.seq, at: x.at, user: x.user_id, action: x.action, subject: x.subject, route: x.route, reason: x.reason, detail: JSON.parse(x.detail) as unknown, hash: x.hash })) };
  });

  // ---------------------------------------------------------------- data rights
  const phoneParams = z.object({ project: projectParam, phone: z.string().min(1).max(64) });
  r.get('/api/projects/:project/customers/:phone/export', { config: { roles: ['manager'] }, schema: { tags: ['privacy'], summary: 'Everything held about one customer, for them (audited; `reason` required)', params: phoneParams, querystring: z.object({ reason: z.string().trim().min(1).max(500) }) } }, async (request) => {
    const { project, phone } = request.params;
    const data = await app.exportCustomer(project, phone);
    await guard.record(request, project, 'export', { phone: data.customer.phone, reason: request.query.reason, detail: { events: data.events.length } });
    return { exportedAt: new Date(now()).toISOString(), project, ...data };
  });
  r.post('/api/projects/:project/customers/:phone/erase', { config: { roles: ['manager'] }, schema: { tags: ['privacy'], summary: 'Erase a customer’s personal fields (name, phone) from the log and every projection; the chain keeps verifying', params: phoneParams, body: z.strictObject({ reason: z.string().trim().min(1).max(500) }) } }, async (request) => {
    const { project, phone } = request.params;
    const result = await app.eraseCustomer(project, phone);
    // The seqs the erasure blanked go into the hash-chained audit log: an erasure record nobody wrote through here stands out (docs/verify.md).
    await guard.record(request, project, 'erase', { phone, reason: request.body.reason, detail: { events: result.events, seqs: result.seqs } });
    return { erased: true, events: result.events };
  });

  return guard;
}

/**
 * May this standing record this event? Managers and admins: anything.
 * Front desk: the desk's registrations (not rulings, corrections, staff,
 * policy, departures, campaigns). Consultants: their own contacts and status,
 * as themselves. Channel agents: reports, as themselves. Rulings and
 * corrections need the manager role and a reason.
 */
export function checkEventRole(s: Standing, event: { type: string; staff?: unknown; reason?: unknown }): void {
  if ((event.type === 'ruling' || event.type === 'correction') && !isManagerial(s)) throw forbidden(`a ${event.type} needs the manager role`, 'manager-required', 'type');
  if ((event.type === 'ruling' || event.type === 'correction') && (typeof event.reason !== 'string' || event.reason.trim() === '')) throw forbidden(`a ${event.type} needs a reason`, 'reason-required', 'reason');
  if (isManagerial(s)) return;
  const allowed: Record<string, readonly string[]> = {
    frontdesk: ['visit', 'call', 'recognize', 'followup', 'outreach', 'report', 'referral', 'relation', 'staff-relation', 'deal', 'complaint', 'no-contact', 'duty', 'status'],
    consultant: ['call', 'followup', 'outreach', 'recognize', 'referral', 'relation', 'no-contact', 'status'],
    channel: ['report'],
  };
  if (!s.role || !allowed[s.role]?.includes(event.type)) throw forbidden(`the ${s.role ?? 'signed-in'} role may not record a ${event.type} event`, 'forbidden', 'type');
  if ((s.role === 'consultant' || s.role === 'channel') && event.staff !== undefined && event.staff !== s.staffId) {
    throw forbidden(`you record as yourself (staff ${s.staffId ?? '—'}), not as ${String(event.staff).slice(0, 64)}`, 'forbidden', 'staff');
  }
}
