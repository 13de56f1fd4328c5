// Shared set-up for the operations tests: fresh SQLite folders and fresh
// PostgreSQL schemas (PostgreSQL only when DATABASE_URL is set), removed at the end.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { BulkWriter } from '../../src/app/bulk.ts';
import { writeTimeline, type GenerateOptions } from '../../src/sim/generate.ts';
import { openStore, type EventStore, type StoreConfig } from '../../src/store/index.js';

export const PG_URL = process.env.DATABASE_URL;
if (!PG_URL) console.warn('[ops int] PostgreSQL cases SKIPPED: DATABASE_URL is not set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)');

export interface Target {
  name: 'sqlite' | 'postgres';
  skipReason: string | null;
  freshConfig(): StoreConfig;
}

const tmpDirs: string[] = [];
const pgSchemas: string[] = [];
const stores: EventStore[] = [];

export function tempDir(label = 'ops'): string {
  const dir = mkdtempSync(join(tmpdir(), `guishu-${label}-`));
  tmpDirs.push(dir);
  return dir;
}

export const TARGETS: Target[] = [
  { name: 'sqlite', skipReason: null, freshConfig: () => ({ kind: 'sqlite', dataDir: tempDir('db') }) },
  {
    name: 'postgres',
    skipReason: PG_URL ? null : 'DATABASE_URL is not set',
    freshConfig() {
      const schema = `guishu_ops_${process.pid}_${randomBytes(4).toString('hex')}`;
      pgSchemas.push(schema);
      return { kind: 'postgres', url: PG_URL ?? '', schema, maxConnections: 4 };
    },
  },
];

export async function open(config: StoreConfig): Promise<EventStore> {
  const s = await openStore(config);
  stores.push(s);
  return s;
}

export async function cleanup(): Promise<void> {
  for (const s of stores.splice(0)) await s.close().catch(() => {});
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  if (PG_URL && pgSchemas.length > 0) {
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    for (const schema of pgSchemas.splice(0)) await admin.unsafe(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }
}

export const SMALL: GenerateOptions = { customers: 60, days: 6, consultants: 4, seed: 11 };

/** A generated timeline as `guishu generate` writes it; returns the file and its lines. */
export function timelineFile(options: GenerateOptions = SMALL): { file: string; lines: string[] } {
  const lines: string[] = [];
  writeTimeline(options, (l) => lines.push(l));
  const file = join(tempDir('timeline'), 'timeline.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  return { file, lines };
}

/** Projection rows without project_id, for comparing two projects or two databases. */
export function strip(rows: Record<string, Record<string, unknown>[]>): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const [t, list] of Object.entries(rows)) out[t] = list.map(({ project_id: _p, ...rest }) => rest);
  return out;
}

export const NO_PROGRESS = { stream: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream, everyMs: 1e9 };

const AT0 = Date.parse('2025-03-01T08:00:00+08:00');

/** A project with a manager and three consultants (two of them named). */
export async function officeWithStaff(store: EventStore, id = 'p1'): Promise<void> {
  await BulkWriter.create(store, { id, name: id, timezone: 'Asia/Shanghai' }, { event: { id: 'e1', type: 'policy', at: AT0, preset: 'standard' } });
  const w = await BulkWriter.open(store, id);
  await w.append([
    { event: { id: 's0', type: 'staff', at: AT0, staff: 'jl01', name: '陈经理', role: 'manager' } },
    { event: { id: 's1', type: 'staff', at: AT0, staff: 'gw01', name: '杜若曦', role: 'consultant' } },
    { event: { id: 's2', type: 'staff', at: AT0, staff: 'gw02', name: '唐超', role: 'consultant' } },
    { event: { id: 's3', type: 'staff', at: AT0, staff: 'gw03', role: 'consultant' } },
  ]);
}

