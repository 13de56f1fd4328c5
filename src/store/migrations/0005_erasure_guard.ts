// The erasure exception of the append-only guard (docs/store.md "Append-only,
// and the erasure exception") now needs a recorded erasure: `personal` may be
// set to NULL only on a row that has an `erasures` row (project_id, seq),
// written in the same transaction as the UPDATE (EventStore.erasePersonal). A
// hand-written `UPDATE events SET personal = NULL` without one is refused, and
// `verify` reports a blanked row that has none (personal-erased-without-record).
import { sql } from 'kysely';
import type { Migration } from './types.js';

export const m0005_erasure_guard: Migration = {
  version: 5,
  name: 'erasure-guard',
  async up(db, dialect) {
    if (dialect === 'sqlite') {
      // The columns as in migration 1 (a migration adding a column to events must recreate this trigger with it).
      const cols = ['project_id', 'seq', 'event_id', 'type', 'at', 'recorded_at', 'recorded_by', 'payload',
        'personal_digest', 'status', 'rejection_code', 'prev_hash', 'hash'];
      const unchanged = cols.map((c) => `NEW.${c} IS OLD.${c}`).join(' AND ');
      await sql.raw('DROP TRIGGER events_no_update').execute(db);
      await sql.raw(`CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        WHEN NOT (NEW.personal IS NULL AND ${unchanged}
          AND EXISTS (SELECT 1 FROM erasures x WHERE x.project_id = OLD.project_id AND x.seq = OLD.seq))
        BEGIN SELECT RAISE(ABORT, 'guishu: events is append-only (only personal may be set to NULL, and only with an erasure record)'); END`).execute(db);
    } else {
      await sql.raw(`CREATE OR REPLACE FUNCTION guishu_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND NEW.personal IS NULL
             AND (to_jsonb(NEW) - 'personal') = (to_jsonb(OLD) - 'personal')
             AND EXISTS (SELECT 1 FROM erasures x WHERE x.project_id = OLD.project_id AND x.seq = OLD.seq) THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'guishu: events is append-only (% refused; only personal may be set to NULL, and only with an erasure record)', TG_OP
            USING ERRCODE = 'restrict_violation';
        END $$`).execute(db);
    }
  },
};
