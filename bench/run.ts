// `npm run bench [-- --quick] [--diagnose] [--no-pg] [--customers N] [--events N] [--reports N] [--seconds S] [--offices N] [--warm-projects N] [--data DIR]`
//
// The system benchmark: every figure is measured side by side with its floor
// in the same run, so that machine noise (this machine is shared) cancels in
// the ratio. Loopback only; every loop is bounded in count and time; children
// are killed on exit. Prints the machine and a table, writes bench/results.json.
//
//  figure                               floor (same run)
//  judge over HTTP (50 conns)           bare Fastify route returning a constant
//  record visits over HTTP, SQLite      raw single-row durable inserts (WAL, synchronous=FULL)
//  record visits over HTTP, PostgreSQL  raw single-row inserts, same client, 8 connections
//  masked-phone report match            exact-key indexed lookup, same table
//  engine replay (bench/engine.bench)   read + decode the same NDJSON
//  server cold start → first judge      new process: open the file + one indexed query
//  server RSS peak, one office          —   (first start: log replayed, checkpoint saved; then the judge run)
//  what-if, one year of a busy office   read the same events from SQLite (the log alone)
//  N offices in one process             —   (each touched twice under GUISHU_WARM_PROJECTS; RSS, evicted judge)
//
// Data: the generator (`writeTimeline`, in a child) writes NDJSON; a child
// loads it into a SQLite data dir through the store's append in batches of
// 5,000 (bench/lib/load-sqlite.ts — `guishu import-timeline` runs the
// projector per event and manages ~850 events/s here). See bench/FINDINGS.md.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import postgres from 'postgres';
import { EVENTS_PER_CUSTOMER, optionsForEvents, type GenerateOptions } from '../src/sim/generate.ts';
import { coldOpenFloor, pgInsertFloor, sqliteInsertFloor, startFastifyFloor } from './lib/floors.ts';
import type { GeneratedFile } from './lib/generate-file.ts';
import type { LoadResult as DataLoad } from './lib/load-sqlite.ts';
import type { LoadResult, LoadSpec } from './lib/load.ts';
import { maskBench } from './lib/masks.ts';
import { forEachLine } from './lib/lines.ts';
import { fmtBytes, machine, MiB, table } from './lib/measure.ts';
import { summariseProfile } from './lib/profile.ts';
import { api, rssOf, sleep, startServer, track, type ServerHandle } from './lib/server.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..');
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    diagnose: { type: 'boolean', default: false },
    'no-pg': { type: 'boolean', default: false },
    customers: { type: 'string' },
    events: { type: 'string' },
    reports: { type: 'string' },
    seconds: { type: 'string' },
    'max-cold-seconds': { type: 'string' },
    'max-minutes': { type: 'string' },
    data: { type: 'string' },
    offices: { type: 'string' },
    'warm-projects': { type: 'string' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
const quick = values.quick!;
const num = (name: string, text: string | undefined, dflt: number, min = 1) => {
  if (text === undefined) return dflt;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got ${text}`);
  return n;
};
const SIZES = {
  customers: num('customers', values.customers, quick ? 1_500 : 1_000_000),
  events: num('events', values.events, quick ? 5_400 : 1_000_000),
  reports: num('reports', values.reports, quick ? 50_000 : 1_000_000),
  seconds: num('seconds', values.seconds, quick ? 3 : 15),
  maskQueries: quick ? 1_000 : 20_000,
  maxColdSeconds: num('max-cold-seconds', values['max-cold-seconds'], quick ? 90 : 1800),
  maxMinutes: num('max-minutes', values['max-minutes'], quick ? 4 : 180),
  seed: num('seed', values.seed, 1, 0),
};
// Issue 13's targets. RSS: the judge office's peak (VmHWM) over a first start (log replayed, checkpoint saved) and the judge run.
const TARGETS = {
  judgeRatio: 0.5, judgeP99Ms: 10, sqliteVisitRatio: 0.4, pgVisitRatio: 0.3, maskP99Ms: 1, maskRatio: 3, replayRatio: 0.5, coldMs: 2000, rssPeakBytes: 400 * MiB,
  whatIfMs: 2000, officesRssBytes: 500e6, evictedJudgeMs: 1000,
};
/** One process serving a group: offices of the judge office's size, and the warm-project limit it runs with. */
const OFFICES = num('offices', values.offices, 20);
const WARM_PROJECTS = num('warm-projects', values['warm-projects'], 2, 0);
const JUDGE_CONNECTIONS = 50;
const WRITE_CONNECTIONS = 8;
const PG_PROJECTS = 8;
const PASSWORD = 'bench-admin-password-1';
const PG_BASE = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const started = performance.now();
const log = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
// Watchdog: the benchmark stops by itself even if a phase hangs.
const watchdog = setTimeout(() => {
  log(`watchdog: over ${SIZES.maxMinutes} minutes — stopping`);
  process.exit(3);
}, SIZES.maxMinutes * 60_000);
watchdog.unref();

const workDir = mkdtempSync(join(tmpdir(), 'guishu-bench-'));
const cacheDir = values.data ? values.data : join(workDir, 'data');
mkdirSync(cacheDir, { recursive: true });

// ---------------------------------------------------------------- results

interface Row {
  figure: string;
  value: string;
  floor: string;
  ratio: string;
  target: string;
  pass: boolean | null;
  note?: string;
  raw?: Record<string, unknown>;
}
const rows: Row[] = [];
const info: Record<string, unknown> = {};
const errors: Record<string, string> = {};
const fmtN = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—');
const fmtMs = (ms: number) => (ms >= 100 ? `${fmtN(ms)} ms` : `${fmtN(ms, ms >= 10 ? 1 : 3)} ms`);

async function phase<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  const t = performance.now();
  log(`${name} …`);
  try {
    const r = await fn();
    log(`${name}: done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return r;
  } catch (e) {
    errors[name] = (e as Error).message.slice(0, 500);
    log(`${name}: FAILED: ${errors[name]}`);
    return undefined;
  }
}

