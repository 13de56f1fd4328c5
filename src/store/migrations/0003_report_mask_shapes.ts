// The mask shapes in use per project (docs/store.md "Masked phones"). A mask
// key `prefix|hidden|suffix` has the shape (length of prefix, hidden); a full
// phone is looked up under the shapes its project actually holds (1–3 keys)
// instead of all 66 splits of 11 digits.
//
// `report_mask_shapes.masks` counts the report_masks rows of each shape; a
// shape's row exists while that count is > 0. Triggers on report_masks keep it,
// so every writer (the live projector, bulk import, rebuild, restore, the bench
// loader, a raw INSERT) maintains it without knowing about it, and the table is
// a pure function of report_masks: a rebuild (delete + rewrite report_masks)
// leaves exactly the rows a warm process has. Keys not of maskKey's form
// (digits|N≥1|digits) have no shape and are not counted, on both databases.
//
// SQLite: row triggers (an upsert per row, in place). PostgreSQL: statement
// triggers over transition tables, one upsert per shape per statement — a row
// trigger would update the same counter row once per mask, and within one
// transaction (a rebuild deletes every mask of the project) each update walks
// the row's growing version chain. (Both: src/store/{sqlite,postgres}/ddl.ts.)
import { sql } from 'kysely';
import type { Migration } from './types.js';

export const m0003_report_mask_shapes: Migration = {
  version: 3,
  name: 'report_mask_shapes',
  async up(db, ddl) {
    await db.schema.createTable('report_mask_shapes')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.project_id'))
      .addColumn('prefix_len', 'integer', (c) => c.notNull().check(sql`prefix_len >= 0`))
      .addColumn('hidden', 'integer', (c) => c.notNull().check(sql`hidden >= 1`))
      .addColumn('masks', 'integer', (c) => c.notNull().check(sql`masks >= 0`))
      .addPrimaryKeyConstraint('report_mask_shapes_pk', ['project_id', 'prefix_len', 'hidden'])
      .execute();

    // The triggers and the counts of the masks already there: src/store/{sqlite,postgres}/ddl.ts.
    await ddl.reportMaskShapes(db);
  },
};
