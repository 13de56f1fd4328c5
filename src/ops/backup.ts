// `guishu backup FILE` / `guishu restore FILE`: a portable NDJSON copy of every
// project's log. See docs/operations.md for the format.
//
//   {"kind":"guishu-backup","format":1,"createdAt":…,"dialect":…,"sum":…}
//   {"kind":"project","projectId":…,"name":…,"timezone":…,"createdAt":…,"headSeq":…,"headHash":…,"sum":…}
//   {"kind":"event","projectId":…,"seq":…,"eventId":…,"type":…,"at":…,"recordedAt":…,"recordedBy":…,
//    "payload":…,"personal":…|null,"salt":…|null,"personalDigest":…,"status":…,"rejectionCode":…,"prevHash":…,"hash":…,"sum":…}
//   …
//   {"kind":"erasure","projectId":…,"seq":…,"personal":…,"erasedAt":…,"sum":…}   (the erasure overlay, after the project's events)
//   {"kind":"end","projects":P,"events":E,"lines":L,"sha256":…,"sum":…}
//
// `sum` = sha256 of the canonical JSON of the line's object without `sum`;
// the trailer's `sha256` is the SHA-256 of every byte before the trailer line.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { BulkError, BulkWriter, newTimeline, type BulkItem } from '../app/bulk.ts';
import { fromStored } from '../app/codec.ts';
import type { EventOf } from '../domain/events.ts';
import {
  canonicalJson, GENESIS_HASH, hashEvent, personalDigest, sha256Hex,
  type EventStore, type PersonalEnvelope, type StoredEvent,
} from '../store/index.js';
import { progress, type ProgressOptions } from './progress.ts';

export const BACKUP_FORMAT = 1;

interface HeaderLine { kind: 'guishu-backup'; format: number; createdAt: string; dialect: string }
interface ProjectLine { kind: 'project'; projectId: string; name: string; timezone: string; createdAt: string; headSeq: number; headHash: string }
export interface EventLine {
  kind: 'event';
  projectId: string;
  seq: number;
  eventId: string;
  type: string;
  at: string;
  recordedAt: string;
  recordedBy: string | null;
  payload: unknown;
  personal: unknown;
  salt: string | null;
  personalDigest: string | null;
  status: 'accepted' | 'rejected';
  rejectionCode: string | null;
  prevHash: string;
  hash: string;
}
/** A row of the erasure overlay (GuishuApp.eraseCustomer): what replay reads for an erased event. */
interface ErasureLine { kind: 'erasure'; projectId: string; seq: number; personal: unknown; erasedAt: string }
interface EndLine { kind: 'end'; projects: number; events: number; lines: number; sha256: string }

export class BackupError extends Error {
  constructor(message: string, readonly line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'BackupError';
  }
}

/** The checksum of one line: sha256 over the canonical JSON of the object without `sum`. */
export function lineSum(obj: Record<string, unknown>): string {
  const { sum: _sum, ...rest } = obj;
  return sha256Hex(canonicalJson(rest));
}

function encodeLine(obj: object): string {
  const o = obj as Record<string, unknown>;
  return JSON.stringify({ ...o, sum: lineSum(o) }) + '\n';
}

export interface BackupResult { file: string; projects: number; events: number; bytes: number; sha256: string }

/**
 * Writes every project's log up to its head at the time it is read (projects
 * are read one after another; each is a consistent prefix of its log). The
 * file is written beside FILE, fsynced, then renamed: a crashed backup never
 * leaves a complete-looking FILE.
 */