function child<T>(args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  return new Promise((resolve, reject) => {
    const c = track(spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-3000)));
    const timer = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${args[0]} exited ${code ?? signal}: ${err.trim().slice(-800)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
      } catch {
        reject(new Error(`${args[0]}: no JSON on stdout: ${out.slice(-300)}`));
      }
    });
  });
}

const load = (spec: LoadSpec) => child<LoadResult>(['bench/lib/load.ts', JSON.stringify(spec)], (spec.seconds + 60) * 1000);

// ---------------------------------------------------------------- data

interface Dataset {
  options: GenerateOptions;
  file: string;
  dir: string;
  project: string;
  generation: GeneratedFile | null;
  load: DataLoad | null;
}

async function dataset(options: GenerateOptions): Promise<Dataset> {
  const key = createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 12);
  const base = join(cacheDir, `timeline-${key}`);
  const file = `${base}.ndjson`;
  const dir = `${base}-sqlite`;
  const project = 'office';
  const doneMark = join(dir, 'loaded.json');
  if (existsSync(doneMark)) {
    log(`reusing ${dir}`);
    return { options, file, dir, project, generation: null, load: JSON.parse(readFileSync(doneMark, 'utf8')) as DataLoad };
  }
  rmSync(dir, { recursive: true, force: true });
  const genMark = `${file}.json`;
  let generation: GeneratedFile;
  if (existsSync(genMark)) {
    generation = JSON.parse(readFileSync(genMark, 'utf8')) as GeneratedFile;
    log(`reusing ${file}`);
  } else {
    log(`generating ${options.customers.toLocaleString('en-US')} customers over ${options.days} days → ${file}`);
    generation = await child<GeneratedFile>(['bench/lib/generate-file.ts', JSON.stringify(options), file], SIZES.maxMinutes * 60_000);
    writeFileSync(genMark, JSON.stringify(generation));
  }
  log(`generated ${generation.events.toLocaleString('en-US')} events in ${generation.seconds.toFixed(1)} s; loading into SQLite (store append, 5,000 events a transaction) …`);
  const loaded = await child<DataLoad>(['bench/lib/load-sqlite.ts', JSON.stringify({ file, dataDir: dir, project, batch: 5000, maxSeconds: SIZES.maxMinutes * 60 })], SIZES.maxMinutes * 60_000);
  log(`loaded ${loaded.events.toLocaleString('en-US')} events (${loaded.customers.toLocaleString('en-US')} customers) in ${loaded.seconds.toFixed(1)} s (${fmtN(loaded.rate)} events/s)${loaded.projectionError ? `; projections: ${loaded.projectionError}` : ''}`);
  writeFileSync(doneMark, JSON.stringify(loaded));
  return { options, file, dir, project, generation, load: loaded };
}

