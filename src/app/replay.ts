// Replaying a project's log into a cache: from its checkpoint, or from the
// first event (a cold start, a rebuild, a correction that needs the events).
import { Timeline } from '../domain/engine/index.ts';
import type { Policy } from '../domain/policy/schema.ts';
import type { EventStore, Project } from '../store/index.js';
import { applyCounted, rememberEvent, type CheckpointExtra, type ProjectCache } from './cache.ts';
import type { CacheCheckpoint } from './checkpoint.ts';
import { fromStored } from './codec.ts';
import { AppError } from './errors.ts';
import { IdFilter } from './id-filter.ts';
import { initialPolicy, policyOfEvent } from './policy.ts';
import { Projector } from './projector.ts';

/**
 * SQLite reads resolve without touching the event loop: a long replay of the
 * log (a warm-up, a cold project, a what-if) yields a turn every so many
 * events, so that the server goes on answering everything else.
 */
export function everyNth(n: number): () => boolean {
  let count = 0;
  return () => ++count % n === 0;
}

export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** A correction came after the checkpoint: replaying it in place needs the whole log. */
export class NeedsHistory extends Error {}

interface ReplayOptions {
  /** Start from this checkpoint and replay only the events after it. */
  from?: CacheCheckpoint<CheckpointExtra>;
  /** Keep the events in the timeline (a log with corrections needs them); the caller forgets them after. */
  history?: boolean;
}

/**
 * Builds a project's cache by replaying its log (from a checkpoint, or from
 * the first event). `recompute` diffs the projections after every event, as
 * the live path did (a rebuild compares against that); `from-state` replays
 * the engine alone and computes the projection snapshot once from the final
 * state, taking each row's updated_seq from the stored rows — a cold start
 * does not redo the projection work of every past event.
 */
export async function replayLog(store: EventStore, project: Project, projections: 'recompute' | 'from-state' = 'recompute', options: ReplayOptions = {}): Promise<ProjectCache> {
  let cache: ProjectCache | undefined;
  const from = options.from;
  const erasures = await erasureMark(store, project.projectId);
  if (from) {
    // The genesis policy is the state's first (restore takes the state whole; the option only has to be a policy).
    const timeline = Timeline.restore(timelineOptions(project, from.timeline.state.policies[0]!, false), from.timeline);
    // The projection snapshot and the phone index decode when first used: a restart at the head answers its first questions without them.
    let projector: Projector | undefined;
    let phoneSeqs: Map<string, number[]> | undefined;
    cache = {
      project, timeline, headSeq: from.seq, headHash: from.hash, recent: new Map(),
      get projector(): Projector {
        return (projector ??= Projector.restore(from.projector, { keepRows: false }));
      },
      set projector(p: Projector) {
        projector = p;
      },
      get phoneSeqs(): Map<string, number[]> {
        return (phoneSeqs ??= from.lazy!.phoneSeqs as Map<string, number[]>);
      },
      set phoneSeqs(m: Map<string, number[]>) {
        phoneSeqs = m;
      },
      ids: new IdFilter(from.extra.ids), reports: new Map(from.extra.reports), checkpointSeq: from.seq, erasures,
      turnsByDay: new Map((from.extra.turnsByDay ?? []).map(([day, m]) => [day, new Map(m)])),
    };
  }
  const overlay = await erasedOverlay(store, project.projectId, from ? from.seq + 1 : 1);
  // After a checkpoint the projector steps through each event, as a live process does.
  const perEvent = projections === 'recompute' || from !== undefined;
  const due = everyNth(2_000);
  for await (const row of store.replayEvents(project.projectId, { fromSeq: from ? from.seq + 1 : 1, batchSize: 2_000 })) {
    if (due()) await nextTurn();
    const event = fromStored(row, overlay.get(row.seq));
    if (!cache) {
      if (event.type !== 'policy') throw new AppError('corrupt-project', 500, 'Project has no policy', `project ${project.projectId}: the first event is not a policy`);
      const policy = initialPolicy(event.preset, event.set);
      // The live cache keeps a digest of each projection row (enough to diff); a rebuild keeps the rows, to write them.
      const projector = new Projector({ keepRows: projections === 'recompute' });
      projector.genesis(event, row.seq);
      cache = {
        project, timeline: new Timeline(timelineOptions(project, policy, options.history === true)), projector, headSeq: row.seq, headHash: row.hash, recent: new Map(),
        ids: new IdFilter(), reports: new Map(), phoneSeqs: new Map(), checkpointSeq: 0, erasures, turnsByDay: new Map(),
      };
      cache.ids.add(event.id);
      continue;
    }
    if (event.type === 'correction' && !cache.timeline.hasHistory) throw new NeedsHistory();
    const outcome = applyCounted(cache, event);
    if (perEvent) cache.projector.step(cache.timeline.state, event, outcome, cache.timeline.rejections, row.seq);
    else if (event.type === 'policy' && outcome.accepted) cache.projector.policyVersionAt(event, row.seq);
    rememberEvent(cache, row.seq, event);
    cache.headSeq = row.seq;
    cache.headHash = row.hash;
  }
  if (!cache) throw new AppError('corrupt-project', 500, 'Project has no policy', `project ${project.projectId} has no events (its creation did not finish)`);
  if (!perEvent && cache.headSeq > 1) {
    cache.projector.recomputeAll(cache.timeline.state, cache.timeline.rejections, cache.headSeq);
    cache.projector.restoreVersions('customers', await store.customerVersions(project.projectId));
  }
  return cache;
}

export function timelineOptions(project: Project, policy: Policy, history: boolean) {
  // The server keeps no events in memory (history only while a correction needs it) and leaves repeated ids to `ids` and the store's unique key.
  return { timezone: project.timezone, policy, keepHistory: history ? ('events' as const) : false, checkIds: false, resolvePolicy: policyOfEvent };
}

export async function hasCorrections(store: EventStore, projectId: string): Promise<boolean> {
  return store.hasEventOfType(projectId, 'correction');
}

/** What the project's erasures are now (how many overlay rows, the latest time): changes with every erasure. */
export function erasureMark(store: EventStore, projectId: string): Promise<string> {
  return store.erasureMark(projectId);
}

/** The erasure overlay of a project: seq → the personal part replay uses for an erased event. */
export function erasedOverlay(store: EventStore, projectId: string, fromSeq = 1): Promise<Map<number, unknown>> {
  return store.erasureOverlay(projectId, fromSeq);
}
