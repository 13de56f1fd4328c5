// The account tables (migration 2; src/auth/accounts.ts keeps the policy:
// hashing, lockout, lifetimes, errors): users, their roles per project,
// sessions, sign-in failures and read grants. Users, sessions and sign-in
// failures are group-wide: their rows live under the reserved tenant '*'.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { StoreAdapter } from './adapter.js';
import type { Database, GrantsTable, SessionsTable, UserRolesTable, UsersTable } from './schema.js';

/** The tenant of group-wide rows (users, sessions, sign-in failures, the group's audit chain): no project id can take it. */
export const GROUP_ID = '*';

export type UserRow = Selectable<UsersTable>;
export type UserRoleRow = Selectable<UserRolesTable>;
export type SessionRow = Selectable<SessionsTable>;
export type GrantRow = Selectable<GrantsTable>;

/**
 * The lock a sign-in failure sets, by the name's failure count n after it
 * (ISO times: each lock's end, computed by the caller for this attempt).
 */
export interface LoginLocks {
  /** The lock after a first failure (no row yet); null: none. */
  first: string | null;
  /** n below this: no lock. */
  from: number;
  /** [n, end] for the counts from `from` on that have a lock of their own, ascending. */
  steps: readonly (readonly [number, string])[];
  /** The lock for every higher n (the longest). */
  rest: string;
}

export interface AccountsStore {
  /** Whether there is any user. */
  hasUsers(): Promise<boolean>;
  /** Adds the user unless its id or username is taken (then false and nothing is written, also when another process won the race). */
  addUser(user: Omit<UserRow, 'project_id' | 'disabled_at'>): Promise<boolean>;
  userRow(userId: string): Promise<UserRow | undefined>;
  userRowByName(username: string): Promise<UserRow | undefined>;
  /** Every user id, in order. */
  userIds(): Promise<string[]>;
  /** Sets or clears the time the user was disabled. */
  setUserDisabledAt(userId: string, disabledAt: string | null): Promise<void>;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;

  /** The user's roles in every project, by project. */
  userRoles(userId: string): Promise<UserRoleRow[]>;
  /** The user other than `exceptUserId` whose role in the project is linked to this staff id. */
  staffLinkedUser(projectId: string, staffId: string, exceptUserId: string): Promise<string | undefined>;
  /** Sets the user's role in the project, replacing the one there. */
  putUserRole(row: UserRoleRow): Promise<void>;
  /** Removes the user's role in the project; false when there was none. */
  deleteUserRole(projectId: string, userId: string): Promise<boolean>;
  /** The roles in the project, by user. */
  projectUserRoles(projectId: string): Promise<UserRoleRow[]>;

  /**
   * Counts a failed sign-in of the name at `at`, unless a lock holds (its end
   * later than `at`): then nothing changes and false is returned. One
   * statement, atomic in both databases: the count goes up by one and the lock
   * is set from the new count (`locks`).
   */
  countLoginFailure(username: string, at: string, locks: LoginLocks): Promise<boolean>;
  /** The end of the name's lock (null: no lock, or no failures recorded). */
  loginLockedUntil(username: string): Promise<string | null>;
  /** Forgets the name's failures. */
  clearLoginFailures(username: string): Promise<void>;

  addSession(session: Omit<SessionRow, 'project_id'>): Promise<void>;
  sessionRow(tokenHash: string): Promise<SessionRow | undefined>;
  setSessionIdleUntil(tokenHash: string, idleUntil: string): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Deletes the session of this token hash and every other of the same sign-in (login_id). */
  deleteSignIn(tokenHash: string): Promise<void>;
  /** Deletes every session of the user. */
  deleteUserSessions(userId: string): Promise<void>;

  addGrant(row: GrantRow): Promise<void>;
  /** The project's grants, oldest first. */
  grantRows(projectId: string): Promise<GrantRow[]>;
  /** Marks an unrevoked grant revoked at `revokedAt`; false when there is no such grant. */
  revokeGrantRow(projectId: string, grantId: string, revokedAt: string): Promise<boolean>;
  /** Whether the user holds an unrevoked grant of that scope in the project, valid at `at` (ISO). */
  hasActiveGrant(projectId: string, userId: string, scope: string, at: string): Promise<boolean>;
}