/** n registered phones: from the customers projection, else (no projection rows) from the timeline's visits. */
function samplePhones(ds: Dataset, n: number): string[] {
  const db = new BetterSqlite3(join(ds.dir, 'guishu.db'), { readonly: true });
  try {
    const rows = (db.prepare('select phone from customers where project_id = ? order by random() limit ?').all(ds.project, n) as { phone: string }[]).map((r) => r.phone);
    if (rows.length) return rows;
  } finally {
    db.close();
  }
  const seen: string[] = [];
  forEachLine(ds.file, (line, i) => {
    if (i % 7 !== 0 || !line.includes('"type":"visit"')) return true;
    const m = /"customer":\{"phone":"(\d{11})"/.exec(line);
    if (m) seen.push(m[1]!);
    return seen.length < n * 20;
  });
  return seen.filter((_p, i) => i % 20 === 0).slice(0, n);
}

// ---------------------------------------------------------------- phases

const judgeOptions = optionsForEvents(Math.round(SIZES.customers * EVENTS_PER_CUSTOMER), SIZES.seed);
const coldOptions = optionsForEvents(SIZES.events, SIZES.seed);
const sameData = JSON.stringify(judgeOptions) === JSON.stringify(coldOptions);
const m = machine();
// The servers run what `guishu start` runs in production: the bundle, rebuilt here so it is never older than the sources.
{
  const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-server.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('npm run build:server failed');
}
log(`machine: ${m.cpu} · ${m.cores} cores · ${m.totalMemoryGiB} GiB · node ${m.node}; ${quick ? 'quick' : 'full'} mode; work dir ${workDir}`);

const coldData = await phase('data: cold-start timeline', () => dataset(coldOptions));
const judgeData = sameData ? coldData : await phase('data: judge timeline', () => dataset(judgeOptions));
info.data = {
  loadMethod: 'bench/lib/load-sqlite.ts: generator NDJSON → Timeline.apply (replay options) → store.append, 5,000 events a transaction; projections written once from the final state',
  cold: coldData && { generator: coldData.options, generation: coldData.generation, load: coldData.load },
  judge: judgeData && { generator: judgeData.options, generation: judgeData.generation, load: judgeData.load },
};

// ---- engine replay (in process, bench/engine.bench.ts on the cold-start file) --------------------
if (coldData) {
  const out = join(workDir, 'engine.json');
  const r = await phase('engine replay (bench/engine.bench.ts)', async () => {
    await new Promise<void>((resolve, reject) => {
      const c = track(spawn(process.execPath, ['--import', 'tsx', 'bench/engine.bench.ts', '--file', coldData.file, '--judge', '2000', '--out', out, '--max-seconds', String(quick ? 60 : 600)], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] }));
      let err = '';
      c.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
      const timer = setTimeout(() => c.kill('SIGKILL'), (quick ? 120 : 1500) * 1000);
      c.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`engine bench exited ${code ?? signal}: ${err.slice(-500)}`));
      });
    });
    return JSON.parse(readFileSync(out, 'utf8')) as { floor: { rate: number; events: number }; replay: { rate: number; events: number; truncated: boolean }; memory: { maxRss: number } };
  });
  if (r) {
    const ratio = r.replay.rate / r.floor.rate;
    rows.push({
      figure: `engine replay, ${fmtN(r.replay.events)} events (in process)`, value: `${fmtN(r.replay.rate)} ev/s`, floor: `${fmtN(r.floor.rate)} ev/s (decode only)`, ratio: ratio.toFixed(3),
      target: `≥ ${TARGETS.replayRatio}× decode`, pass: ratio >= TARGETS.replayRatio && !r.replay.truncated, raw: r as unknown as Record<string, unknown>,
    });
  }
}

// ---- masked-phone report match ------------------------------------------------------------------
{
  const dir = join(workDir, 'masks');
  mkdirSync(dir, { recursive: true });
  const r = await phase(`masked-phone match among ${fmtN(SIZES.reports)} reports`, () => maskBench(dir, SIZES.reports, SIZES.maskQueries, quick ? 20 : 120));
  if (r) {
    const ratio = r.value.p99 / r.floor.p99;
    rows.push({
      figure: `masked-phone match (138***88888) p99, ${fmtN(r.reports)} reports`, value: fmtMs(r.value.p99), floor: `${fmtMs(r.floor.p99)} (exact key)`, ratio: ratio.toFixed(2),
      target: `≤ ${TARGETS.maskP99Ms} ms, ≤ ${TARGETS.maskRatio}×`, pass: r.value.p99 <= TARGETS.maskP99Ms && ratio <= TARGETS.maskRatio && !r.truncated,
      note: `p50 ${fmtMs(r.value.p50)} vs ${fmtMs(r.floor.p50)}; ${r.matched}/${r.queries} queries matched a report`, raw: r as unknown as Record<string, unknown>,
    });
  }
  rmSync(dir, { recursive: true, force: true });
}

// ---- SQLite server: cold start, judge, RSS, visits ------------------------------------------------
const serverFlags = (name: string) => (values.diagnose ? ['--import', join(here, 'lib', 'count-queries.mjs'), '--cpu-prof', `--cpu-prof-dir=${join(workDir, `prof-${name}`)}`] : []);
const queryLog = join(workDir, 'queries.json');
process.env.BENCH_QUERY_LOG = queryLog;

/** Drops the project's engine checkpoint from a dataset's file (a reused --data keeps the last run's). */
function dropCheckpoints(ds: Dataset): void {
  const db = new BetterSqlite3(join(ds.dir, 'guishu.db'));
  try {
    const has = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'checkpoints'").get();
    if (has) db.prepare('delete from checkpoints').run();
  } finally {
    db.close();
  }
}

/**
 * Cold start, twice: a first start with no checkpoint (the whole log
 * replayed; the server saves a checkpoint after it), then a restart, which
 * restores the checkpoint and replays only what follows — the figure with the
 * target (a server restarts far more often than it meets a log for the first time).
 */