export async function backup(store: EventStore, file: string, opts: { progress?: ProgressOptions; now?: () => Date } = {}): Promise<BackupResult> {
  const tmp = `${file}.partial-${process.pid}`;
  const fd = openSync(tmp, 'w');
  const whole = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  let buffer = '';
  const flush = () => {
    if (!buffer) return;
    const b = Buffer.from(buffer, 'utf8');
    writeSync(fd, b);
    whole.update(b);
    bytes += b.length;
    buffer = '';
  };
  const put = (obj: object) => {
    buffer += encodeLine(obj);
    lines++;
    if (buffer.length > 1 << 20) flush();
  };
  try {
    const projects = await store.listProjects();
    const total = projects.reduce((n, p) => n + p.headSeq, 0);
    const bar = progress('backup', total, { unit: 'events', ...opts.progress });
    let events = 0;
    put({ kind: 'guishu-backup', format: BACKUP_FORMAT, createdAt: (opts.now?.() ?? new Date()).toISOString(), dialect: store.dialect } satisfies HeaderLine);
    for (const listed of projects) {
      const p = (await store.getProject(listed.projectId))!;
      put({ kind: 'project', projectId: p.projectId, name: p.name, timezone: p.timezone, createdAt: p.createdAt, headSeq: p.headSeq, headHash: p.headHash } satisfies ProjectLine);
      let after = 0;
      for (;;) {
        const rows = await store.eventRows(p.projectId, { afterSeq: after, toSeq: p.headSeq, limit: 2000 });
        for (const r of rows) {
          const env = r.personal === null ? null : (JSON.parse(r.personal) as PersonalEnvelope);
          put({
            kind: 'event', projectId: p.projectId, seq: Number(r.seq), eventId: r.event_id, type: r.type, at: r.at,
            recordedAt: r.recorded_at, recordedBy: r.recorded_by, payload: JSON.parse(r.payload) as unknown,
            personal: env ? env.data : null, salt: env ? env.salt : null, personalDigest: r.personal_digest,
            status: r.status, rejectionCode: r.rejection_code, prevHash: r.prev_hash, hash: r.hash,
          } satisfies EventLine);
          events++;
        }
        bar.update(events);
        if (rows.length < 2000) break;
        after = Number(rows[rows.length - 1]!.seq);
      }
      for (const x of await store.erasureRecords(p.projectId, p.headSeq)) {
        put({ kind: 'erasure', projectId: p.projectId, seq: x.seq, personal: x.personal, erasedAt: x.erasedAt } satisfies ErasureLine);
      }
    }
    bar.stop();
    flush();
    const sha256 = whole.digest('hex');
    const trailer = encodeLine({ kind: 'end', projects: projects.length, events, lines, sha256 } satisfies EndLine);
    writeSync(fd, trailer);
    bytes += Buffer.byteLength(trailer);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
    return { file, projects: projects.length, events, bytes, sha256 };
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}

// ------------------------------------------------------------------ reading

export interface BackupProject { header: ProjectLine; events: EventLine[]; erasures: ErasureLine[] }
export interface ParsedBackup { header: HeaderLine; projects: BackupProject[]; events: number; sha256: string }

/**
 * Reads and checks a backup without touching any database: every line's
 * checksum, the trailer's counts and whole-file SHA-256, each project's seqs
 * and hash chain (recomputed with the store's own hashEvent), the personal
 * digests, and each project's head.
 */
export function readBackup(file: string): ParsedBackup {
  const data = readFileSync(file);
  const text = data.toString('utf8');
  if (!text.endsWith('\n')) throw new BackupError('the file does not end with a complete line (truncated?)');
  const body = text.slice(0, -1).split('\n');
  const trailerText = body.at(-1)!;
  const trailerLine = body.length;
  const parse = (t: string, line: number): Record<string, unknown> => {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(t) as Record<string, unknown>;
    } catch (e) {
      throw new BackupError(`not JSON: ${(e as Error).message}`, line);
    }
    if (typeof obj !== 'object' || obj === null || typeof obj.sum !== 'string') throw new BackupError('no checksum', line);
    if (lineSum(obj) !== obj.sum) throw new BackupError(`checksum mismatch (${String(obj.kind)})`, line);
    return obj;
  };
  // Every line's own checksum first (it names the damaged line), then the whole file.
  const objs = body.map((t, k) => parse(t, k + 1));
  const trailer = objs.at(-1) as unknown as EndLine;
  if (trailer.kind !== 'end') throw new BackupError('the last line is not the trailer (truncated?)', trailerLine);
  const before = data.subarray(0, data.length - Buffer.byteLength(trailerText) - 1);
  const sha256 = createHash('sha256').update(before).digest('hex');
  if (sha256 !== trailer.sha256) throw new BackupError(`whole-file SHA-256 mismatch: trailer ${trailer.sha256}, file ${sha256}`, trailerLine);
  if (trailer.lines !== body.length - 1) throw new BackupError(`trailer counts ${trailer.lines} lines, the file has ${body.length - 1}`, trailerLine);

  const header = objs[0] as unknown as HeaderLine;
  if (header.kind !== 'guishu-backup') throw new BackupError('not a guishu backup', 1);
  if (header.format !== BACKUP_FORMAT) throw new BackupError(`backup format ${header.format} is not supported (this version reads ${BACKUP_FORMAT})`, 1);
  const projects: BackupProject[] = [];
  let current: BackupProject | undefined;
  let prev = GENESIS_HASH;
  let events = 0;
  const closeProject = (line: number) => {
    if (!current) return;
    const h = current.header;
    const last = current.events.at(-1);
    if ((last?.seq ?? 0) !== h.headSeq || (last?.hash ?? GENESIS_HASH) !== h.headHash) {
      throw new BackupError(`project ${h.projectId}: the log ends at seq ${last?.seq ?? 0}, its header says head ${h.headSeq}`, line);
    }
  };
  for (let i = 1; i < body.length - 1; i++) {
    const line = i + 1;
    const obj = objs[i]!;
    if (obj.kind === 'project') {
      closeProject(line);
      current = { header: obj as unknown as ProjectLine, events: [], erasures: [] };
      if (projects.some((p) => p.header.projectId === current!.header.projectId)) throw new BackupError(`project ${current.header.projectId} twice`, line);
      projects.push(current);
      prev = GENESIS_HASH;
      continue;
    }
    if (obj.kind === 'erasure') {
      const x = obj as unknown as ErasureLine;
      if (!current || x.projectId !== current.header.projectId) throw new BackupError('erasure outside its project', line);
      const e = current.events[x.seq - 1];
      if (!e || e.personal !== null || e.personalDigest === null) throw new BackupError(`project ${x.projectId}: erasure overlay for seq ${x.seq}, which is not an erased event`, line);
      current.erasures.push(x);
      continue;
    }
    if (obj.kind !== 'event') throw new BackupError(`unexpected line kind ${String(obj.kind)}`, line);
    const e = obj as unknown as EventLine;
    if (!current || e.projectId !== current.header.projectId) throw new BackupError('event outside its project', line);
    if (current.erasures.length > 0) throw new BackupError('event after the erasure overlay', line);
    if (e.seq !== current.events.length + 1) throw new BackupError(`project ${e.projectId}: seq ${e.seq} where ${current.events.length + 1} was expected`, line);
    if (e.prevHash !== prev) throw new BackupError(`project ${e.projectId} seq ${e.seq}: prev_hash does not link`, line);
    if (e.personal !== null && (e.salt === null || personalDigest(e.salt, e.personal) !== e.personalDigest)) {
      throw new BackupError(`project ${e.projectId} seq ${e.seq}: personal data does not match its digest`, line);
    }
    const recomputed = hashEvent({
      project_id: e.projectId, seq: e.seq, event_id: e.eventId, type: e.type, at: e.at, recorded_by: e.recordedBy,
      payload: e.payload, personal_digest: e.personalDigest, status: e.status, rejection_code: e.rejectionCode, prev_hash: e.prevHash,
    });
    if (recomputed !== e.hash) throw new BackupError(`project ${e.projectId} seq ${e.seq}: hash mismatch`, line);
    prev = e.hash;
    current.events.push(e);
    events++;
  }
  closeProject(trailerLine);
  if (trailer.projects !== projects.length || trailer.events !== events) {
    throw new BackupError(`trailer counts ${trailer.projects} projects / ${trailer.events} events, the file has ${projects.length} / ${events}`, trailerLine);
  }
  return { header, projects, events, sha256 };
}

