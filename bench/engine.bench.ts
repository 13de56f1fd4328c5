// The engine benchmark: `node --import tsx bench/engine.bench.ts [--events N]`.
//
// 1. generate a timeline of about N events to a temporary NDJSON file (streamed,
//    in a child process so that its memory stays out of the replay's figures);
// 2. floor: read + decode every line (trusted), without applying it (and, for reference,
//    read + JSON.parse alone);
// 3. replay: read + decode the same way and apply each event through the engine, with the
//    server's cold-start Timeline options (`--mode server`, the default: no history, no id
//    check, as timelineOptions in src/app/replay.ts) or those of a correction's replay
//    (`--mode history`: keepHistory 'events');
// 4. judge: 100,000 `judgeArrival` queries against known and unknown phones;
// 5. memory: peak RSS sampled in the loops, and the process's maxRSS.
// Prints a table and writes bench/engine-results.json. Every loop is bounded
// by a count and by time (--max-seconds per phase).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { OfficeEvent, Says } from '../src/domain/events.ts';
import { decodeWireEvent } from '../src/domain/wire.ts';
import { PHONE_PREFIXES, optionsForEvents } from '../src/sim/generate.ts';
import { Random } from '../src/sim/random.ts';
import { type EngineAdapter, type ReplayMode, createEngine } from './lib/engine-adapter.ts';
import { type GeneratedFile } from './lib/generate-file.ts';
import { forEachLine } from './lib/lines.ts';
import { GiB, RssSampler, fmtBytes, fmtRate, machine, maxRss, quantile, table } from './lib/measure.ts';

const TARGETS = { replayRate: 500_000, replayToFloor: 0.3, judgeP99Micros: 50, peakRssBytes: GiB } as const;
const SAMPLE_EVERY = 1 << 14;
const KNOWN_PHONES = 20_000;
const WARMUP_QUERIES = 2_000;

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    judge: { type: 'string', default: '100000' },
    'max-seconds': { type: 'string', default: '600' },
    file: { type: 'string' },
    keep: { type: 'boolean', default: false },
    out: { type: 'string' },
    // server: the cold start's Timeline options (no history, no id check); history: a correction's replay (keepHistory 'events').
    mode: { type: 'string', default: 'server' },
  },
});

