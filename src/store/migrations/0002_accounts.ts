// Accounts, roles, sessions, grants, the audit log and the erasure overlay
// (src/auth, docs/api.md "Accounts, roles and privacy"). Every primary key
// leads with project_id: group-wide rows (users, sessions, login failures,
// settings, group audit) live under the reserved tenant '*', which no project
// id can take (project ids start with a letter or digit).
import { sql, type ColumnDefinitionBuilder } from 'kysely';
import type { Migration } from './types.js';

const NN = (c: ColumnDefinitionBuilder) => c.notNull();

export const m0002_accounts: Migration = {
  version: 2,
  name: 'accounts',
  async up(db, ddl) {
    await db.schema.createTable('users')
      .addColumn('project_id', 'text', NN)
      .addColumn('user_id', 'text', NN)
      .addColumn('username', 'text', NN)
      .addColumn('display_name', 'text')
      .addColumn('password_hash', 'text', NN)
      .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('disabled_at', 'text')
      .addColumn('created_at', 'text', NN)
      .addColumn('created_by', 'text')
      .addPrimaryKeyConstraint('users_pk', ['project_id', 'user_id'])
      .addUniqueConstraint('users_username_uq', ['project_id', 'username'])
      .execute();

    await db.schema.createTable('user_roles')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('user_id', 'text', NN)
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('manager', 'frontdesk', 'consultant', 'channel', 'controller')`))
      .addColumn('staff_id', 'text')
      .addColumn('agency', 'text')
      .addColumn('granted_by', 'text')
      .addColumn('granted_at', 'text', NN)
      .addPrimaryKeyConstraint('user_roles_pk', ['project_id', 'user_id'])
      .execute();
    await db.schema.createIndex('user_roles_project_staff_idx').on('user_roles').columns(['project_id', 'staff_id']).execute();

    await db.schema.createTable('sessions')
      .addColumn('project_id', 'text', NN)
      .addColumn('token_hash', 'text', NN)
      .addColumn('user_id', 'text', NN)
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('cookie', 'bearer')`))
      .addColumn('csrf', 'text')
      .addColumn('created_at', 'text', NN)
      .addColumn('expires_at', 'text', NN)
      .addColumn('idle_until', 'text', NN)
      .addPrimaryKeyConstraint('sessions_pk', ['project_id', 'token_hash'])
      .execute();
    await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['project_id', 'user_id']).execute();

    await db.schema.createTable('login_failures')
      .addColumn('project_id', 'text', NN)
      .addColumn('username', 'text', NN)
      .addColumn('failures', 'integer', NN)
      .addColumn('locked_until', 'text')
      .addColumn('last_at', 'text', NN)
      .addPrimaryKeyConstraint('login_failures_pk', ['project_id', 'username'])
      .execute();

    await db.schema.createTable('settings')
      .addColumn('project_id', 'text', NN)
      .addColumn('key', 'text', NN)
      .addColumn('value', 'text', NN)
      .addPrimaryKeyConstraint('settings_pk', ['project_id', 'key'])
      .execute();

    await db.schema.createTable('grants')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('grant_id', 'text', NN)
      .addColumn('user_id', 'text', NN)
      .addColumn('scope', 'text', NN)
      .addColumn('valid_from', 'text', NN)
      .addColumn('valid_until', 'text', NN)
      .addColumn('reason', 'text', NN)
      .addColumn('granted_by', 'text', NN)
      .addColumn('created_at', 'text', NN)
      .addColumn('revoked_at', 'text')
      .addPrimaryKeyConstraint('grants_pk', ['project_id', 'grant_id'])
      .execute();

    // Append-only and hash-chained per project_id ('*' = group-wide acts).
    await db.schema.createTable('audit_log')
      .addColumn('project_id', 'text', NN)
      .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 1`))
      .addColumn('at', 'text', NN)
      .addColumn('user_id', 'text')
      .addColumn('action', 'text', NN)
      .addColumn('subject', 'text')
      .addColumn('subject_key', 'text')
      .addColumn('route', 'text')
      .addColumn('reason', 'text')
      .addColumn('detail', 'text', NN)
      .addColumn('prev_hash', 'text', NN)
      .addColumn('hash', 'text', NN)
      .addPrimaryKeyConstraint('audit_log_pk', ['project_id', 'seq'])
      .execute();
    await db.schema.createIndex('audit_log_subject_idx').on('audit_log').columns(['project_id', 'subject_key']).execute();

    // Erasure overlay: for an event whose `personal` was erased, the personal
    // part replay uses instead (erased customers under a pseudonymous phone,
    // other customers of the same event as they were). Not hashed.
    await db.schema.createTable('erasures')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('seq', 'integer', NN)
      .addColumn('personal', 'text', NN)
      .addColumn('erased_at', 'text', NN)
      .addPrimaryKeyConstraint('erasures_pk', ['project_id', 'seq'])
      .execute();

    // Append-only like `events` (the triggers: src/store/{sqlite,postgres}/ddl.ts).
    await ddl.auditLogAppendOnly(db);
  },
};