async function coldStart(ds: Dataset, name: string): Promise<ServerHandle | undefined> {
  dropCheckpoints(ds);
  const floor = coldOpenFloor(ROOT, join(ds.dir, 'guishu.db'), ds.project);
  const floorCell = `${fmtMs(floor.ms)} (open + 1 query)`;
  const first = await startAndJudge(ds, `${name}-first`, `server first start (no checkpoint) → first judge, ${fmtN(ds.load?.events ?? NaN)} events`, floorCell, floor.ms, false);
  if (!first) return undefined;
  await first.stop();
  return startAndJudge(ds, name, `server cold start (restart, checkpoint) → first judge, ${fmtN(ds.load?.events ?? NaN)} events`, floorCell, floor.ms, true, floor.all);
}

async function startAndJudge(ds: Dataset, name: string, figure: string, floorCell: string, floorMs: number, target: boolean, floorAll?: unknown): Promise<ServerHandle | undefined> {
  const s = await startServer({ dataDir: ds.dir, password: PASSWORD, maxWaitMs: 120_000, nodeFlags: serverFlags(name) });
  const t = performance.now();
  const targetCell = target ? `≤ ${fmtN(TARGETS.coldMs)} ms` : '—';
  let first: { status: number; body: unknown };
  try {
    first = await api(s, 'POST', `/api/projects/${ds.project}/judge`, { customer: { phone: '13800138000' } }, SIZES.maxColdSeconds * 1000);
  } catch (e) {
    // No answer within the bound: the row says so, and this server stops (it would go on replaying beside the next phases).
    const rss = rssOf(s.pid);
    await s.stop();
    rows.push({
      figure, value: `> ${fmtN(SIZES.maxColdSeconds)} s`, floor: floorCell, ratio: `> ${fmtN((s.listenMs + SIZES.maxColdSeconds * 1000) / floorMs)}`, target: targetCell, pass: target ? false : null,
      note: `no judge answer within --max-cold-seconds ${SIZES.maxColdSeconds} (${(e as Error).name}); listening after ${fmtMs(s.listenMs)}; RSS when stopped ${fmtBytes(rss.rss)} (peak ${fmtBytes(rss.hwm)})`,
      raw: { listenMs: s.listenMs, boundSeconds: SIZES.maxColdSeconds, floorMs: floorAll, rssWhenStopped: rss },
    });
    return undefined;
  }
  const firstJudgeMs = performance.now() - t;
  if (first.status !== 200) {
    await s.stop();
    throw new Error(`first judge: ${first.status} ${JSON.stringify(first.body).slice(0, 300)}`);
  }
  const total = s.listenMs + firstJudgeMs;
  rows.push({
    figure, value: fmtMs(total), floor: floorCell, ratio: (total / floorMs).toFixed(1),
    target: targetCell, pass: target ? total <= TARGETS.coldMs : null,
    note: `listening after ${fmtMs(s.listenMs)}, first judge (the project's ${target ? 'checkpoint restored' : 'log replayed, checkpoint saved'}) ${fmtMs(firstJudgeMs)}; sign-in (argon2, not counted) ${fmtMs(s.loginMs)}; RSS then ${fmtBytes(rssOf(s.pid).rss)}`,
    raw: { listenMs: s.listenMs, firstJudgeMs, loginMs: s.loginMs, floorMs: floorAll, rssAfter: rssOf(s.pid) },
  });
  return s;
}

async function setupWriteProject(s: ServerHandle, id: string): Promise<void> {
  const ok = (r: { status: number; body: unknown }, what: string) => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  };
  ok(await api(s, 'POST', '/api/projects', { id, name: id, preset: 'standard' }), `create ${id}`);
  const staff = ['gw01', 'gw02', 'gw03', 'gw04'];
  for (const st of staff) ok(await api(s, 'POST', `/api/projects/${id}/staff`, { staff: st, name: `顾问${st.slice(2)}`, role: 'consultant' }), `staff ${st}`);
  ok(await api(s, 'POST', `/api/projects/${id}/roster`, { order: staff }), `roster ${id}`);
}

function loadRow(figure: string, r: LoadResult, floorRate: number, floorLabel: string, ratioTarget: number, extra?: string): Row {
  const ratio = r.rps / floorRate;
  const clean = r.non2xx === 0 && r.errors === 0 && r.timeouts === 0;
  return {
    figure, value: `${fmtN(r.rps)} req/s`, floor: `${fmtN(floorRate)} ${floorLabel}`, ratio: ratio.toFixed(3), target: `≥ ${ratioTarget}× floor`, pass: ratio >= ratioTarget && clean,
    note: `p50 ${r.p50} ms, p99 ${r.p99} ms, ${fmtN(r.requests)} requests${r.outcomes ? ` (${Object.entries(r.outcomes).map(([k, v]) => `${v} ${k}`).join(', ')})` : ''}${clean ? '' : `, ${r.non2xx} non-2xx (${r.sample ?? ''}), ${r.errors} errors, ${r.timeouts} timeouts`}${extra ? `; ${extra}` : ''}`,
    raw: r as unknown as Record<string, unknown>,
  };
}