// ------------------------------------------------------------------ restore

function asStored(e: EventLine): StoredEvent {
  return {
    projectId: e.projectId, seq: e.seq, eventId: e.eventId, type: e.type, at: e.at, atMs: Date.parse(e.at), recordedAt: e.recordedAt,
    recordedBy: e.recordedBy, payload: e.payload, personal: e.personal, personalDigest: e.personalDigest,
    personalErased: e.personalDigest !== null && e.personal === null, status: e.status, rejectionCode: e.rejectionCode, prevHash: e.prevHash, hash: e.hash,
  };
}

function item(e: EventLine, overlay: ReadonlyMap<number, unknown>): BulkItem {
  const erased = e.personal === null && e.personalDigest !== null;
  return {
    event: fromStored(asStored(e), overlay.get(e.seq)),
    exact: {
      payload: e.payload,
      personal: e.personal,
      ...(e.salt !== null ? { personalSalt: e.salt } : {}),
      ...(erased ? { erasedPersonalDigest: e.personalDigest! } : {}),
      recordedAt: e.recordedAt,
      recordedBy: e.recordedBy,
      status: e.status,
      rejectionCode: e.rejectionCode,
    },
  };
}

/**
 * The engine's decisions on a project's log, compared with the recorded ones
 * before anything is written: a backup the engine decides differently (a
 * forged status, or a log from an incompatible engine) would rebuild to a
 * different chain and is refused up front.
 */
const overlayOf = (p: BackupProject) => new Map(p.erasures.map((x) => [x.seq, x.personal]));

