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
//
// The tables are the store's (src/store/accounts-store.ts): this file keeps
// the policy — hashing, lockout and its back-off, lifetimes, errors.
import { randomUUID } from 'node:crypto';
import { sha256Hex, type AccountsStore } from '../store/index.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../app/errors.ts';
import { tooMany, unauthenticated, AuthError } from './errors.ts';
import { DEFAULT_COST, hashPassword, randomPassword, randomToken, verifyPassword, type ArgonCost } from './passwords.ts';
import { PROJECT_ROLES, type Membership, type Principal, type ProjectRole } from './roles.ts';

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

  constructor(private readonly store: AccountsStore, opts: AccountOptions = {}) {
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

  // ---------------------------------------------------------------- users

  /**
   * First start: when there is no user at all, creates `admin` with the given
   * password (GUISHU_ADMIN_PASSWORD) or a random one, returned to be printed once.
   */
  async bootstrap(adminPassword?: string): Promise<{ username: string; password: string; generated: boolean } | null> {
    if (await this.store.hasUsers()) return null;
    const generated = !adminPassword;
    const password = adminPassword || randomPassword();
    const hash = await hashPassword(password, this.argon);
    const added = await this.store.addUser({ user_id: 'admin', username: 'admin', display_name: 'Administrator', password_hash: hash, is_admin: 1, created_at: iso(this.now()), created_by: null });
    if (!added) return null; // another process won the race
    return { username: 'admin', password, generated };
  }

  async createUser(input: { username: string; password: string; displayName?: string; admin?: boolean }, by: string | null): Promise<UserView> {
    if (!USERNAME.test(input.username)) throw new InvalidInputError('username', 'a username is 1-64 letters, digits, ".", "_", "@" or "-"');
    checkPassword(input.password, 'password');
    const id = input.username.toLowerCase();
    const hash = await hashPassword(input.password, this.argon);
    const added = await this.store.addUser({ user_id: id, username: id, display_name: input.displayName ?? null, password_hash: hash, is_admin: input.admin ? 1 : 0, created_at: iso(this.now()), created_by: by });
    if (!added) throw new ConflictError('user-exists', `user ${id} already exists`, 'username');
    return this.user(id);
  }

  async user(userId: string): Promise<UserView> {
    const u = await this.store.userRow(userId);
    if (!u) throw new NotFoundError('user-not-found', `no user ${userId}`, 'user');
    const roles = await this.store.userRoles(userId);
    return {
      id: u.user_id, username: u.username, displayName: u.display_name, admin: Number(u.is_admin) === 1, disabled: u.disabled_at !== null,
      roles: roles.map((r) => ({ project: r.project_id, role: r.role as ProjectRole, staff: r.staff_id, agency: r.agency })),
    };
  }

  async listUsers(): Promise<UserView[]> {
    const ids = await this.store.userIds();
    return Promise.all(ids.map((id) => this.user(id)));
  }

  async setDisabled(userId: string, disabled: boolean): Promise<UserView> {
    await this.user(userId);
    this.forgetSessions();
    await this.store.setUserDisabledAt(userId, disabled ? iso(this.now()) : null);
    if (disabled) await this.store.deleteUserSessions(userId);
    return this.user(userId);
  }

  async changePassword(userId: string, current: string, next: string): Promise<void> {
    const u = await this.store.userRow(userId);
    if (!u || !(await verifyPassword(u.password_hash, current))) throw new AuthError('bad-credentials', 403, 'the current password is wrong', {}, 'current');
    checkPassword(next, 'next');
    this.forgetSessions();
    await this.store.setPasswordHash(userId, await hashPassword(next, this.argon));
  }

  // ---------------------------------------------------------------- roles

  async setRole(projectId: string, userId: string, m: { role: ProjectRole; staff?: string | null; agency?: string | null }, by: string): Promise<UserView> {
    if (!PROJECT_ROLES.includes(m.role)) throw new InvalidInputError('role', `one of ${PROJECT_ROLES.join(', ')}`);
    await this.user(userId);
    if (m.staff) {
      const taken = await this.store.staffLinkedUser(projectId, m.staff, userId);
      if (taken) throw new ConflictError('staff-linked', `staff ${m.staff} is already linked to user ${taken}`, 'staff');
    }
    const row = { project_id: projectId, user_id: userId, role: m.role, staff_id: m.staff ?? null, agency: m.agency ?? null, granted_by: by, granted_at: iso(this.now()) };
    this.forgetSessions();
    await this.store.putUserRole(row);
    return this.user(userId);
  }

  async removeRole(projectId: string, userId: string): Promise<boolean> {
    this.forgetSessions();
    return this.store.deleteUserRole(projectId, userId);
  }

  async projectRoles(projectId: string) {
    const rows = await this.store.projectUserRoles(projectId);
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
    // The lock for count n, spelled out per n up to the cap, as this attempt's end times.
    const steps: [number, string][] = [];
    for (let k = this.lockAfter; steps.length < 64; k++) {
      const ms = this.lockMsAfter(k);
      steps.push([k, iso(now + ms)]);
      if (ms >= this.lockMaxMs) break;
    }
    const first = this.lockMsAfter(1);
    const locks = { first: first ? iso(now + first) : null, from: this.lockAfter, steps: steps.slice(0, -1), rest: steps[steps.length - 1]![1] };
    if (await this.store.countLoginFailure(username, iso(now), locks)) return null;
    const lockedUntil = await this.store.loginLockedUntil(username);
    // Unlocked and deleted in between (a success elsewhere): refuse this once rather than check uncounted.
    return { lockedUntil: lockedUntil ? Date.parse(lockedUntil) : now + 1000 };
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
    const u = await this.store.userRowByName(username);
    this.dummyHash ??= hashPassword(randomPassword(), this.argon);
    const ok = await verifyPassword(u?.password_hash ?? (await this.dummyHash), password);
    if (!u || !ok || u.disabled_at !== null) {
      throw new AuthError('bad-credentials', 401, 'wrong username or password', { 'www-authenticate': 'Bearer realm="guishu"' });
    }
    await this.store.clearLoginFailures(username);
    return u.user_id;
  }

  /** A session (cookie) or token (bearer) for the user; `loginId` ties the two credentials of one sign-in together. */
  async issue(userId: string, kind: 'cookie' | 'bearer', loginId: string | null = null): Promise<IssuedSession> {
    const token = randomToken();
    const csrf = kind === 'cookie' ? randomToken(24) : null;
    const now = this.now();
    const expiresAt = iso(now + this.sessionTtlMs);
    await this.store.addSession({ token_hash: sha256Hex(token), user_id: userId, kind, csrf, created_at: iso(now), expires_at: expiresAt, idle_until: iso(now + (kind === 'cookie' ? this.idleTtlMs : this.sessionTtlMs)), login_id: loginId });
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
    await this.store.deleteSignIn(tokenHash);
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
    const s = await this.store.sessionRow(tokenHash);
    if (!s || s.kind !== kind) throw unauthenticated('invalid or revoked session');
    const now = this.now();
    if (Date.parse(s.expires_at) <= now || Date.parse(s.idle_until) <= now) {
      await this.store.deleteSession(tokenHash);
      throw unauthenticated('session expired; sign in again');
    }
    const u = await this.store.userRow(s.user_id);
    if (!u || u.disabled_at !== null) throw unauthenticated('user disabled');
    const expiresAt = Date.parse(s.expires_at);
    let idleUntil = Date.parse(s.idle_until);
    if (kind === 'cookie' && idleUntil - now < this.idleTtlMs / 2) {
      idleUntil = Math.min(now + this.idleTtlMs, expiresAt);
      await this.store.setSessionIdleUntil(tokenHash, iso(idleUntil));
    }
    const roles = await this.store.userRoles(u.user_id);
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
    await this.store.addGrant(row);
    return grantJson(row);
  }

  async grants(projectId: string) {
    const rows = await this.store.grantRows(projectId);
    return rows.map(grantJson);
  }

  async revokeGrant(projectId: string, grantId: string) {
    if (!(await this.store.revokeGrantRow(projectId, grantId, iso(this.now())))) throw new NotFoundError('grant-not-found', `no active grant ${grantId}`, 'id');
  }

  /** An active past-registers grant of the user in the project, now. */
  async hasPastGrant(projectId: string, userId: string): Promise<boolean> {
    return this.store.hasActiveGrant(projectId, userId, 'past-registers', iso(this.now()));
  }
}

function checkPassword(p: string, field: string): void {
  if (p.length < 10 || p.length > 200) throw new InvalidInputError(field, 'a password is 10-200 characters');
}

function grantJson(r: { grant_id: string; user_id: string; scope: string; valid_from: string; valid_until: string; reason: string; granted_by: string; created_at: string; revoked_at: string | null }) {
  return { id: r.grant_id, user: r.user_id, scope: r.scope, from: r.valid_from, until: r.valid_until, reason: r.reason, grantedBy: r.granted_by, createdAt: r.created_at, revokedAt: r.revoked_at };
}
