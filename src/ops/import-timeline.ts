// `guishu import-timeline FILE`: loads an NDJSON timeline (as `guishu
// generate` writes it) into the store through the app layer's bulk path
// (src/app/bulk.ts): every event through the engine, its projection rows
// written by the same Projector/writeRows, BATCH events per transaction.
//
// The first `policy` event is the project's genesis (its preset, or --preset);
// `staff` events create the cast like any other event. A project that already
// exists is continued: events whose id is already in its log are skipped, so
// an interrupted import is resumed by running the same command again.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { BulkWriter, validateEvent, type BulkItem } from '../app/bulk.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { DEFAULT_TIMEZONE, isValidTimezone } from '../domain/time.ts';
import { decodeWireEvent, WireError } from '../domain/wire.ts';
import type { EventStore } from '../store/index.js';
import { progress, type ProgressOptions } from './progress.ts';

export interface ImportTimelineOptions {
  file: string;
  /** Project id (and name, unless `name`); default: from the file name. */
  project?: string;
  name?: string;
  /** Overrides the preset of the genesis policy event (or supplies one when the file has none). */
  preset?: string;
  timezone?: string;
  /** Events per transaction (default 2000). */
  batchSize?: number;
  recordedBy?: string;
  progress?: ProgressOptions;
  log?: (line: string) => void;
}

export interface ImportTimelineResult {
  projectId: string;
  created: boolean;
  events: number;
  skipped: number;
  accepted: number;
  rejected: number;
  rejections: Record<string, number>;
  headSeq: number;
  seconds: number;
  eventsPerSecond: number;
}

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

export function projectIdFromFile(file: string): string {
  const id = basename(file).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '').slice(0, 64);
  return id || 'imported';
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  }
  return n;
}

export async function importTimeline(store: EventStore, opts: ImportTimelineOptions): Promise<ImportTimelineResult> {
  const started = performance.now();
  const projectId = opts.project ?? projectIdFromFile(opts.file);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(projectId)) throw new ImportError(`--project: a project id is 1-64 letters, digits, "-" or "_" (got ${projectId})`);
  const timezone = opts.timezone ?? DEFAULT_TIMEZONE;
  if (!isValidTimezone(timezone)) throw new ImportError(`--timezone: unknown time zone ${timezone}`);
  const batchSize = Math.max(1, opts.batchSize ?? 2000);
  const recordedBy = opts.recordedBy ?? 'import-timeline';
  const log = opts.log ?? (() => {});

  const total = await countLines(opts.file);
  const bar = progress(`import ${basename(opts.file)}`, total, { unit: 'events', ...opts.progress });
  let writer: BulkWriter | undefined = (await store.getProject(projectId)) ? await BulkWriter.open(store, projectId) : undefined;
  const created = !writer;
  if (writer && opts.preset) log(`project ${projectId} exists: --preset ignored, continuing its log`);

  let batch: BulkItem[] = [];
  let lineNo = 0;
  let done = 0;
  let skipped = 0;
  let accepted = 0;
  let rejected = 0;
  const rejections: Record<string, number> = {};
  const flush = async () => {
    if (batch.length === 0 || !writer) return;
    const r = await writer.append(batch, { recordedBy });
    accepted += r.accepted;
    rejected += r.rejected;
    for (const [k, v] of Object.entries(r.rejections)) rejections[k] = (rejections[k] ?? 0) + v;
    done += batch.length;
    batch = [];
    bar.update(done + skipped);
  };

  try {
    const lines = createInterface({ input: createReadStream(opts.file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === '') continue;
      let event: OfficeEvent;
      try {
        event = validateEvent(decodeWireEvent(text, lineNo));
      } catch (e) {
        if (e instanceof WireError) throw new ImportError(`${opts.file}:${e.message}`);
        throw new ImportError(`${opts.file}:line ${lineNo}: ${(e as Error).message}`);
      }
      if (!writer) {
        let genesis: OfficeEvent = event;
        if (event.type !== 'policy') {
          if (!opts.preset) throw new ImportError(`${opts.file}:line ${lineNo}: the first event is a ${event.type}, not a policy: name the rulebook with --preset`);
          genesis = { id: 'policy-1', type: 'policy', at: event.at, preset: opts.preset };
        } else if (opts.preset) {
          genesis = { ...event, preset: opts.preset };
        }
        writer = await BulkWriter.create(store, { id: projectId, name: opts.name ?? projectId, timezone }, { event: genesis }, { recordedBy });
        log(`created project ${projectId} (${timezone}, preset ${(genesis as { preset: string }).preset})`);
        done++;
        if (genesis === event || event.type === 'policy') continue;
      }
      if (writer.has(event.id)) {
        skipped++;
        continue;
      }
      batch.push({ event });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    bar.stop();
  }
  if (!writer) throw new ImportError(`${opts.file}: no events`);
  const seconds = (performance.now() - started) / 1000;
  const events = done;
  return { projectId, created, events, skipped, accepted: accepted + (created ? 1 : 0), rejected, rejections, headSeq: writer.headSeq, seconds, eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : events };
}
