// The projection tables rebuilt from the log (guishu rebuild, after an
// erasure) and read back as stored (rebuild --check compares the two).
import { withRetry } from '../store/index.js';
import { projectNotFound, type ProjectCaches } from './project-cache.ts';
import { hasCorrections, replayLog } from './replay.ts';

/** Recomputes every projection row of the project from the log (guishu rebuild). Returns the number of rows written. */
export async function rebuildProjections(caches: ProjectCaches, projectId: string): Promise<{ rows: number; headSeq: number }> {
  return caches.mutex.run(projectId, () =>
    withRetry(async () => {
      const store = caches.store;
      const project = await store.getProject(projectId);
      if (!project) throw projectNotFound(projectId);
      const cache = await replayLog(store, project, 'recompute', { history: await hasCorrections(store, projectId) });
      cache.timeline.forgetHistory();
      // The stored tables' rows only (rotation and alerts are the live fan-out's, never stored).
      const rows = cache.projector.storedRows();
      await store.replaceProjections(projectId, cache.headSeq, rows);
      cache.projector.forgetRows();
      caches.hold(projectId, cache);
      return { rows: rows.length, headSeq: cache.headSeq };
    }),
  );
}

/** Projection rows as stored (for checks: a rebuild must give identical rows). */
export async function projectionRows(caches: ProjectCaches, projectId: string): Promise<Record<string, Record<string, unknown>[]>> {
  return caches.store.projectionRows(projectId);
}