async function diagnoseQueries(s: ServerHandle, label: string, run: () => Promise<number>): Promise<void> {
  if (!values.diagnose) return;
  process.kill(s.pid, 'SIGUSR2');
  await sleep(300);
  const n = await run();
  process.kill(s.pid, 'SIGUSR2');
  await sleep(300);
  const counts = JSON.parse(readFileSync(queryLog, 'utf8')) as Record<string, number>;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  (info.queriesPerRequest ??= {} as Record<string, unknown>);
  (info.queriesPerRequest as Record<string, unknown>)[label] = { requests: n, statementsPerRequest: total / n, statements: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / n])) };
  log(`${label}: ${(total / n).toFixed(2)} SQL statements per request`);
}

if (coldData) {
  let s: ServerHandle | undefined = await phase('SQLite server: cold start', () => coldStart(coldData, 'cold'));
  if (!sameData && judgeData) {
    await s?.stop();
    s = await phase('SQLite server (judge data): start and replay', async () => {
      dropCheckpoints(judgeData); // a first start every run: the RSS peak row covers the replay and the checkpoint's save
      const h = await startServer({ dataDir: judgeData.dir, password: PASSWORD, maxWaitMs: 120_000, nodeFlags: serverFlags('judge') });
      const t = performance.now();
      const r = await api(h, 'POST', `/api/projects/${judgeData.project}/judge`, { customer: { phone: '13800138000' } }, SIZES.maxColdSeconds * 1000).catch(async (e: Error) => {
        await h.stop();
        throw new Error(`no first judge within ${SIZES.maxColdSeconds} s (${e.name})`);
      });
      if (r.status !== 200) {
        await h.stop();
        throw new Error(`first judge: ${r.status}`);
      }
      info.judgeServerFirstJudgeMs = performance.now() - t;
      return h;
    });
  }
  if (s && judgeData) {
    const server = s;
    const known = samplePhones(judgeData, 200);
    const strangers = Array.from({ length: 200 }, (_x, i) => `137${String((i * 7_919_993 + 4_242) % 100_000_000).padStart(8, '0')}`);
    const bodies = [...known, ...strangers].sort(() => 0.5 - Math.random()).map((phone) => JSON.stringify({ customer: { phone } }));
    const path = `/api/projects/${judgeData.project}/judge`;
    const spec = { kind: 'fixed' as const, paths: [path], bodies, connections: JUDGE_CONNECTIONS, seconds: SIZES.seconds, maxRequests: 2_000_000 };
    await phase('judge over HTTP', async () => {
      // Warm both (JIT, connections), then floor and figure back to back.
      const floorServer = await startFastifyFloor();
      try {
        await load({ ...spec, base: floorServer.base, seconds: 1 });
        await load({ ...spec, base: server.base, token: server.token, seconds: 1 });
        const floor = await load({ ...spec, base: floorServer.base });
        const value = await load({ ...spec, base: server.base, token: server.token });
        const row = loadRow(`judge over HTTP, ${fmtN(judgeData.load?.customers ?? NaN)} customers, ${JUDGE_CONNECTIONS} conns`, value, floor.rps, 'req/s (bare Fastify)', TARGETS.judgeRatio);
        rows.push(row);
        rows.push({
          figure: 'judge over HTTP p99', value: `${value.p99} ms`, floor: `${floor.p99} ms`, ratio: (value.p99 / Math.max(floor.p99, 0.001)).toFixed(1), target: `≤ ${TARGETS.judgeP99Ms} ms`,
          pass: value.p99 <= TARGETS.judgeP99Ms && value.non2xx === 0, raw: { value, floor },
        });
        const rss = rssOf(server.pid);
        rows.push({
          figure: `server RSS peak, one office of ${fmtN(judgeData.load?.customers ?? NaN)} customers (first start + judge run)`, value: fmtBytes(rss.hwm), floor: '—', ratio: '—', target: `≤ ${fmtBytes(TARGETS.rssPeakBytes)}`,
          pass: rss.hwm <= TARGETS.rssPeakBytes, note: `RSS after the judge run ${fmtBytes(rss.rss)}; the first start replayed ${fmtN(judgeData.load?.events ?? NaN)} events and saved a checkpoint`, raw: rss as unknown as Record<string, unknown>,
        });
      } finally {
        await floorServer.close();
      }
      await diagnoseQueries(server, 'judge', async () => {
        for (let i = 0; i < 50; i++) await api(server, 'POST', path, JSON.parse(bodies[i % bodies.length]!));
        return 50;
      });
    });
    await phase('record visits over HTTP (SQLite)', async () => {
      // A server and a file of their own: the judge office's file (reused between runs with --data) keeps only
      // that office, so the RSS and cold-start rows of later runs measure it alone.
      const writer = await startServer({ dataDir: join(workDir, 'visits-data'), password: PASSWORD, maxWaitMs: 120_000, nodeFlags: serverFlags('visits') });
      try {
        const visits = 'visits';
        await setupWriteProject(writer, visits);
        const floor = sqliteInsertFloor(workDir, SIZES.seconds, 200_000);
        const value = await load({ base: writer.base, token: writer.token, kind: 'visit', paths: [`/api/projects/${visits}/events`], connections: WRITE_CONNECTIONS, seconds: SIZES.seconds, maxRequests: 200_000, phoneBase: 10_000_000 });
        rows.push(loadRow(`record visits over HTTP, SQLite (${WRITE_CONNECTIONS} conns)`, value, floor.rate, 'rows/s (raw durable insert)', TARGETS.sqliteVisitRatio));
        await diagnoseQueries(writer, 'visit (SQLite)', async () => {
          for (let i = 0; i < 30; i++) await api(writer, 'POST', `/api/projects/${visits}/events`, { type: 'visit', customer: { phone: `1360000${String(i).padStart(4, '0')}`, name: `客户${i}` }, says: { firstVisit: true } });
          return 30;
        });
      } finally {
        await writer.stop();
      }
    });
  }
  await s?.stop();
}