function checkDecisions(p: BackupProject): void {
  const first = p.events[0];
  if (!first) return;
  const overlay = overlayOf(p);
  const genesis = fromStored(asStored(first));
  if (genesis.type !== 'policy') throw new BackupError(`project ${p.header.projectId}: the first event is not a policy`);
  const timeline = newTimeline(p.header.timezone, genesis as EventOf<'policy'>);
  for (const e of p.events.slice(1)) {
    const outcome = timeline.apply(fromStored(asStored(e), overlay.get(e.seq)));
    // Erased: the engine replays the overlay (a pseudonym without a name), which
    // need not decide as the original did; the log keeps the recorded decision.
    if (e.personal === null && e.personalDigest !== null) continue;
    const status = outcome.accepted ? 'accepted' : 'rejected';
    const code = outcome.accepted ? null : outcome.rejection.code;
    if (status !== e.status || code !== e.rejectionCode) {
      throw new BackupError(`project ${p.header.projectId} seq ${e.seq} (${e.eventId}): recorded ${e.status}${e.rejectionCode ? ` ${e.rejectionCode}` : ''}, the engine decides ${status}${code ? ` ${code}` : ''}`);
    }
  }
}

export interface RestoreResult { projects: { projectId: string; events: number; head: string }[]; events: number; seconds: number }

/**
 * Restores a backup into an EMPTY database: checks the whole file first
 * (readBackup, then the engine's decisions), then replays each project
 * through the app layer's bulk path with the original recorded_at/by and
 * personal salts. Inside each batch's transaction every rebuilt hash must
 * equal the file's (else the batch rolls back and the restore stops), and at
 * the end `verifyChain` must pass with the file's head.
 */
export async function restore(store: EventStore, file: string, opts: { batchSize?: number; progress?: ProgressOptions; log?: (line: string) => void } = {}): Promise<RestoreResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const parsed = readBackup(file);
  log(`backup ${file}: ${parsed.projects.length} projects, ${parsed.events} events, checksums and chains ok`);
  const existing = await store.listProjects();
  if (existing.length > 0) throw new BackupError(`the target database is not empty (${existing.length} projects, e.g. ${existing[0]!.projectId}): restore only into an empty database`);
  for (const p of parsed.projects) checkDecisions(p);
  log('engine decisions match the recorded ones');

  const batchSize = Math.max(1, opts.batchSize ?? 2000);
  const bar = progress('restore', parsed.events, { unit: 'events', ...opts.progress });
  const out: RestoreResult['projects'] = [];
  let done = 0;
  try {
    for (const p of parsed.projects) {
      const h = p.header;
      const check = (from: number) => (stored: readonly StoredEvent[]) => {
        stored.forEach((s, i) => {
          const want = p.events[from + i]!;
          if (s.seq !== want.seq || s.hash !== want.hash) throw new BackupError(`project ${h.projectId} seq ${s.seq}: the rebuilt hash ${s.hash} differs from the backup's ${want.hash}`);
        });
      };
      if (p.events.length === 0) {
        // A project whose creation never finished: kept as it was, empty.
        await store.createProject(h.projectId, h.name, h.timezone);
        out.push({ projectId: h.projectId, events: 0, head: GENESIS_HASH });
        continue;
      }
      const overlay = overlayOf(p);
      const writer = await BulkWriter.create(store, { id: h.projectId, name: h.name, timezone: h.timezone }, item(p.events[0]!, overlay), { check: check(0) });
      done++;
      await store.restoreErasureRecords(h.projectId, p.erasures);
      for (let i = 1; i < p.events.length; i += batchSize) {
        const slice = p.events.slice(i, i + batchSize);
        await writer.append(slice.map((e) => item(e, overlay)), { check: check(i) });
        done += slice.length;
        bar.update(done);
      }
      const v = await store.verifyChain(h.projectId);
      if (!v.ok) throw new BackupError(`project ${h.projectId}: the restored chain does not verify at seq ${v.seq} (${v.reason})`);
      if (v.head.seq !== h.headSeq || v.head.hash !== h.headHash) throw new BackupError(`project ${h.projectId}: restored head ${v.head.seq} ${v.head.hash} differs from the backup's ${h.headSeq} ${h.headHash}`);
      out.push({ projectId: h.projectId, events: v.count, head: v.head.hash });
    }
  } catch (e) {
    if (e instanceof BulkError) throw new BackupError(e.message);
    throw e;
  } finally {
    bar.stop();
  }
  return { projects: out, events: done, seconds: (performance.now() - started) / 1000 };
}
