// How long a cache checkpoint (src/app/checkpoint.ts) takes to write and read,
// and how big it is:
//
//   node --max-old-space-size=8192 --expose-gc --import tsx bench/checkpoint-probe.ts [--events 1000000] [--verify]
//
// 1. replays a generated timeline of about N events as the server's cold start
//    does (keepHistory false, checkIds false; the projector computed once from
//    the final state), holding back the last --tail events;
// 2. checkpoints timeline + projector, encodes, decodes and restores, timing each;
// 3. applies the held-back events to both timelines and checks every outcome
//    and the projectors' rows agree; with --verify also that the restored
//    state serializes to the same bytes as the original.
// Node flags such as --max-semi-space-size apply to the whole process: pass
// them on the command line to compare.
import v8 from 'node:v8';
import { parseArgs } from 'node:util';
import { CHECKPOINT_FORMAT, ENGINE_FINGERPRINT, decodeCheckpoint, encodeCheckpoint } from '../src/app/checkpoint.ts';
import { Projector } from '../src/app/projector.ts';
import { Timeline, type TimelineOptions } from '../src/domain/engine/timeline.ts';
import type { EventOf, OfficeEvent } from '../src/domain/events.ts';
import { generateTimeline, optionsForEvents } from '../src/sim/generate.ts';
import { initialPolicy, policyOfEvent } from '../src/domain/policy/wiring.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    tail: { type: 'string', default: '2000' },
    repeat: { type: 'string', default: '1' },
    verify: { type: 'boolean', default: false },
  },
});

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const heap = () => mb(process.memoryUsage().heapUsed);
function time<T>(label: string, fn: () => T): T {
  gc();
  const t0 = performance.now();
  const out = fn();
  console.log(`${label.padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(2).padStart(7)} s   heap ${heap()}`);
  return out;
}

const gen = optionsForEvents(Number(values.events), Number(values.seed));
const tail = Number(values.tail);
const resolveFromEvent = policyOfEvent;
let options: TimelineOptions | undefined;
let a: Timeline | undefined;
const pa = new Projector();
const held: OfficeEvent[] = [];
let seq = 0;
console.log(`node ${process.version}, v8 ${process.versions.v8}; ${JSON.stringify(gen)}; flags ${process.execArgv.join(' ')}`);
time('replay (generate + apply)', () => {
  for (const event of generateTimeline(gen)) {
    if (!a) {
      const genesis = event as EventOf<'policy'>;
      options = { timezone: 'Asia/Shanghai', policy: initialPolicy(genesis.preset, genesis.set), keepHistory: false, checkIds: false, resolvePolicy: resolveFromEvent };
      a = new Timeline(options);
      pa.genesis(genesis, ++seq);
      continue;
    }
    held.push(event);
    if (held.length <= tail) continue;
    const e = held.shift()!;
    const outcome = a.apply(e);
    ++seq;
    if (e.type === 'policy' && outcome.accepted) pa.policyVersionAt(e, seq);
  }
});
const timeline = a!;
time('projector.recomputeAll', () => pa.recomputeAll(timeline.state, timeline.rejections, seq));
const s = timeline.state;
console.log(`state: ${seq} events applied, ${s.customers.size} customers, ${s.reports.size} reports, ${s.deals.size} deals, ${timeline.rejections.size} rejections, maskIndexed ${s.maskIndexed}`);

let buf: Buffer | undefined;
for (let r = 0; r < Number(values.repeat); r++) {
  buf = time('checkpoint + encode', () =>
    encodeCheckpoint({ format: CHECKPOINT_FORMAT, fingerprint: ENGINE_FINGERPRINT, seq, hash: 'probe', timeline: timeline.checkpoint(), projector: pa.checkpoint(), extra: null }),
  );
}
console.log(`encoded: ${mb(buf!.length)}`);
const tlBytes = v8.serialize(timeline.checkpoint()).length;
const pjBytes = v8.serialize(pa.checkpoint()).length;
console.log(`  of which timeline ${mb(tlBytes)}, projector ${mb(pjBytes)}`);
const noIndex = v8.serialize({ ...timeline.checkpoint(), state: { ...s, customersByKey: new Map(), reportsByKey: new Map() } }).length;
console.log(`  timeline without customersByKey/reportsByKey: ${mb(noIndex)}`);

