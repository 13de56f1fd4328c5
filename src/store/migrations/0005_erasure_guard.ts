// The erasure exception of the append-only guard (docs/store.md "Append-only,
// and the erasure exception") now needs a recorded erasure: `personal` may be
// set to NULL only on a row that has an `erasures` row (project_id, seq),
// written in the same transaction as the UPDATE (EventStore.erasePersonal). A
// hand-written `UPDATE events SET personal = NULL` without one is refused, and
// `verify` reports a blanked row that has none (personal-erased-without-record).
import type { Migration } from './types.js';

export const m0005_erasure_guard: Migration = {
  version: 5,
  name: 'erasure-guard',
  async up(db, ddl) {
    // The guard per database: src/store/{sqlite,postgres}/ddl.ts.
    await ddl.eventsErasureGuard(db);
  },
};