function whole(name: string, text: string | undefined, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${text}`);
  return n;
}

const targetEvents = whole('events', values.events, 1);
const seed = whole('seed', values.seed, 0);
const judgeQueries = whole('judge', values.judge, 1);
const maxMs = whole('max-seconds', values['max-seconds'], 1) * 1000;
if (values.mode !== 'server' && values.mode !== 'history') throw new Error(`--mode must be server or history, got ${values.mode}`);
const mode: ReplayMode = values.mode;
const here = dirname(fileURLToPath(import.meta.url));
const outPath = values.out ?? join(here, 'engine-results.json');
const rss = new RssSampler();

// ---- 1. generate --------------------------------------------------------------------------------

const options = optionsForEvents(targetEvents, seed);
const workDir = values.file ? undefined : mkdtempSync(join(tmpdir(), 'guishu-bench-'));
const file = values.file ?? join(workDir!, 'timeline.ndjson');
let generation: GeneratedFile | undefined;
if (!values.file) {
  process.stderr.write(`generating ~${targetEvents.toLocaleString('en-US')} events (${options.customers} customers, ${options.days} days, ${options.consultants} consultants) → ${file}\n`);
  // In a child process: the generator's memory must not count towards the replay's peak RSS.
  const child = spawnSync(process.execPath, [...process.execArgv, join(here, 'lib', 'generate-file.ts'), JSON.stringify(options), file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: maxMs,
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`generating the timeline failed (exit ${child.status ?? child.signal}): ${child.error?.message ?? ''}`);
  generation = JSON.parse(child.stdout) as GeneratedFile;
}
const rssAtStart = rss.sample();

// ---- 2. floor: read + decode --------------------------------------------------------------------

function timed<T>(run: () => T): { result: T; seconds: number } {
  const started = performance.now();
  const result = run();
  return { result, seconds: (performance.now() - started) / 1000 };
}

// For reference: read + JSON.parse alone (no instants converted), the least any decode can cost.
process.stderr.write('reference: read + JSON.parse …\n');
let checksum = 0;
const parseOnly = timed(() => {
  const deadline = performance.now() + maxMs;
  let truncated = false;
  const lines = forEachLine(file, (line, n) => {
    const raw = JSON.parse(line) as { type: string };
    checksum = (checksum + raw.type.length) % 1_000_000_007;
    if (n % SAMPLE_EVERY === 0 && performance.now() > deadline) return (truncated = true) && false;
    return true;
  });
  return { lines, truncated };
});
const parseOnlyRate = parseOnly.result.lines / parseOnly.seconds;

// The floor is the decode the replay needs: read + JSON.parse + instants to epoch ms. No schema
// validation: the server's cold start replays its own log without re-validating it (fromStored).
process.stderr.write('floor: read + decode …\n');
const floor = timed(() => {
  const deadline = performance.now() + maxMs;
  let truncated = false;
  const lines = forEachLine(file, (line, n) => {
    const event = decodeWireEvent(line, n, true);
    checksum = (checksum + event.at + event.type.length) % 1_000_000_007;
    if (n % SAMPLE_EVERY === 0) {
      rss.sample();
      if (performance.now() > deadline) return (truncated = true) && false;
    }
    return true;
  });
  return { lines, truncated };
});
const floorRate = floor.result.lines / floor.seconds;

// ---- 3. replay: read + decode + apply -----------------------------------------------------------

process.stderr.write('replay: read + decode + apply …\n');
const rssBeforeReplay = rss.sample();
const engine: EngineAdapter = createEngine(options.timezone ?? 'Asia/Shanghai', options.preset ?? 'standard', mode);
const rejections = new Map<string, number>();
const errors: { line: number; id: string; type: string; message: string }[] = [];
let errorCount = 0;
let lastAt = 0;
const known: string[] = [];
const pick = new Random(seed ^ 0x5eed);
let visits = 0;
const replayPeak = new RssSampler();
const replay = timed(() => {
  const deadline = performance.now() + maxMs;
  let truncated = false;
  const lines = forEachLine(file, (line, n) => {
    const event: OfficeEvent = decodeWireEvent(line, n, true);
    try {
      const outcome = engine.apply(event);
      if (!outcome.accepted) rejections.set(outcome.code ?? '?', (rejections.get(outcome.code ?? '?') ?? 0) + 1);
    } catch (e) {
      errorCount++;
      if (errors.length < 10) errors.push({ line: n, id: event.id, type: event.type, message: (e as Error).message.slice(0, 300) });
    }
    lastAt = event.at;
    if (event.type === 'visit') {
      // Reservoir sample of registered phones for the judge queries.
      visits++;
      if (known.length < KNOWN_PHONES) known.push(event.customer.phone);
      else {
        const slot = Math.floor(pick.next() * visits);
        if (slot < KNOWN_PHONES) known[slot] = event.customer.phone;
      }
    }
    if (n % SAMPLE_EVERY === 0) {
      replayPeak.sample();
      if (performance.now() > deadline) return (truncated = true) && false;
    }
    return true;
  });
  return { lines, truncated };
});
rss.peak = Math.max(rss.peak, replayPeak.sample());
const replayRate = replay.result.lines / replay.seconds;

// ---- 4. judge latency ---------------------------------------------------------------------------

process.stderr.write(`judge: ${judgeQueries.toLocaleString('en-US')} queries …\n`);
const unknownPhone = () => pick.pick(PHONE_PREFIXES) + String(pick.int(0, 99_999_999)).padStart(8, '0');
const at = lastAt + 60_000;
const returning: Says = { firstVisit: false };
const fresh: Says = { firstVisit: true };
const latencies = new Float64Array(judgeQueries);
let judged = 0;
let judgeErrors = 0;
let judgeTruncated = false;
const judgeStarted = performance.now();
{
  const deadline = judgeStarted + maxMs;
  for (let i = -WARMUP_QUERIES; i < judgeQueries; i++) {
    const isKnown = known.length > 0 && (i & 1) === 0;
    const phone = isKnown ? known[Math.floor(pick.next() * known.length)]! : unknownPhone();
    const says = isKnown ? returning : fresh;
    const t0 = process.hrtime.bigint();
    try {
      const r = engine.judge(phone, at, says);
      if (r === undefined) checksum++;
    } catch {
      judgeErrors++;
    }
    const dt = Number(process.hrtime.bigint() - t0) / 1000;
    if (i >= 0) latencies[judged++] = dt;
    if ((i & 1023) === 0) {
      rss.sample();
      if (performance.now() > deadline) {
        judgeTruncated = true;
        break;
      }
    }
  }
}
const judgeSeconds = (performance.now() - judgeStarted) / 1000;
const sorted = latencies.subarray(0, judged).sort();
const p50 = quantile(sorted, 0.5);
const p99 = quantile(sorted, 0.99);
const pMax = sorted.length ? sorted[sorted.length - 1]! : Number.NaN;

// ---- 5. report ----------------------------------------------------------------------------------

const peakSampled = Math.max(rss.peak, rss.sample());
const peakProcess = maxRss();
const complete = !floor.result.truncated && !replay.result.truncated && !judgeTruncated;

interface Check {
  figure: string;
  value: number;
  unit: string;
  shown: string;
  target?: string;
  pass?: boolean;
  ratioToFloor?: number;
}
const checks: Check[] = [];
if (generation) checks.push({ figure: 'generate (writeTimeline → file, child)', value: generation.rate, unit: 'events/s', shown: fmtRate(generation.rate), ratioToFloor: generation.rate / floorRate });
checks.push({ figure: 'reference: read + JSON.parse only', value: parseOnlyRate, unit: 'events/s', shown: fmtRate(parseOnlyRate), ratioToFloor: parseOnlyRate / floorRate });
checks.push({ figure: 'floor: read + decode', value: floorRate, unit: 'events/s', shown: fmtRate(floorRate), ratioToFloor: 1 });
checks.push({
  figure: 'replay: read + decode + apply',
  value: replayRate,
  unit: 'events/s',
  shown: fmtRate(replayRate),
  target: `≥ ${fmtRate(TARGETS.replayRate)}`,
  pass: replayRate >= TARGETS.replayRate && !replay.result.truncated,
  ratioToFloor: replayRate / floorRate,
});
checks.push({
  figure: 'replay ÷ floor',
  value: replayRate / floorRate,
  unit: 'ratio',
  shown: (replayRate / floorRate).toFixed(3),
  target: `≥ ${TARGETS.replayToFloor}`,
  pass: replayRate / floorRate >= TARGETS.replayToFloor,
});
checks.push({ figure: 'judge p50', value: p50, unit: 'µs', shown: `${p50.toFixed(1)} µs` });
checks.push({ figure: 'judge p99', value: p99, unit: 'µs', shown: `${p99.toFixed(1)} µs`, target: `≤ ${TARGETS.judgeP99Micros} µs`, pass: p99 <= TARGETS.judgeP99Micros && judgeErrors === 0 });
checks.push({ figure: 'judge max', value: pMax, unit: 'µs', shown: `${pMax.toFixed(1)} µs` });
checks.push({ figure: 'peak RSS (sampled)', value: peakSampled, unit: 'bytes', shown: fmtBytes(peakSampled), target: `≤ ${fmtBytes(TARGETS.peakRssBytes)}`, pass: peakSampled <= TARGETS.peakRssBytes });
if (generation) checks.push({ figure: 'generator peak RSS (child, info)', value: generation.maxRss, unit: 'bytes', shown: fmtBytes(generation.maxRss) });
checks.push({ figure: 'peak RSS (maxRSS, whole process)', value: peakProcess, unit: 'bytes', shown: fmtBytes(peakProcess), target: `≤ ${fmtBytes(TARGETS.peakRssBytes)}`, pass: peakProcess <= TARGETS.peakRssBytes });

const m = machine();
const out: string[] = [];
out.push(`machine: ${m.cpu} · ${m.cores} cores · ${m.totalMemoryGiB} GiB · node ${m.node} · ${m.os}`);
out.push(`engine:  ${engine.name}`);
out.push(
  `events:  ${replay.result.lines.toLocaleString('en-US')} replayed of ${floor.result.lines.toLocaleString('en-US')}` +
    (generation ? ` (${fmtBytes(generation.bytes)} NDJSON, generated in ${generation.seconds.toFixed(1)} s)` : ''),
);
out.push('');
out.push(
  table(
    ['figure', 'value', 'target', 'result', '× floor'],
    checks.map((c) => [c.figure, c.shown, c.target ?? '', c.pass === undefined ? '' : c.pass ? 'pass' : 'FAIL', c.ratioToFloor === undefined ? '' : c.ratioToFloor.toFixed(3)]),
  ),
);
const rejected = [...rejections.values()].reduce((s, n) => s + n, 0);
out.push('');
out.push(
  `rejected by the rules: ${rejected.toLocaleString('en-US')} (${((100 * rejected) / Math.max(1, replay.result.lines)).toFixed(2)}%)` +
    (rejected ? ': ' + [...rejections].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ') : ''),
);
if (errorCount) out.push(`engine errors (thrown, not rejections): ${errorCount}; first: ${errors[0]!.type} ${errors[0]!.id}: ${errors[0]!.message}`);
if (judgeErrors) out.push(`judge errors: ${judgeErrors}`);
if (!complete) out.push(`INCOMPLETE: a phase hit --max-seconds (${maxMs / 1000} s)`);
console.log(out.join('\n'));

writeFileSync(
  outPath,
  JSON.stringify(
    {
      machine: m,
      engine: engine.name,
      generator: { ...options, target: targetEvents },
      file: values.file ?? null,
      complete,
      generation: generation ?? null,
      mode,
      parseOnly: { events: parseOnly.result.lines, seconds: parseOnly.seconds, rate: parseOnlyRate, truncated: parseOnly.result.truncated },
      floor: { events: floor.result.lines, seconds: floor.seconds, rate: floorRate, truncated: floor.result.truncated },
      replay: {
        events: replay.result.lines,
        seconds: replay.seconds,
        rate: replayRate,
        ratioToFloor: replayRate / floorRate,
        truncated: replay.result.truncated,
        rejections: Object.fromEntries([...rejections].sort((a, b) => b[1] - a[1])),
        errors: { count: errorCount, first: errors },
      },
      judge: { queries: judged, seconds: judgeSeconds, knownPhones: known.length, p50Micros: p50, p99Micros: p99, maxMicros: pMax, errors: judgeErrors, truncated: judgeTruncated },
      memory: { generatorMaxRss: generation?.maxRss ?? null, rssAtStart, rssBeforeReplay, peakRssSampled: peakSampled, peakRssDuringReplay: replayPeak.peak, maxRss: peakProcess },
      checks: checks.map(({ figure, value, unit, target, pass, ratioToFloor }) => ({ figure, value, unit, target: target ?? null, pass: pass ?? null, ratioToFloor: ratioToFloor ?? null })),
      pass: checks.every((c) => c.pass !== false),
      checksum,
    },
    null,
    2,
  ) + '\n',
);
process.stderr.write(`wrote ${outPath}\n`);
if (workDir && !values.keep) rmSync(workDir, { recursive: true, force: true });
else if (workDir) process.stderr.write(`kept ${file}\n`);