let restored: { timeline: Timeline; projector: Projector } | undefined;
for (let r = 0; r < Number(values.repeat); r++) {
  restored = undefined;
  const cp = time('decode', () => decodeCheckpoint(buf!, { fingerprint: ENGINE_FINGERPRINT }));
  restored = time('restore (timeline + projector)', () => ({ timeline: Timeline.restore(options!, cp.timeline), projector: Projector.restore(cp.projector) }));
}
buf = undefined;
const b = restored!.timeline;
const pb = restored!.projector;

if (values.verify) {
  const diff = time('verify: compare the object graphs', () => graphDiff(timeline.state, b.state));
  console.log(`  restored state is the same object graph: ${diff ?? 'yes'}`);
  if (diff) process.exitCode = 1;
}
let differ = 0;
time(`apply the last ${held.length} events to both`, () => {
  for (const e of held) {
    ++seq;
    const oa = timeline.apply(e);
    const ob = b.apply(e);
    pa.step(timeline.state, e, oa, timeline.rejections, seq);
    pb.step(b.state, e, ob, b.rejections, seq);
    const ja = oa.accepted ? JSON.stringify(oa.changes, (_k, v: unknown) => (v instanceof Map ? [...v] : v)) : oa.rejection.code;
    const jb = ob.accepted ? JSON.stringify(ob.changes, (_k, v: unknown) => (v instanceof Map ? [...v] : v)) : ob.rejection.code;
    if (ja !== jb) differ++;
  }
});
const rowsSame = JSON.stringify(pa.rows()) === JSON.stringify(pb.rows());
console.log(`outcomes that differ: ${differ}; projector rows identical: ${rowsSame}`);
if (differ || !rowsSame) process.exitCode = 1;

/**
 * Where two object graphs differ (undefined when they do not): the same
 * kinds (plain object, array, Map), keys in the same order, primitives
 * Object.is-equal, and the same sharing — an object reached twice in one is
 * reached twice, as one object, in the other.
 */
function graphDiff(x: unknown, y: unknown): string | undefined {
  const pair = new Map<object, object>();
  const back = new Map<object, object>();
  const stack: [unknown, unknown, string][] = [[x, y, '$']];
  while (stack.length) {
    const [p, q, path] = stack.pop()!;
    if (typeof p !== 'object' || p === null || typeof q !== 'object' || q === null) {
      if (!Object.is(p, q)) return `${path}: ${String(p)} vs ${String(q)}`;
      continue;
    }
    const seen = pair.get(p);
    if (seen !== undefined || back.has(q)) {
      if (seen !== q) return `${path}: sharing differs`;
      continue;
    }
    pair.set(p, q);
    back.set(q, p);
    if (Object.getPrototypeOf(p) !== Object.getPrototypeOf(q)) return `${path}: kinds differ`;
    if (p instanceof Map) {
      const qm = q as Map<unknown, unknown>;
      if (p.size !== qm.size) return `${path}: map sizes ${p.size} vs ${qm.size}`;
      const qe = [...qm];
      let i = 0;
      for (const [k, v] of p) {
        const [qk, qv] = qe[i++]!;
        if (!Object.is(k, qk) && (typeof k !== 'object' || typeof qk !== 'object')) return `${path}: map key ${String(k)} vs ${String(qk)}`;
        if (typeof k === 'object') stack.push([k, qk, `${path}.key`]);
        stack.push([v, qv, `${path}[${String(k)}]`]);
      }
      continue;
    }
    const pk = Reflect.ownKeys(p);
    const qk = Reflect.ownKeys(q);
    if (pk.length !== qk.length || pk.some((k, i) => k !== qk[i])) return `${path}: keys ${pk.join()} vs ${qk.join()}`;
    for (const k of pk) stack.push([(p as Record<string | symbol, unknown>)[k], (q as Record<string | symbol, unknown>)[k], `${path}.${String(k)}`]);
  }
  return undefined;
}
