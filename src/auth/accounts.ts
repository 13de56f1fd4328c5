// Accounts: users (argon2id passwords), their role per project, sessions
// (cookie sessions with a CSRF token; bearer tokens for API clients; only a
// sha256 of a token is stored), lockout with back-off, and the grants a
// manager gives to read past registers for a time window.
//
// Sign-in failures are counted in the database, atomically, before the
// password is checked: one upsert increments the count and sets the lock from
// the incremented value, and does nothing while a lock holds. So however many
// attempts arrive at once (in this process or others), at most `lockAfter`
// reach argon2 before the rest are answered 429.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { sha256Hex, type EventStore } from '../store/index.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../app/errors.ts';
import { tooMany, unauthenticated, AuthError } from './errors.ts';
import { DEFAULT_COST, hashPassword, randomPassword, randomToken, verifyPassword, type ArgonCost } from './passwords.ts';
import { PROJECT_ROLES, type Membership, type Principal, type ProjectRole } from './roles.ts';
import { GROUP } from './audit.ts';

export interface AccountOptions {
  now?: () => number;
  argon?: ArgonCost;
  /** Absolute session lifetime. Default 12 h. */
  sessionTtlMs?: number;
  /** A cookie session unused this long expires. Default 2 h. */
  idleTtlMs?: number;
  /** Failures before the first lock. Default 5. */
  lockAfter?: number;
  /** First lock; doubles with every further failure. Default 30 s. */
  lockBaseMs?: number;
  /** Longest lock. Default 15 min. */
  lockMaxMs?: number;
  /**
   * How long a resolved session is trusted without asking the database again
   * (default 1 s). Changes made through this process (sign-out, disabling,
   * roles, passwords) apply at once; one made by another process within this
   * window. Expiry is checked on every request regardless.
   */
  sessionCacheMs?: number;
}

interface CachedPrincipal {
  principal: Principal;
  kind: 'cookie' | 'bearer';
  expiresAt: number;
  idleUntil: number;
  checkedAt: number;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string | null;
  admin: boolean;
  disabled: boolean;
  roles: { project: string; role: ProjectRole; staff: string | null; agency: string | null }[];
}

export interface IssuedSession {
  token: string;
  csrf: string | null;
  expiresAt: string;
}

export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const iso = (ms: number) => new Date(ms).toISOString();

export class Accounts {
  private readonly now: () => number;
  private readonly argon: ArgonCost;
  readonly sessionTtlMs: number;
  private readonly idleTtlMs: number;
  private readonly lockAfter: number;
  private readonly lockBaseMs: number;
  private readonly lockMaxMs: number;
  private dummyHash: Promise<string> | undefined;
  private readonly sessionCacheMs: number;
  /** Resolved sessions by token hash: a judge at the front desk costs no session query (see sessionCacheMs). */
  private readonly principals = new Map<string, CachedPrincipal>();

  constructor(private readonly store: EventStore, opts: AccountOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.argon = opts.argon ?? DEFAULT_COST;
    this.sessionTtlMs = opts.sessionTtlMs ?? 12 * 3_600_000;
    this.idleTtlMs = opts.idleTtlMs ?? 2 * 3_600_000;
    this.lockAfter = opts.lockAfter ?? 5;
    this.lockBaseMs = opts.lockBaseMs ?? 30_000;
    this.lockMaxMs = opts.lockMaxMs ?? 15 * 60_000;
    this.sessionCacheMs = opts.sessionCacheMs ?? 1000;
  }

  /** Drops every resolved session (after any change to sessions, users or roles). */
  forgetSessions(): void {
    this.principals.clear();
  }

  private get db() {
    return this.store.db;
  }

  // ---------------------------------------------------------------- users