export function accountsStore(adapter: StoreAdapter): AccountsStore {
  const db: Kysely<Database> = adapter.db;
  return {
    async hasUsers() {
      const any = await db.selectFrom('users').select('user_id').where('project_id', '=', GROUP_ID).limit(1).executeTakeFirst();
      return any !== undefined;
    },

    async addUser(u) {
      const r = await db.insertInto('users').values({ project_id: GROUP_ID, user_id: u.user_id, username: u.username, display_name: u.display_name, password_hash: u.password_hash, is_admin: u.is_admin, disabled_at: null, created_at: u.created_at, created_by: u.created_by })
        .onConflict((oc) => oc.doNothing()).executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    userRow(userId) {
      return db.selectFrom('users').selectAll().where('project_id', '=', GROUP_ID).where('user_id', '=', userId).executeTakeFirst();
    },

    userRowByName(username) {
      return db.selectFrom('users').selectAll().where('project_id', '=', GROUP_ID).where('username', '=', username).executeTakeFirst();
    },

    async userIds() {
      const users = await db.selectFrom('users').select('user_id').where('project_id', '=', GROUP_ID).orderBy('user_id').execute();
      return users.map((u) => u.user_id);
    },

    async setUserDisabledAt(userId, disabledAt) {
      await db.updateTable('users').set({ disabled_at: disabledAt }).where('project_id', '=', GROUP_ID).where('user_id', '=', userId).execute();
    },

    async setPasswordHash(userId, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('project_id', '=', GROUP_ID).where('user_id', '=', userId).execute();
    },

    userRoles(userId) {
      return db.selectFrom('user_roles').selectAll().where('user_id', '=', userId).orderBy('project_id').execute();
    },

    async staffLinkedUser(projectId, staffId, exceptUserId) {
      const taken = await db.selectFrom('user_roles').select('user_id').where('project_id', '=', projectId).where('staff_id', '=', staffId).where('user_id', '!=', exceptUserId).executeTakeFirst();
      return taken?.user_id;
    },

    async putUserRole(row) {
      await db.insertInto('user_roles').values({ project_id: row.project_id, user_id: row.user_id, role: row.role, staff_id: row.staff_id, agency: row.agency, granted_by: row.granted_by, granted_at: row.granted_at })
        .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role: row.role, staff_id: row.staff_id, agency: row.agency, granted_by: row.granted_by, granted_at: row.granted_at })).execute();
    },

    async deleteUserRole(projectId, userId) {
      const r = await db.deleteFrom('user_roles').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    projectUserRoles(projectId) {
      return db.selectFrom('user_roles').selectAll().where('project_id', '=', projectId).orderBy('user_id').execute();
    },

    async countLoginFailure(username, at, locks) {
      // The lock for count n (n = the stored count + 1), spelled out per n up to the cap: ISO text in both dialects.
      const n = sql<number>`login_failures.failures + 1`;
      const whens = locks.steps.map(([k, v]) => sql`when ${n} = ${k} then ${v}`);
      const lockFor = sql<string | null>`case when ${n} < ${locks.from} then null ${whens.length ? sql.join(whens, sql` `) : sql``} else ${locks.rest} end`;
      const counted = await db.insertInto('login_failures')
        .values({ project_id: GROUP_ID, username, failures: 1, locked_until: locks.first, last_at: at })
        .onConflict((oc) => oc.columns(['project_id', 'username'])
          .doUpdateSet({ failures: n, locked_until: lockFor, last_at: at })
          .where((eb) => eb.or([eb('login_failures.locked_until', 'is', null), eb('login_failures.locked_until', '<=', at)])))
        .returning('failures')
        .executeTakeFirst();
      return counted !== undefined;
    },

    async loginLockedUntil(username) {
      const f = await db.selectFrom('login_failures').select('locked_until').where('project_id', '=', GROUP_ID).where('username', '=', username).executeTakeFirst();
      return f?.locked_until ?? null;
    },

    async clearLoginFailures(username) {
      await db.deleteFrom('login_failures').where('project_id', '=', GROUP_ID).where('username', '=', username).execute();
    },

    async addSession(s) {
      await db.insertInto('sessions').values({ project_id: GROUP_ID, token_hash: s.token_hash, user_id: s.user_id, kind: s.kind, csrf: s.csrf, created_at: s.created_at, expires_at: s.expires_at, idle_until: s.idle_until, login_id: s.login_id }).execute();
    },

    sessionRow(tokenHash) {
      return db.selectFrom('sessions').selectAll().where('project_id', '=', GROUP_ID).where('token_hash', '=', tokenHash).executeTakeFirst();
    },

    async setSessionIdleUntil(tokenHash, idleUntil) {
      await db.updateTable('sessions').set({ idle_until: idleUntil }).where('project_id', '=', GROUP_ID).where('token_hash', '=', tokenHash).execute();
    },

    async deleteSession(tokenHash) {
      await db.deleteFrom('sessions').where('project_id', '=', GROUP_ID).where('token_hash', '=', tokenHash).execute();
    },

    async deleteSignIn(tokenHash) {
      const s = await db.selectFrom('sessions').select('login_id').where('project_id', '=', GROUP_ID).where('token_hash', '=', tokenHash).executeTakeFirst();
      let q = db.deleteFrom('sessions').where('project_id', '=', GROUP_ID);
      q = s?.login_id ? q.where((eb) => eb.or([eb('token_hash', '=', tokenHash), eb('login_id', '=', s.login_id)])) : q.where('token_hash', '=', tokenHash);
      await q.execute();
    },

    async deleteUserSessions(userId) {
      await db.deleteFrom('sessions').where('project_id', '=', GROUP_ID).where('user_id', '=', userId).execute();
    },

    async addGrant(row) {
      await db.insertInto('grants').values(row).execute();
    },

    grantRows(projectId) {
      return db.selectFrom('grants').selectAll().where('project_id', '=', projectId).orderBy('created_at').execute();
    },

    async revokeGrantRow(projectId, grantId, revokedAt) {
      const r = await db.updateTable('grants').set({ revoked_at: revokedAt }).where('project_id', '=', projectId).where('grant_id', '=', grantId).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async hasActiveGrant(projectId, userId, scope, at) {
      const g = await db.selectFrom('grants').select('grant_id').where('project_id', '=', projectId).where('user_id', '=', userId)
        .where('scope', '=', scope).where('revoked_at', 'is', null).where('valid_from', '<=', at).where('valid_until', '>', at).executeTakeFirst();
      return g !== undefined;
    },
  };
}
