// What a projector that keeps only digests of its rows (`new Projector({ keepRows: false })`,
// src/app/projector.ts) saves against one that keeps the rows' JSON:
//
//   node --max-old-space-size=8192 --expose-gc --import tsx bench/projector-probe.ts [--events 180000]
//
// Replays a generated timeline (keepHistory false, checkIds false, as the
// server does) and steps both projectors on every event, timing each step,
// checking their row changes agree; then reports the heap each holds, the size
// of v8.serialize of each checkpoint and the time to serialize, deserialize
// and restore it.
import v8 from 'node:v8';
import { parseArgs } from 'node:util';
import { Projector } from '../src/app/projector.ts';
import { Timeline, type TimelineOptions } from '../src/domain/engine/timeline.ts';
import type { EventOf } from '../src/domain/events.ts';
import { generateTimeline, optionsForEvents } from '../src/sim/generate.ts';
import { initialPolicy, policyOfEvent } from '../src/domain/policy/wiring.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '180000' },
    seed: { type: 'string', default: '1' },
    compare: { type: 'boolean', default: true },
  },
});

const gcFn = (globalThis as { gc?: () => void }).gc;
if (!gcFn) throw new Error('run with --expose-gc');
const gc = () => {
  gcFn();
  gcFn();
};
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const heapUsed = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const gen = optionsForEvents(Number(values.events), Number(values.seed));
const resolveFromEvent = policyOfEvent;
console.log(`node ${process.version}; ${JSON.stringify(gen)}; flags ${process.execArgv.join(' ')}`);

interface Replayed {
  timeline: Timeline;
  seq: number;
  held: { kept: Projector | null; digest: Projector | null };
}

/** In a function of its own, so that no stale register of a long-running frame keeps a projector alive when the heap is measured. */
function replay(): Replayed {
  let timeline: Timeline | undefined;
  const kept = new Projector();
  const digest = new Projector({ keepRows: false });
  let seq = 0;
  // [kept, digest] time of incremental and full steps (a full step recomputes every row: corrections, staff changes, departures, policies)
  const time = { inc: [0, 0], full: [0, 0] };
  let fullSteps = 0;
  let differ = 0;
  const t0 = performance.now();
  for (const event of generateTimeline(gen)) {
    ++seq;
    if (!timeline) {
      const genesis = event as EventOf<'policy'>;
      const options: TimelineOptions = { timezone: 'Asia/Shanghai', policy: initialPolicy(genesis.preset, genesis.set), keepHistory: false, checkIds: false, resolvePolicy: resolveFromEvent };
      timeline = new Timeline(options);
      kept.genesis(genesis, seq);
      digest.genesis(genesis, seq);
      continue;
    }
    const outcome = timeline.apply(event);
    const full = outcome.accepted && (event.type === 'correction' || outcome.changes.some((c) => c.kind === 'left' || c.kind === 'staff' || c.kind === 'policy'));
    if (full) fullSteps++;
    const bucket = full ? time.full : time.inc;
    // Alternate which goes first, so neither always runs on a cold cache.
    const order = seq & 1 ? [kept, digest] : [digest, kept];
    const out = order.map((p) => {
      const s0 = performance.now();
      const rows = p.step(timeline!.state, event, outcome, timeline!.rejections, seq);
      bucket[p === kept ? 0 : 1]! += performance.now() - s0;
      return rows;
    });
    if (values.compare && JSON.stringify(out[0]) !== JSON.stringify(out[1])) differ++;
  }
  const total = performance.now() - t0;
  const s = timeline!.state;
  console.log(`replayed ${seq} events in ${(total / 1000).toFixed(1)} s: ${s.customers.size} customers, ${s.reports.size} reports, ${s.deals.size} deals, ${fullSteps} full steps; row changes that differ: ${differ}`);
  if (differ) process.exitCode = 1;
  const fmt = (ms: number, n: number) => `${(ms / 1000).toFixed(2)} s (${((ms * 1000) / n).toFixed(1)} µs/step)`;
  const inc = seq - 1 - fullSteps;
  console.log(`step time, incremental (${inc})   keepRows true ${fmt(time.inc[0]!, inc)}   keepRows false ${fmt(time.inc[1]!, inc)}`);
  console.log(`step time, full (${fullSteps})         keepRows true ${fmt(time.full[0]!, fullSteps)}   keepRows false ${fmt(time.full[1]!, fullSteps)}`);
  const all = (i: number) => time.inc[i]! + time.full[i]!;
  console.log(`step time, all                keepRows true ${fmt(all(0), seq - 1)}   keepRows false ${fmt(all(1), seq - 1)}`);
  return { timeline: timeline!, seq, held: { kept, digest } };
}

/** Both checkpoints serialized first (a Buffer's bytes are off the V8 heap), then each projector dropped in turn: what it held is what the heap lost. */
function measure(r: Replayed): void {
  const bufs = (['kept', 'digest'] as const).map((which) => {
    const t = performance.now();
    const buf = v8.serialize(r.held[which]!.checkpoint());
    return { buf, serialize: performance.now() - t };
  });
  const both = heapUsed();
  r.held.kept = null;
  const withDigest = heapUsed();
  r.held.digest = null;
  const neither = heapUsed();
  console.log(`heap       keepRows true ${mb(both - withDigest)}   keepRows false ${mb(withDigest - neither)}   (the rest: ${mb(neither)})`);
  for (const { buf, serialize } of bufs) {
    gc();
    let t = performance.now();
    const cp = v8.deserialize(buf) as ReturnType<Projector['checkpoint']>;
    const de = performance.now() - t;
    t = performance.now();
    const p = Projector.restore(cp);
    const re = performance.now() - t;
    const label = `keepRows ${String(p.keepsRows)}`;
    console.log(`checkpoint ${label.padEnd(14)} ${mb(buf.length).padStart(9)}   serialize ${serialize.toFixed(0).padStart(5)} ms   deserialize ${de.toFixed(0).padStart(5)} ms   restore ${re.toFixed(1)} ms`);
  }
}

measure(replay());
