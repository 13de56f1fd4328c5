// Checkpoints in parts (docs/store.md "Checkpoints"): the engine state of a
// 50,000-customer office is some 50 MB serialised, and written as one blob it
// was in memory two or three times over at once (the parts, their
// concatenation, the driver's copy). Now `checkpoints` keeps the header — seq,
// head hash, fingerprint, and in `body` the list of parts with their lengths
// and checksums — and `checkpoint_parts` the parts, one row each, written one
// at a time in the transaction that replaces the header. The single-blob
// checkpoints of before are of no use to this code (another format): deleted
// here rather than read and refused once (a checkpoint is derived data).
import type { Migration } from './types.js';

export const m0008_checkpoint_parts: Migration = {
  version: 8,
  name: 'checkpoint_parts',
  async up(db, ddl) {
    await db.schema.createTable('checkpoint_parts')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('part', 'integer', (c) => c.notNull())
      .addColumn('body', ddl.binaryType, (c) => c.notNull())
      .addPrimaryKeyConstraint('checkpoint_parts_pk', ['project_id', 'part'])
      .execute();
    await db.deleteFrom('checkpoints').execute();
  },
};
