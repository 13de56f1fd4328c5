// LANDED MIGRATION — NEVER EDIT. A database that has applied version 1 will
// never run it again, so an edit here silently forks the schema between old and
// new installs. Change the schema with a new, higher-numbered migration.
import { sql, type ColumnDefinitionBuilder } from 'kysely';
import type { Migration } from './types.js';

/** Text column that must be present. */
const NN = (c: ColumnDefinitionBuilder) => c.notNull();

export const m0001_initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db, ddl) {
    await db.schema.createTable('projects')
      .addColumn('project_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', NN)
      .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('Asia/Shanghai'))
      .addColumn('created_at', 'text', NN)
      .addColumn('head_seq', 'integer', (c) => c.notNull().defaultTo(0).check(sql`head_seq >= 0`))
      .addColumn('head_hash', 'text', (c) => c.notNull().defaultTo('0'.repeat(64)))
      .execute();

    await db.schema.createTable('events')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 1`))
      .addColumn('event_id', 'text', NN)
      .addColumn('type', 'text', NN)
      .addColumn('at', 'text', NN)
      .addColumn('recorded_at', 'text', NN)
      .addColumn('recorded_by', 'text')
      .addColumn('payload', 'text', NN)
      .addColumn('personal', 'text')
      .addColumn('personal_digest', 'text')
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('accepted', 'rejected')`))
      .addColumn('rejection_code', 'text')
      .addColumn('prev_hash', 'text', NN)
      .addColumn('hash', 'text', NN)
      .addPrimaryKeyConstraint('events_pk', ['project_id', 'seq'])
      .addUniqueConstraint('events_event_id_uq', ['project_id', 'event_id'])
      .execute();
    await db.schema.createIndex('events_project_type_idx').on('events').columns(['project_id', 'type']).execute();

    await db.schema.createTable('customers')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('phone', 'text', NN)
      .addColumn('name', 'text')
      .addColumn('owner', 'text')
      .addColumn('status', 'text', NN)
      .addColumn('protected_until', 'text')
      .addColumn('basis_clause', 'text')
      .addColumn('basis_events', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('updated_seq', 'integer', NN)
      .addPrimaryKeyConstraint('customers_pk', ['project_id', 'phone'])
      .execute();
    await db.schema.createIndex('customers_project_owner_idx').on('customers').columns(['project_id', 'owner']).execute();

    await db.schema.createTable('rotation')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('state', 'text', NN)
      .addColumn('updated_seq', 'integer', NN)
      .addPrimaryKeyConstraint('rotation_pk', ['project_id'])
      .execute();

    await db.schema.createTable('reports')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('report_id', 'text', NN)
      .addColumn('phone_or_mask', 'text', NN)
      .addColumn('agent', 'text', NN)
      .addColumn('status', 'text', NN)
      .addColumn('expires_at', 'text')
      .addColumn('updated_seq', 'integer', NN)
      .addPrimaryKeyConstraint('reports_pk', ['project_id', 'report_id'])
      .execute();

    await db.schema.createTable('report_masks')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('mask_key', 'text', NN)
      .addColumn('report_id', 'text', NN)
      .addPrimaryKeyConstraint('report_masks_pk', ['project_id', 'mask_key', 'report_id'])
      .addForeignKeyConstraint('report_masks_report_fk', ['project_id', 'report_id'], 'reports', ['project_id', 'report_id'])
      .execute();

    await db.schema.createTable('deals')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('deal_id', 'text', NN)
      .addColumn('customers', 'text', NN)
      .addColumn('unit', 'text')
      .addColumn('stage', 'text', NN)
      .addColumn('performance', 'text')
      .addColumn('commission', 'text')
      .addColumn('basis', 'text')
      .addColumn('updated_seq', 'integer', NN)
      .addPrimaryKeyConstraint('deals_pk', ['project_id', 'deal_id'])
      .execute();

    await db.schema.createTable('units')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('unit', 'text', NN)
      .addColumn('deal_id', 'text')
      .addPrimaryKeyConstraint('units_pk', ['project_id', 'unit'])
      .execute();

    await db.schema.createTable('alerts')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('alert_id', 'text', NN)
      .addColumn('kind', 'text', NN)
      .addColumn('customer', 'text')
      .addColumn('due_at', 'text')
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      .addPrimaryKeyConstraint('alerts_pk', ['project_id', 'alert_id'])
      .execute();

    await db.schema.createTable('policies')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('version', 'integer', NN)
      .addColumn('effective_at', 'text', NN)
      .addColumn('preset', 'text')
      .addColumn('set', 'text', NN)
      .addColumn('created_at', 'text', NN)
      .addPrimaryKeyConstraint('policies_pk', ['project_id', 'version'])
      .execute();

    await db.schema.createTable('staff')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('staff_id', 'text', NN)
      .addColumn('name', 'text', NN)
      .addColumn('team', 'text')
      .addColumn('role', 'text')
      .addColumn('agency', 'text')
      .addColumn('left_at', 'text')
      .addPrimaryKeyConstraint('staff_pk', ['project_id', 'staff_id'])
      .execute();

    // Append-only guard. The one permitted UPDATE is erasure: `personal` set
    // to NULL with every other column unchanged (see docs/store.md). The
    // triggers differ per database: src/store/{sqlite,postgres}/ddl.ts.
    await ddl.eventsAppendOnly(db);
  },
};
