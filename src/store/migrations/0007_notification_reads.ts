// Reminders in the app (src/app/notifications.ts) are derived from the log and
// the clock; what a user has read is the one thing stored: one row per user and
// reminder id, keyed by project first like every table.
import type { Migration } from './types.js';

export const m0007_notification_reads: Migration = {
  version: 7,
  name: 'notification_reads',
  async up(db) {
    await db.schema.createTable('notification_reads')
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('notification_id', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('notification_reads_pk', ['project_id', 'user_id', 'notification_id'])
      .execute();
  },
};