// ---- what-if over one year of a busy office ------------------------------------------------------
/** The floor: the same events read from the file and their payloads parsed (the log alone, no engine). */
function readLogFloor(ds: Dataset): { ms: number; events: number } {
  const db = new BetterSqlite3(join(ds.dir, 'guishu.db'), { readonly: true });
  try {
    const t = performance.now();
    let events = 0;
    for (const row of db.prepare('select payload, personal from events where project_id = ? order by seq').iterate(ds.project) as Iterable<{ payload: string; personal: string | null }>) {
      JSON.parse(row.payload);
      if (row.personal) JSON.parse(row.personal);
      events++;
    }
    return { ms: performance.now() - t, events };
  } finally {
    db.close();
  }
}

/** One year of a busy office, ≥ 200,000 events (~170 new customers a day); quick mode: the judge office. */
const whatIfOptions: GenerateOptions = quick ? judgeOptions : { customers: 61_000, days: 365, consultants: 28, seed: SIZES.seed + 7 };
const whatIfData = await phase('data: what-if timeline (one year)', () => dataset(whatIfOptions));
if (whatIfData) {
  await phase('what-if over HTTP', async () => {
    const s = await startServer({ dataDir: whatIfData.dir, password: PASSWORD, maxWaitMs: 120_000, nodeFlags: serverFlags('whatif') });
    try {
      const first = await api(s, 'POST', `/api/projects/${whatIfData.project}/judge`, { customer: { phone: '13800138000' } }, SIZES.maxColdSeconds * 1000);
      if (first.status !== 200) throw new Error(`first judge: ${first.status}`);
      const floor = readLogFloor(whatIfData);
      const times: number[] = [];
      let answer: { customers: unknown[]; deals: unknown[]; rejections: unknown[] } | undefined;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const r = await api(s, 'POST', `/api/projects/${whatIfData.project}/whatif`, { preset: 'sales-dept-first-visit' }, 600_000);
        times.push(performance.now() - t);
        if (r.status !== 200) throw new Error(`what-if: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        answer = r.body as typeof answer;
      }
      const median = [...times].sort((a, b) => a - b)[1]!;
      rows.push({
        figure: `what-if over HTTP, one year of a busy office (${fmtN(floor.events)} events)`, value: fmtMs(median), floor: `${fmtMs(floor.ms)} (read + parse the log)`, ratio: (median / floor.ms).toFixed(1),
        target: `≤ ${fmtN(TARGETS.whatIfMs)} ms`, pass: median <= TARGETS.whatIfMs,
        note: `median of ${times.map(fmtMs).join(', ')}; under sales-dept-first-visit ${answer!.customers.length} customers, ${answer!.deals.length} deals and ${answer!.rejections.length} refusals would change`,
        raw: { times, floor, customers: whatIfData.load?.customers, events: whatIfData.load?.events },
      });
    } finally {
      await s.stop();
    }
  });
}

// ---- a group's offices in one process --------------------------------------------------------------
/**
 * OFFICES offices of the judge office's size (each its own generated timeline) in one data file. A
 * first server touches each once (its log replayed, a checkpoint saved) and stops; the figure is a
 * second server under GUISHU_WARM_PROJECTS=WARM_PROJECTS touching each office twice round: every
 * touch after the first WARM_PROJECTS finds the office evicted and brings it back from its checkpoint.
 */
async function officesDataset(): Promise<{ dir: string; projects: string[]; customers: number; events: number }> {
  const each = quick ? judgeOptions : optionsForEvents(Math.round(SIZES.customers * EVENTS_PER_CUSTOMER), SIZES.seed);
  const key = createHash('sha256').update(JSON.stringify({ each, OFFICES })).digest('hex').slice(0, 12);
  const dir = join(cacheDir, `offices-${key}-sqlite`);
  const doneMark = join(dir, 'loaded.json');
  if (existsSync(doneMark)) {
    log(`reusing ${dir}`);
    return JSON.parse(readFileSync(doneMark, 'utf8')) as { dir: string; projects: string[]; customers: number; events: number };
  }
  rmSync(dir, { recursive: true, force: true });
  const projects: string[] = [];
  let customers = 0;
  let events = 0;
  for (let k = 1; k <= OFFICES; k++) {
    const options = { ...each, seed: SIZES.seed + 100 + k };
    const file = join(cacheDir, `office-${createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 12)}.ndjson`);
    if (!existsSync(`${file}.json`)) {
      const g = await child<GeneratedFile>(['bench/lib/generate-file.ts', JSON.stringify(options), file], SIZES.maxMinutes * 60_000);
      writeFileSync(`${file}.json`, JSON.stringify(g));
    }
    const project = `office-${String(k).padStart(2, '0')}`;
    const loaded = await child<DataLoad>(['bench/lib/load-sqlite.ts', JSON.stringify({ file, dataDir: dir, project, batch: 5000, maxSeconds: SIZES.maxMinutes * 60 })], SIZES.maxMinutes * 60_000);
    rmSync(file, { force: true }); // the file is loaded; the data dir is what later runs reuse
    projects.push(project);
    customers += loaded.customers;
    events += loaded.events;
    log(`office ${k}/${OFFICES}: ${fmtN(loaded.customers)} customers, ${fmtN(loaded.events)} events`);
  }
  const result = { dir, projects, customers, events };
  writeFileSync(doneMark, JSON.stringify(result));
  return result;
}

if (judgeData && OFFICES > 0) {
  const offices = await phase(`data: ${OFFICES} offices`, officesDataset);
  if (offices) {
    await phase(`${OFFICES} offices in one process`, async () => {
      // As docs/operations.md ("Memory") runs a process with a warm-project limit.
      const env = { GUISHU_WARM: 'none', GUISHU_WARM_PROJECTS: String(WARM_PROJECTS), MALLOC_MMAP_THRESHOLD_: '131072' };
      const judge = (s: ServerHandle, project: string) => {
        const t = performance.now();
        return api(s, 'POST', `/api/projects/${project}/judge`, { customer: { phone: '13800138000' } }, SIZES.maxColdSeconds * 1000).then((r) => {
          if (r.status !== 200) throw new Error(`judge ${project}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
          return performance.now() - t;
        });
      };
      // Checkpoints first (what a server that has run for a while has): a project without one comes back by replaying its log.
      const prep = await startServer({ dataDir: offices.dir, password: PASSWORD, maxWaitMs: 120_000, env });
      try {
        for (const p of offices.projects) await judge(prep, p);
      } finally {
        await prep.stop();
      }
      const s = await startServer({ dataDir: offices.dir, password: PASSWORD, maxWaitMs: 120_000, env, nodeFlags: serverFlags('offices') });
      try {
        const firstRound: number[] = [];
        const secondRound: number[] = [];
        for (const p of offices.projects) firstRound.push(await judge(s, p));
        for (const p of offices.projects) secondRound.push(await judge(s, p));
        const rss = rssOf(s.pid);
        const evicted = [...firstRound, ...secondRound].slice(WARM_PROJECTS);
        const worst = Math.max(...evicted);
        const sorted = [...evicted].sort((a, b) => a - b);
        const p50 = sorted[Math.floor(sorted.length / 2)]!;
        const label = `${OFFICES} offices in one process (${fmtN(offices.customers)} customers, ${fmtN(offices.events)} events), GUISHU_WARM_PROJECTS=${WARM_PROJECTS}`;
        rows.push({
          figure: `${label}: RSS after touching each twice`, value: fmtBytes(rss.rss), floor: '—', ratio: '—', target: `≤ ${fmtN(TARGETS.officesRssBytes / 1e6)} MB`, pass: rss.rss <= TARGETS.officesRssBytes,
          note: `peak (VmHWM) ${fmtBytes(rss.hwm)}; MALLOC_MMAP_THRESHOLD_=131072 (docs/operations.md, "Memory")`, raw: { rss, firstRound, secondRound },
        });
        rows.push({
          figure: `${label}: an evicted office's next judge (worst)`, value: fmtMs(worst), floor: '—', ratio: '—', target: `≤ ${fmtN(TARGETS.evictedJudgeMs)} ms`, pass: worst <= TARGETS.evictedJudgeMs,
          note: `${evicted.length} judges of an evicted office (checkpoint restored): p50 ${fmtMs(p50)}`,
        });
      } finally {
        await s.stop();
      }
    });
  }
}

