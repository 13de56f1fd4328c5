// The floors the figures are compared with, each measured in the same run as
// its figure: a bare Fastify route, raw durable inserts on SQLite and on
// PostgreSQL, and a bare open-and-query of the SQLite file. Every loop is
// bounded by a count and by time.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import postgres from 'postgres';

/** A bare Fastify route returning a constant, on its own port (in the benchmark's process). */
export async function startFastifyFloor(): Promise<{ base: string; close: () => Promise<void> }> {
  const f = Fastify({ logger: false });
  const answer = { receiver: 'gw01', owner: 'gw01', countsAsTurn: true, basis: { clause: 'floor', events: [], text: null } };
  f.post('/api/projects/:project/judge', async () => answer);
  const address = await f.listen({ port: 0, host: '127.0.0.1' });
  return { base: address, close: () => f.close() };
}

/** A row about the size of a recorded visit (payload + personal + hashes). */
const PAYLOAD = JSON.stringify({ says: { firstVisit: true }, receivedBy: 'gw01', pad: 'x'.repeat(300) });

export interface RateResult {
  count: number;
  seconds: number;
  rate: number;
}

/** Single-row inserts, each its own durable transaction, on the store's SQLite settings (WAL, synchronous=FULL). */
export function sqliteInsertFloor(dir: string, seconds: number, maxCount: number): RateResult {
  const db = new BetterSqlite3(join(dir, 'floor.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.exec('create table if not exists floor_rows (project_id text not null, seq integer not null, payload text not null, hash text not null, primary key (project_id, seq))');
    const insert = db.prepare('insert into floor_rows (project_id, seq, payload, hash) values (?, ?, ?, ?)');
    const started = performance.now();
    const deadline = started + seconds * 1000;
    let n = 0;
    while (n < maxCount && performance.now() < deadline) {
      n++;
      insert.run('floor', n, PAYLOAD, 'f'.repeat(64));
    }
    const s = (performance.now() - started) / 1000;
    return { count: n, seconds: s, rate: n / s };
  } finally {
    db.close();
  }
}

/** Single-row inserts (each its own transaction) through `postgres`, `connections` loops in parallel. */
export async function pgInsertFloor(url: string, connections: number, seconds: number, maxCount: number): Promise<RateResult> {
  const sql = postgres(url, { max: connections, onnotice: () => {} });
  try {
    await sql`create table if not exists floor_rows (project_id text not null, seq bigint not null, payload text not null, hash text not null, primary key (project_id, seq))`;
    await sql`truncate floor_rows`;
    let n = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(Array.from({ length: connections }, async (_x, c) => {
      let seq = 0;
      while (n < maxCount && performance.now() < deadline) {
        n++;
        await sql`insert into floor_rows (project_id, seq, payload, hash) values (${`floor-${c}`}, ${++seq}, ${PAYLOAD}, ${'f'.repeat(64)})`;
      }
    }));
    const s = (performance.now() - started) / 1000;
    return { count: n, seconds: s, rate: n / s };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * A new node process that opens the SQLite file and answers one indexed query
 * (the project's last event by primary key): the least a cold server must do
 * before it can answer. Milliseconds from spawn to exit, the median of `runs`.
 */
export function coldOpenFloor(root: string, file: string, project: string, runs = 3): { ms: number; all: number[] } {
  const script = `const D=require('better-sqlite3');const db=new D(${JSON.stringify(file)},{readonly:true});` +
    `const h=db.prepare('select head_seq from projects where project_id=?').get(${JSON.stringify(project)});` +
    `const r=db.prepare('select hash from events where project_id=? and seq=?').get(${JSON.stringify(project)},h.head_seq);` +
    `if(!r)process.exit(3);process.stdout.write(r.hash);`;
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`cold-open floor failed: ${r.status} ${r.stderr}`);
    all.push(performance.now() - t);
  }
  const sorted = [...all].sort((a, b) => a - b);
  return { ms: sorted[Math.floor(sorted.length / 2)]!, all };
}
