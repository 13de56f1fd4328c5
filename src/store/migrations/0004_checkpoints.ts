// Engine-state checkpoints (docs/store.md "Checkpoints"): one row per project,
// the serialised cache of the engine after the event at `seq`, written by the
// app so that a cold start replays only the log after it. Derived data, never
// a source of truth: a checkpoint whose engine fingerprint, seq or hash does
// not match is ignored (and the log replayed), and deleting the table loses
// nothing. The one binary column in the schema: SQLite BLOB, PostgreSQL BYTEA.
import type { Migration } from './types.js';

export const m0004_checkpoints: Migration = {
  version: 4,
  name: 'checkpoints',
  async up(db, ddl) {
    await db.schema.createTable('checkpoints')
      .addColumn('project_id', 'text', (c) => c.notNull().primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('head_hash', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('body', ddl.binaryType, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