// ---- PostgreSQL: visits over HTTP, 8 projects, 8 connections --------------------------------------
if (!values['no-pg']) {
  const dbName = `guishu_bench_${process.pid}`;
  const admin = postgres(PG_BASE, { max: 1, onnotice: () => {} });
  const url = PG_BASE.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  let created = false;
  try {
    await phase('record visits over HTTP (PostgreSQL)', async () => {
      await admin.unsafe(`create database ${dbName}`);
      created = true;
      const floor = await pgInsertFloor(url, WRITE_CONNECTIONS, SIZES.seconds, 500_000);
      const s = await startServer({ databaseUrl: url, password: PASSWORD, maxWaitMs: 120_000, nodeFlags: values.diagnose ? ['--cpu-prof', `--cpu-prof-dir=${join(workDir, 'prof-pg')}`] : [] });
      try {
        const ids = Array.from({ length: PG_PROJECTS }, (_x, i) => `pg${i + 1}`);
        await Promise.all(ids.map((id) => setupWriteProject(s, id)));
        await load({ base: s.base, token: s.token, kind: 'visit', paths: ids.map((id) => `/api/projects/${id}/events`), connections: WRITE_CONNECTIONS, seconds: 1, maxRequests: 2000, phoneBase: 20_000_000 });
        const value = await load({ base: s.base, token: s.token, kind: 'visit', paths: ids.map((id) => `/api/projects/${id}/events`), connections: WRITE_CONNECTIONS, seconds: SIZES.seconds, maxRequests: 500_000, phoneBase: 30_000_000 });
        rows.push(loadRow(`record visits over HTTP, PostgreSQL (${WRITE_CONNECTIONS} conns, ${PG_PROJECTS} projects)`, value, floor.rate, 'rows/s (raw inserts, 8 conns)', TARGETS.pgVisitRatio));
      } finally {
        await s.stop();
      }
    });
  } finally {
    if (created) await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch((e: Error) => log(`drop database ${dbName}: ${e.message}`));
    await admin.end({ timeout: 5 });
  }
}

