// Loads a generated NDJSON timeline into a SQLite data dir FAST, as a child
// process: `node --import tsx bench/lib/load-sqlite.ts '<json args>'`.
//
// Why not `guishu import-timeline`: it runs `Projector.step` after every event
// (~0.5-1 ms each on this machine: 844 events/s measured), so 3.6M events would
// take over an hour. The log is what the server reads (its cache is a replay of
// `events`), so this loader writes the log through the store's own append (the
// same hash chain, codec and per-project head), in batches of BATCH events per
// transaction, with each event's status decided by the same engine
// (`Timeline.apply`, replay options: no history, no id tracking — the file is
// trusted). Projection rows are then written once from the final state: one
// `Projector.step` forced to a full recompute (a synthetic `staff` change), in
// one transaction — the rows a rebuild gives, except refused reports (kept by
// the projector only when it sees each event).
import { fileURLToPath } from 'node:url';
import { BulkWriter } from '../../src/app/bulk.ts';
import { toNewEvent } from '../../src/app/codec.ts';
import { Projector, writeRows } from '../../src/app/projector.ts';
import { Timeline, type Outcome } from '../../src/domain/engine/index.ts';
import type { OfficeEvent } from '../../src/domain/events.ts';
import { DEFAULT_TIMEZONE } from '../../src/domain/time.ts';
import { decodeWireEvent } from '../../src/domain/wire.ts';
import { openStore, type NewEvent } from '../../src/store/index.js';
import { forEachLine } from './lines.ts';
import { initialPolicy, policyOfEvent } from '../../src/domain/policy/wiring.ts';

export interface LoadArgs {
  file: string;
  dataDir: string;
  project: string;
  batch?: number;
  maxSeconds?: number;
}

export interface LoadResult {
  project: string;
  events: number;
  accepted: number;
  customers: number;
  projectionRows: number;
  projectionError: string | null;
  seconds: number;
  rate: number;
  maxRss: number;
  truncated: boolean;
}

export async function loadSqlite(a: LoadArgs): Promise<LoadResult> {
  const started = performance.now();
  const deadline = started + (a.maxSeconds ?? 3600) * 1000;
  const batchSize = a.batch ?? 5000;
  const store = await openStore({ kind: 'sqlite', dataDir: a.dataDir });
  try {
    // Decode synchronously (a bounded number of lines per batch), append asynchronously.
    const lines: OfficeEvent[] = [];
    forEachLine(a.file, (line, n) => {
      lines.push(decodeWireEvent(line, n, true));
    });
    const genesis = lines[0];
    if (!genesis || genesis.type !== 'policy') throw new Error(`${a.file}: the first event is not a policy`);
    const writer = await BulkWriter.create(store, { id: a.project, name: a.project, timezone: DEFAULT_TIMEZONE }, { event: genesis }, { recordedBy: 'bench-loader' });
    let head = writer.headSeq;
    const resolve = policyOfEvent;
    const timeline = new Timeline({ timezone: DEFAULT_TIMEZONE, policy: initialPolicy(genesis.preset, genesis.set), keepHistory: false, checkIds: false, resolvePolicy: resolve });
    let accepted = 1;
    let truncated = false;
    for (let i = 1; i < lines.length; i += batchSize) {
      const rows: NewEvent[] = [];
      for (const event of lines.slice(i, i + batchSize)) {
        const outcome = timeline.apply(event);
        if (outcome.accepted) accepted++;
        rows.push(toNewEvent(event, outcome.accepted ? { status: 'accepted' } : { status: 'rejected', code: outcome.rejection.code }, 'bench-loader'));
      }
      const stored = await store.append(a.project, head, rows);
      head = stored[stored.length - 1]!.seq;
      if (performance.now() > deadline) {
        truncated = true;
        break;
      }
    }
    lines.length = 0;
    let projectionRows = 0;
    let projectionError: string | null = null;
    try {
      const projector = new Projector();
      const out = projector.genesis(genesis, 1);
      const forceFull = { accepted: true, changes: [{ kind: 'staff' }] } as unknown as Outcome;
      for (const row of projector.step(timeline.state, { id: 'bench-full', type: 'staff', at: 0, staff: 'bench' } as OfficeEvent, forceFull, timeline.rejections, head)) out.push(row);
      projectionRows = out.length;
      await store.transaction(async (tx) => {
        for (let i = 0; i < out.length; i += 500) await writeRows(tx, a.project, out.slice(i, i + 500));
      });
    } catch (e) {
      projectionError = (e as Error).message.slice(0, 300);
    }
    const seconds = (performance.now() - started) / 1000;
    return { project: a.project, events: head, accepted, customers: timeline.state.customers.size, projectionRows, projectionError, seconds, rate: head / seconds, maxRss: process.resourceUsage().maxRSS * 1024, truncated };
  } finally {
    await store.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = JSON.parse(process.argv[2] ?? '{}') as LoadArgs;
  process.stdout.write(JSON.stringify(await loadSqlite(args)) + '\n');
}
