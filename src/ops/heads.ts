// The heads the server signs (src/ops/signing.ts), read from the store: a
// project's event log now, at a given seq, or at the close of a local day,
// and its audit log (src/auth/audit.ts) now or at a given seq.
import { localDay, parseLocalTime, startOfLocalDay } from '../domain/time.ts';
import { GENESIS_HASH, type EventStore } from '../store/index.js';
import type { LogName, SignedHead, Signer } from './signing.ts';

export class HeadError extends Error {
  constructor(readonly code: 'project-not-found' | 'seq-beyond-head' | 'bad-day', message: string) {
    super(message);
    this.name = 'HeadError';
  }
}

export interface LogHead {
  seq: number;
  hash: string;
}

/** The event log's head, or the prefix ending at `seq`. */
export async function eventsHead(store: EventStore, projectId: string, seq?: number): Promise<LogHead> {
  const project = await store.getProject(projectId);
  if (!project) throw new HeadError('project-not-found', `no project ${projectId}`);
  if (seq === undefined || seq === project.headSeq) return { seq: project.headSeq, hash: project.headHash };
  if (seq > project.headSeq) throw new HeadError('seq-beyond-head', `project ${projectId}: seq ${seq} is beyond the head ${project.headSeq}`);
  if (seq === 0) return { seq: 0, hash: GENESIS_HASH };
  const hash = await store.eventHash(projectId, seq);
  if (hash === undefined) throw new HeadError('seq-beyond-head', `project ${projectId}: no event at seq ${seq}`);
  return { seq, hash };
}

/**
 * The closing head of local day `date` (YYYY-MM-DD, the project's timezone):
 * the prefix ending at the highest seq among events whose own time is before
 * the end of that day, so every row of the day's register is within it.
 */
export async function closingHead(store: EventStore, projectId: string, date: string): Promise<LogHead & { date: string; end: string }> {
  const project = await store.getProject(projectId);
  if (!project) throw new HeadError('project-not-found', `no project ${projectId}`);
  const start = /^\d{4}-\d{2}-\d{2}$/.test(date) ? parseLocalTime(date, project.timezone) : undefined;
  if (start === undefined) throw new HeadError('bad-day', `not a date YYYY-MM-DD: ${date}`);
  const end = new Date(startOfLocalDay(localDay(start, project.timezone) + 1, project.timezone)).toISOString();
  const seq = (await store.lastEventSeq(projectId, { beforeAt: end, upToSeq: project.headSeq })) ?? 0;
  return { ...(await eventsHead(store, projectId, seq)), date, end };
}

/** The project's audit log head ('*' for the group's), or the prefix ending at `seq`. */
export async function auditHead(store: EventStore, projectId: string, seq?: number): Promise<LogHead> {
  if (seq === 0) return { seq: 0, hash: GENESIS_HASH };
  const row = await store.auditHead(projectId, seq);
  if (!row) throw new HeadError('seq-beyond-head', `project ${projectId}: no audit entry at seq ${seq}`);
  return row;
}

export function signHead(signer: Signer, projectId: string, log: LogName, head: LogHead, now: Date = new Date()): SignedHead {
  return signer.sign({ projectId, log, seq: head.seq, hash: head.hash, signedAt: now.toISOString() });
}

/** The signed heads of a project's event log and audit log (GET /api/projects/:project/head). */
export async function signedHeads(store: EventStore, signer: Signer, projectId: string, opts: { seq?: number; auditSeq?: number; day?: string; now?: Date } = {}) {
  const closing = opts.day !== undefined ? await closingHead(store, projectId, opts.day) : undefined;
  const events = closing ?? (await eventsHead(store, projectId, opts.seq));
  const audit = await auditHead(store, projectId, opts.auditSeq);
  const now = opts.now ?? new Date();
  return {
    projectId,
    ...(closing ? { day: closing.date, dayEndsAt: closing.end } : {}),
    events: signHead(signer, projectId, 'events', events, now),
    audit: signHead(signer, projectId, 'audit', audit, now),
  };
}
