// The projection tables rebuilt from the log (guishu rebuild, after an
// erasure) and read back as stored (rebuild --check compares the two).
import { ConcurrencyError, ProjectNotFoundError, withRetry } from '../store/index.js';
import { projectNotFound, type ProjectCaches } from './project-cache.ts';
import { KEYS, writeRows, type Table } from './projector.ts';
import { hasCorrections, replayLog } from './replay.ts';

/** Recomputes every projection row of the project from the log (guishu rebuild). Returns the number of rows written. */
export async function rebuildProjections(caches: ProjectCaches, projectId: string): Promise<{ rows: number; headSeq: number }> {
  return caches.mutex.run(projectId, () =>
    withRetry(async () => {
      const project = await caches.store.getProject(projectId);
      if (!project) throw projectNotFound(projectId);
      const cache = await replayLog(caches.store, project, 'recompute', { history: await hasCorrections(caches.store, projectId) });
      cache.timeline.forgetHistory();
      const rows = cache.projector.rows();
      await caches.store.transaction(async (tx) => {
        let q = tx.selectFrom('projects').select('head_seq').where('project_id', '=', projectId);
        if (caches.store.dialect === 'postgres') q = q.forUpdate();
        const head = await q.executeTakeFirst();
        if (!head) throw new ProjectNotFoundError(projectId);
        if (Number(head.head_seq) !== cache.headSeq) throw new ConcurrencyError(projectId, cache.headSeq, Number(head.head_seq));
        for (const table of ['report_masks', 'reports', 'units', 'deals', 'alerts', 'rotation', 'customers', 'staff', 'policies'] as Table[]) {
          await tx.deleteFrom(table as never).where('project_id' as never, '=', projectId as never).execute();
        }
        await writeRows(tx, projectId, rows, true);
      });
      cache.projector.forgetRows();
      caches.hold(projectId, cache);
      return { rows: rows.length, headSeq: cache.headSeq };
    }),
  );
}

/** Projection rows as stored (for checks: a rebuild must give identical rows). */
export async function projectionRows(caches: ProjectCaches, projectId: string): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of Object.keys(KEYS) as Table[]) {
    let q = caches.store.db.selectFrom(table as never).selectAll().where('project_id' as never, '=', projectId as never);
    for (const k of KEYS[table]) q = q.orderBy(k as never);
    out[table] = (await q.execute()) as Record<string, unknown>[];
  }
  return out;
}