  /**
   * First start: when there is no user at all, creates `admin` with the given
   * password (GUISHU_ADMIN_PASSWORD) or a random one, returned to be printed once.
   */
  async bootstrap(adminPassword?: string): Promise<{ username: string; password: string; generated: boolean } | null> {
    const any = await this.db.selectFrom('users').select('user_id').where('project_id', '=', GROUP).limit(1).executeTakeFirst();
    if (any) return null;
    const generated = !adminPassword;
    const password = adminPassword || randomPassword();
    const hash = await hashPassword(password, this.argon);
    const r = await this.db.insertInto('users').values({ project_id: GROUP, user_id: 'admin', username: 'admin', display_name: 'Administrator', password_hash: hash, is_admin: 1, disabled_at: null, created_at: iso(this.now()), created_by: null })
      .onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return null; // another process won the race
    return { username: 'admin', password, generated };
  }

  async createUser(input: { username: string; password: string; displayName?: string; admin?: boolean }, by: string | null): Promise<UserView> {
    if (!USERNAME.test(input.username)) throw new InvalidInputError('username', 'a username is 1-64 letters, digits, ".", "_", "@" or "-"');
    checkPassword(input.password, 'password');
    const id = input.username.toLowerCase();
    const hash = await hashPassword(input.password, this.argon);
    const r = await this.db.insertInto('users').values({ project_id: GROUP, user_id: id, username: id, display_name: input.displayName ?? null, password_hash: hash, is_admin: input.admin ? 1 : 0, disabled_at: null, created_at: iso(this.now()), created_by: by })
      .onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) throw new ConflictError('user-exists', `user ${id} already exists`, 'username');
    return this.user(id);
  }

  async user(userId: string): Promise<UserView> {
    const u = await this.db.selectFrom('users').selectAll().where('project_id', '=', GROUP).where('user_id', '=', userId).executeTakeFirst();
    if (!u) throw new NotFoundError('user-not-found', `no user ${userId}`, 'user');
    const roles = await this.db.selectFrom('user_roles').selectAll().where('user_id', '=', userId).orderBy('project_id').execute();
    return {
      id: u.user_id, username: u.username, displayName: u.display_name, admin: Number(u.is_admin) === 1, disabled: u.disabled_at !== null,
      roles: roles.map((r) => ({ project: r.project_id, role: r.role as ProjectRole, staff: r.staff_id, agency: r.agency })),
    };
  }

  async listUsers(): Promise<UserView[]> {
    const users = await this.db.selectFrom('users').select('user_id').where('project_id', '=', GROUP).orderBy('user_id').execute();
    return Promise.all(users.map((u) => this.user(u.user_id)));
  }

  async setDisabled(userId: string, disabled: boolean): Promise<UserView> {
    await this.user(userId);
    this.forgetSessions();
    await this.db.updateTable('users').set({ disabled_at: disabled ? iso(this.now()) : null }).where('project_id', '=', GROUP).where('user_id', '=', userId).execute();
    if (disabled) await this.db.deleteFrom('sessions').where('project_id', '=', GROUP).where('user_id', '=', userId).execute();
    return this.user(userId);
  }

  async changePassword(userId: string, current: string, next: string): Promise<void> {
    const u = await this.db.selectFrom('users').select('password_hash').where('project_id', '=', GROUP).where('user_id', '=', userId).executeTakeFirst();
    if (!u || !(await verifyPassword(u.password_hash, current))) throw new AuthError('bad-credentials', 403, 'the current password is wrong', {}, 'current');
    checkPassword(next, 'next');
    this.forgetSessions();
    await this.db.updateTable('users').set({ password_hash: await hashPassword(next, this.argon) }).where('project_id', '=', GROUP).where('user_id', '=', userId).execute();
  }

  // ---------------------------------------------------------------- roles

  async setRole(projectId: string, userId: string, m: { role: ProjectRole; staff?: string | null; agency?: string | null }, by: string): Promise<UserView> {
    if (!PROJECT_ROLES.includes(m.role)) throw new InvalidInputError('role', `one of ${PROJECT_ROLES.join(', ')}`);
    await this.user(userId);
    if (m.staff) {
      const taken = await this.db.selectFrom('user_roles').select('user_id').where('project_id', '=', projectId).where('staff_id', '=', m.staff).where('user_id', '!=', userId).executeTakeFirst();
      if (taken) throw new ConflictError('staff-linked', `staff ${m.staff} is already linked to user ${taken.user_id}`, 'staff');
    }
    const row = { project_id: projectId, user_id: userId, role: m.role, staff_id: m.staff ?? null, agency: m.agency ?? null, granted_by: by, granted_at: iso(this.now()) };
    this.forgetSessions();
    await this.db.insertInto('user_roles').values(row)
      .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role: row.role, staff_id: row.staff_id, agency: row.agency, granted_by: by, granted_at: row.granted_at })).execute();
    return this.user(userId);
  }

  async removeRole(projectId: string, userId: string): Promise<boolean> {
    this.forgetSessions();
    const r = await this.db.deleteFrom('user_roles').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async projectRoles(projectId: string) {
    const rows = await this.db.selectFrom('user_roles').selectAll().where('project_id', '=', projectId).orderBy('user_id').execute();
    return rows.map((r) => ({ user: r.user_id, role: r.role as ProjectRole, staff: r.staff_id, agency: r.agency, grantedBy: r.granted_by, grantedAt: r.granted_at }));
  }

  // ---------------------------------------------------------------- sign-in

  /** How long the n-th consecutive failure locks the name: nothing before `lockAfter`, then the base, doubling up to the maximum. */
  lockMsAfter(failures: number): number {
    if (failures < this.lockAfter) return 0;
    return Math.min(this.lockMaxMs, this.lockBaseMs * 2 ** Math.min(failures - this.lockAfter, 40));
  }

  /**
   * Counts a sign-in attempt before its password is checked (the count is
   * cleared when it succeeds). One statement, atomic in both databases: the
   * failure count goes up by one and the lock is set from the new count —
   * unless the name is locked, when nothing changes and the lock's end is
   * returned instead.
   */
  private async countAttempt(username: string, now: number): Promise<{ lockedUntil: number } | null> {
    const at = iso(now);
    // The lock for count n (n = the stored count + 1), spelled out per n up to the cap: ISO text in both dialects.
    const n = sql<number>`login_failures.failures + 1`;
    const steps: [number, string][] = [];
    for (let k = this.lockAfter; steps.length < 64; k++) {
      const ms = this.lockMsAfter(k);
      steps.push([k, iso(now + ms)]);
      if (ms >= this.lockMaxMs) break;
    }
    const last = steps[steps.length - 1]!;
    const whens = steps.slice(0, -1).map(([k, v]) => sql`when ${n} = ${k} then ${v}`);
    const lockFor = sql<string | null>`case when ${n} < ${this.lockAfter} then null ${whens.length ? sql.join(whens, sql` `) : sql``} else ${last[1]} end`;
    const first = this.lockMsAfter(1);
    const counted = await this.db.insertInto('login_failures')
      .values({ project_id: GROUP, username, failures: 1, locked_until: first ? iso(now + first) : null, last_at: at })
      .onConflict((oc) => oc.columns(['project_id', 'username'])
        .doUpdateSet({ failures: n, locked_until: lockFor, last_at: at })
        .where((eb) => eb.or([eb('login_failures.locked_until', 'is', null), eb('login_failures.locked_until', '<=', at)])))
      .returning('failures')
      .executeTakeFirst();
    if (counted) return null;
    const f = await this.db.selectFrom('login_failures').select('locked_until').where('project_id', '=', GROUP).where('username', '=', username).executeTakeFirst();
    // Unlocked and deleted in between (a success elsewhere): refuse this once rather than check uncounted.
    return { lockedUntil: f?.locked_until ? Date.parse(f.locked_until) : now + 1000 };
  }

  /**
   * Checks the password with lockout and back-off. One answer (401
   * bad-credentials) for an unknown user, a wrong password and a disabled
   * account, each after one argon2 verification; 429 while the name is
   * locked, without checking. Returns the user id.
   */
  async checkLogin(usernameText: string, password: string): Promise<string> {
    const username = usernameText.toLowerCase().slice(0, 64);
    const now = this.now();
    const locked = await this.countAttempt(username, now);
    if (locked) throw tooMany('login-locked', `too many failed sign-ins for ${username}; try again later`, (locked.lockedUntil - now) / 1000);
    const u = await this.db.selectFrom('users').selectAll().where('project_id', '=', GROUP).where('username', '=', username).executeTakeFirst();
    this.dummyHash ??= hashPassword(randomPassword(), this.argon);
    const ok = await verifyPassword(u?.password_hash ?? (await this.dummyHash), password);
    if (!u || !ok || u.disabled_at !== null) {
      throw new AuthError('bad-credentials', 401, 'wrong username or password', { 'www-authenticate': 'Bearer realm="guishu"' });
    }
    await this.db.deleteFrom('login_failures').where('project_id', '=', GROUP).where('username', '=', username).execute();
    return u.user_id;
  }

  /** A session (cookie) or token (bearer) for the user; `loginId` ties the two credentials of one sign-in together. */
  async issue(userId: string, kind: 'cookie' | 'bearer', loginId: string | null = null): Promise<IssuedSession> {
    const token = randomToken();
    const csrf = kind === 'cookie' ? randomToken(24) : null;
    const now = this.now();
    const expiresAt = iso(now + this.sessionTtlMs);
    await this.db.insertInto('sessions').values({ project_id: GROUP, token_hash: sha256Hex(token), user_id: userId, kind, csrf, created_at: iso(now), expires_at: expiresAt, idle_until: iso(now + (kind === 'cookie' ? this.idleTtlMs : this.sessionTtlMs)), login_id: loginId }).execute();
    return { token, csrf, expiresAt };
  }

  /** Signs in: a cookie session and a bearer token, issued together (signing out of either ends both). */
  async issueLogin(userId: string): Promise<{ cookie: IssuedSession; bearer: IssuedSession }> {
    const loginId = randomUUID();
    return { cookie: await this.issue(userId, 'cookie', loginId), bearer: await this.issue(userId, 'bearer', loginId) };
  }

  /** Ends the session of this token hash and every credential issued by the same sign-in. */
  async revokeHash(tokenHash: string): Promise<void> {
    this.forgetSessions();
    const s = await this.db.selectFrom('sessions').select('login_id').where('project_id', '=', GROUP).where('token_hash', '=', tokenHash).executeTakeFirst();
    let q = this.db.deleteFrom('sessions').where('project_id', '=', GROUP);
    q = s?.login_id ? q.where((eb) => eb.or([eb('token_hash', '=', tokenHash), eb('login_id', '=', s.login_id)])) : q.where('token_hash', '=', tokenHash);
    await q.execute();
  }

  async revoke(token: string): Promise<void> {
    await this.revokeHash(sha256Hex(token));
  }

  /** The principal a token stands for; 401 when unknown, of the other kind, expired, or its user disabled. */
  async resolve(token: string, kind: 'cookie' | 'bearer'): Promise<Principal> {
    if (!token || token.length > 200) throw unauthenticated('invalid session');
    const tokenHash = sha256Hex(token);
    const hit = this.principals.get(tokenHash);
    if (hit) {
      const now = this.now();
      // Trusted for sessionCacheMs, never past its expiry, and not when a cookie session's idle deadline is due to move.
      const fresh = now - hit.checkedAt < this.sessionCacheMs && hit.kind === kind && hit.expiresAt > now && hit.idleUntil > now
        && !(kind === 'cookie' && hit.idleUntil - now < this.idleTtlMs / 2);
      if (fresh) return hit.principal;
      this.principals.delete(tokenHash);
    }
    const s = await this.db.selectFrom('sessions').selectAll().where('project_id', '=', GROUP).where('token_hash', '=', tokenHash).executeTakeFirst();
    if (!s || s.kind !== kind) throw unauthenticated('invalid or revoked session');
    const now = this.now();
    if (Date.parse(s.expires_at) <= now || Date.parse(s.idle_until) <= now) {
      await this.db.deleteFrom('sessions').where('project_id', '=', GROUP).where('token_hash', '=', tokenHash).execute();
      throw unauthenticated('session expired; sign in again');
    }
    const u = await this.db.selectFrom('users').selectAll().where('project_id', '=', GROUP).where('user_id', '=', s.user_id).executeTakeFirst();
    if (!u || u.disabled_at !== null) throw unauthenticated('user disabled');
    const expiresAt = Date.parse(s.expires_at);
    let idleUntil = Date.parse(s.idle_until);
    if (kind === 'cookie' && idleUntil - now < this.idleTtlMs / 2) {
      idleUntil = Math.min(now + this.idleTtlMs, expiresAt);
      await this.db.updateTable('sessions').set({ idle_until: iso(idleUntil) }).where('project_id', '=', GROUP).where('token_hash', '=', tokenHash).execute();
    }
    const roles = await this.db.selectFrom('user_roles').selectAll().where('user_id', '=', u.user_id).execute();
    const principal: Principal = {
      userId: u.user_id, username: u.username, displayName: u.display_name, admin: Number(u.is_admin) === 1,
      roles: new Map(roles.map((r) => [r.project_id, { role: r.role as ProjectRole, staffId: r.staff_id, agency: r.agency } satisfies Membership])),
      session: { kind, tokenHash, csrf: s.csrf, expiresAt: s.expires_at },
    };
    if (this.sessionCacheMs > 0) {
      if (this.principals.size >= 10_000) this.principals.delete(this.principals.keys().next().value!);
      this.principals.set(tokenHash, { principal, kind, expiresAt, idleUntil, checkedAt: now });
    }
    return principal;
  }

  // ---------------------------------------------------------------- grants

  async grant(projectId: string, input: { user: string; from: number; until: number; reason: string; scope?: string }, by: string) {
    await this.user(input.user);
    if (!(input.until > input.from)) throw new InvalidInputError('until', 'until must be after from');
    const id = `g-${randomUUID().slice(0, 8)}`;
    const row = { project_id: projectId, grant_id: id, user_id: input.user, scope: input.scope ?? 'past-registers', valid_from: iso(input.from), valid_until: iso(input.until), reason: input.reason, granted_by: by, created_at: iso(this.now()), revoked_at: null };
    await this.db.insertInto('grants').values(row).execute();
    return grantJson(row);
  }

  async grants(projectId: string) {
    const rows = await this.db.selectFrom('grants').selectAll().where('project_id', '=', projectId).orderBy('created_at').execute();
    return rows.map(grantJson);
  }

  async revokeGrant(projectId: string, grantId: string) {
    const r = await this.db.updateTable('grants').set({ revoked_at: iso(this.now()) }).where('project_id', '=', projectId).where('grant_id', '=', grantId).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new NotFoundError('grant-not-found', `no active grant ${grantId}`, 'id');
  }

  /** An active past-registers grant of the user in the project, now. */
  async hasPastGrant(projectId: string, userId: string): Promise<boolean> {
    const now = iso(this.now());
    const g = await this.db.selectFrom('grants').select('grant_id').where('project_id', '=', projectId).where('user_id', '=', userId)
      .where('scope', '=', 'past-registers').where('revoked_at', 'is', null).where('valid_from', '<=', now).where('valid_until', '>', now).executeTakeFirst();
    return g !== undefined;
  }
}

function checkPassword(p: string, field: string): void {
  if (p.length < 10 || p.length > 200) throw new InvalidInputError(field, 'a password is 10-200 characters');
}

function grantJson(r: { grant_id: string; user_id: string; scope: string; valid_from: string; valid_until: string; reason: string; granted_by: string; created_at: string; revoked_at: string | null }) {
  return { id: r.grant_id, user: r.user_id, scope: r.scope, from: r.valid_from, until: r.valid_until, reason: r.reason, grantedBy: r.granted_by, createdAt: r.created_at, revokedAt: r.revoked_at };
}