// ---- profiles (--diagnose) ------------------------------------------------------------------------
if (values.diagnose) {
  const profiles: Record<string, unknown> = {};
  for (const d of readdirSync(workDir).filter((x) => x.startsWith('prof-'))) {
    for (const f of readdirSync(join(workDir, d)).filter((x) => x.endsWith('.cpuprofile'))) {
      const p = summariseProfile(join(workDir, d, f));
      if (p.seconds < 1) continue;
      profiles[`${d}/${f}`] = { seconds: p.seconds, bySelf: p.bySelf.slice(0, 25), byTotal: p.byTotal.slice(0, 40) };
    }
  }
  info.profiles = profiles;
  const keep = join(ROOT, '.tmp', 'bench-profiles'); // .tmp/ is gitignored
  mkdirSync(keep, { recursive: true });
  for (const d of readdirSync(workDir).filter((x) => x.startsWith('prof-'))) for (const f of readdirSync(join(workDir, d))) writeFileSync(join(keep, `${d}-${f}`), readFileSync(join(workDir, d, f)));
  log(`profiles copied to ${keep}`);
}

// ---------------------------------------------------------------- report
for (const [name, message] of Object.entries(errors)) rows.push({ figure: `${name} (not measured)`, value: 'error', floor: '—', ratio: '—', target: '—', pass: false, note: message });
const lines: string[] = [];
lines.push(`machine: ${m.cpu} · ${m.cores} cores · ${m.totalMemoryGiB} GiB · node ${m.node} · ${m.os}`);
lines.push(`mode:    ${quick ? 'quick' : 'full'} · judge data ${fmtN(judgeData?.load?.customers ?? NaN)} customers / ${fmtN(judgeData?.load?.events ?? NaN)} events · cold-start data ${fmtN(coldData?.load?.events ?? NaN)} events · ${fmtN(SIZES.reports)} reports · load phases ${SIZES.seconds} s · total ${((performance.now() - started) / 1000).toFixed(0)} s`);
lines.push('');
lines.push(table(['figure', 'value', 'floor', 'ratio', 'target', 'result'], rows.map((r) => [r.figure, r.value, r.floor, r.ratio, r.target, r.pass === null ? '' : r.pass ? 'pass' : 'FAIL'])));
lines.push('');
for (const r of rows) if (r.note) lines.push(`- ${r.figure}: ${r.note}`);
if (info.queriesPerRequest) for (const [k, v] of Object.entries(info.queriesPerRequest as Record<string, { statementsPerRequest: number }>)) lines.push(`- SQL statements per ${k} request: ${v.statementsPerRequest.toFixed(2)}`);
console.log(lines.join('\n'));

const outPath = values.out ?? join(here, 'results.json');
writeFileSync(outPath, JSON.stringify({ machine: m, mode: quick ? 'quick' : 'full', sizes: SIZES, targets: TARGETS, startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(), seconds: (performance.now() - started) / 1000, rows, info, errors, pass: rows.every((r) => r.pass !== false) }, null, 2) + '\n');
log(`wrote ${outPath}`);
rmSync(workDir, { recursive: true, force: true }); // with --data, the datasets stay there for the next run
process.exit(0);
