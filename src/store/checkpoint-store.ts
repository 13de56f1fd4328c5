// The engine checkpoints' tables (docs/store.md "Checkpoints"): per project, a
// header row in `checkpoints` (seq, head hash, fingerprint, and the app's
// header bytes) and its parts in `checkpoint_parts`, numbered from 0. What the
// bytes mean is the app's (src/app/checkpoint.ts); the store keeps them whole
// and together:
//
// - a save replaces the header and every part in one transaction, writing a
//   part before it asks for the next (so only one is in memory at a time
//   beyond the engine state it is serialised from), under a per-project lock
//   (two processes' saves queue instead of colliding on a part's key);
// - a load reads the header and the parts in one statement, so a reader sees
//   one save's parts, never a mix of two;
// - a drop removes the header and the parts together.
import type { Kysely } from 'kysely';
import type { StoreAdapter } from './adapter.js';
import type { Database } from './schema.js';

/** A saved checkpoint, as loadCheckpoint reads it. */
export interface Checkpoint {
  /** The last event it covers: seq and hash. */
  seq: number;
  headHash: string;
  /** The engine code that wrote it. */
  fingerprint: string;
  /** The header (small): what the app needs to check and read the parts. */
  body: Uint8Array;
  /** The parts in part order (0, 1, …), as found; a missing one leaves the list short (the header's count and checksums tell). */
  parts: Uint8Array[];
  createdAt: string;
}

/** A checkpoint to save: its parts come one at a time, and the header last. */
export interface CheckpointWrite {
  seq: number;
  headHash: string;
  fingerprint: string;
  /**
   * Yields the parts in order, each written (and let go) before the next is
   * asked for, then returns the header's body — written last, so it may list
   * the parts. The caller keeps what the parts are serialised from still
   * until the save is done (the app: the project's mutex).
   */
  parts: Iterator<Uint8Array, Uint8Array, undefined> | AsyncIterator<Uint8Array, Uint8Array, undefined>;
}

export interface CheckpointStore {
  /** The project's engine checkpoint, if one was saved (the app checks that it still fits the log and the engine). */
  loadCheckpoint(projectId: string): Promise<Checkpoint | undefined>;
  /** Replaces the project's checkpoint, header and parts, in one transaction (a failure leaves the previous one). */
  saveCheckpoint(projectId: string, checkpoint: CheckpointWrite): Promise<void>;
  /** Drops the project's checkpoint, header and parts (after an erasure: it holds personal data). */
  dropCheckpoint(projectId: string): Promise<void>;
}

export function checkpointStore(adapter: StoreAdapter, now: () => string): CheckpointStore {
  const db: Kysely<Database> = adapter.db;
  const lock = (projectId: string) => `guishu-checkpoint:${projectId}`;
  return {
    async loadCheckpoint(projectId) {
      // One statement: one snapshot of the header and its parts on both databases.
      const rows = await db.selectFrom('checkpoints as c')
        .leftJoin('checkpoint_parts as p', 'p.project_id', 'c.project_id')
        .select(['c.seq', 'c.head_hash', 'c.fingerprint', 'c.body', 'c.created_at', 'p.body as part'])
        .where('c.project_id', '=', projectId)
        .orderBy('p.part')
        .execute();
      const head = rows[0];
      if (!head) return undefined;
      const parts: Uint8Array[] = [];
      for (const r of rows) if (r.part !== null) parts.push(r.part);
      return { seq: Number(head.seq), headHash: head.head_hash, fingerprint: head.fingerprint, body: head.body, parts, createdAt: head.created_at };
    },

    async saveCheckpoint(projectId, cp) {
      await adapter.lockedTransaction(lock(projectId), async (tx) => {
        await tx.deleteFrom('checkpoint_parts').where('project_id', '=', projectId).execute();
        let body: Uint8Array;
        for (let part = 0; ; part++) {
          const next = await cp.parts.next();
          if (next.done) {
            body = next.value;
            break;
          }
          await tx.insertInto('checkpoint_parts').values({ project_id: projectId, part, body: next.value }).execute();
        }
        const row = { project_id: projectId, seq: cp.seq, head_hash: cp.headHash, fingerprint: cp.fingerprint, body, created_at: now() };
        await tx.insertInto('checkpoints').values(row)
          .onConflict((oc) => oc.column('project_id').doUpdateSet({ seq: row.seq, head_hash: row.head_hash, fingerprint: row.fingerprint, body: row.body, created_at: row.created_at }))
          .execute();
      });
    },

    async dropCheckpoint(projectId) {
      await adapter.lockedTransaction(lock(projectId), async (tx) => {
        await tx.deleteFrom('checkpoint_parts').where('project_id', '=', projectId).execute();
        await tx.deleteFrom('checkpoints').where('project_id', '=', projectId).execute();
      });
    },
  };
}
