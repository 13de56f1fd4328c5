// Cache checkpoints (src/app/checkpoint.ts): a timeline and projector cut at
// any event, checkpointed, encoded, decoded and restored, go on exactly as the
// originals do — every outcome, every row change, the final state.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { build } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { engineDefines, engineFingerprint, engineSourceDigest, engineSourceFiles } from '../../scripts/engine-fingerprint.mjs';
import {
  CHECKPOINT_FORMAT,
  type CacheCheckpoint,
  CheckpointError,
  ENGINE_FINGERPRINT,
  ENGINE_FINGERPRINT_SOURCE,
  decodeCheckpoint,
  decodeCheckpointParts,
  encodeCheckpoint,
  encodeCheckpointParts,
  readCheckpointHeader,
} from '../../src/app/checkpoint.ts';
import { LazyCustomers } from '../../src/app/lazy-customers.ts';
import type * as CheckpointModule from '../../src/app/checkpoint.ts';
import { Projector, type RowChange } from '../../src/app/projector.ts';
import { type Outcome, Timeline, type TimelineOptions } from '../../src/domain/engine/timeline.ts';
import type { EventOf, OfficeEvent } from '../../src/domain/events.ts';
import { PRESETS } from '../../src/domain/policy/index.ts';
import { Rejected } from '../../src/domain/rejection.ts';
import { type GenerateOptions, generateTimeline } from '../../src/sim/generate.ts';
import { type Injection, eventsWithInjections } from './injections.ts';
import { TZ, correction, snapshot } from '../builders.ts';
import { initialPolicy, policyOfEvent } from '../../src/domain/policy/wiring.ts';

const SLOW = { timeout: 60_000 };
const root = fileURLToPath(new URL('../..', import.meta.url));

const resolveFromEvent = policyOfEvent;

function options(genesis: EventOf<'policy'>, o: Partial<TimelineOptions>): TimelineOptions {
  return { timezone: TZ, policy: initialPolicy(genesis.preset, genesis.set), resolvePolicy: resolveFromEvent, ...o };
}

/** JSON that keeps what matters here: Map entries in their order, object keys in their order, ±Infinity, undefined-valued keys. */
function exact(v: unknown): string {
  return JSON.stringify(v, function (_k, x: unknown) {
    if (x instanceof Map) return { $map: [...x] };
    if (x instanceof Rejected) return { $rejected: { code: x.code, field: x.field, messageZh: x.messageZh, messageEn: x.messageEn, message: x.message, name: x.name } };
    if (typeof x === 'number' && !Number.isFinite(x)) return `$${x}`;
    if (x === undefined) return '$undefined';
    return x;
  });
}

const outcomeJson = (o: Outcome) => exact(o);
const rejectionsJson = (t: Timeline) => exact([...t.rejections]);

/** A timeline and its projector, stepped as the server does (src/app/office.ts): the first event is the genesis policy. */
class Replay {
  timeline!: Timeline;
  projector = new Projector();
  seq = 0;
  /** The row changes of every step. */
  rows: string[] = [];
  outcomes: string[] = [];

  constructor(private readonly timelineOptions: Partial<TimelineOptions>) {}

  static from(timeline: Timeline, projector: Projector, seq: number): Replay {
    const r = new Replay({});
    r.timeline = timeline;
    r.projector = projector;
    r.seq = seq;
    return r;
  }

  apply(event: OfficeEvent): Outcome | undefined {
    const seq = ++this.seq;
    if (seq === 1) {
      const genesis = event as EventOf<'policy'>;
      this.timeline = new Timeline(options(genesis, this.timelineOptions));
      this.rows.push(exact(this.projector.genesis(genesis, seq)));
      return undefined;
    }
    const outcome = this.timeline.apply(event);
    const changes: RowChange[] = this.projector.step(this.timeline.state, event, outcome, this.timeline.rejections, seq);
    this.outcomes.push(outcomeJson(outcome));
    this.rows.push(exact(changes));
    return outcome;
  }

  checkpoint(): Buffer {
    return encodeCheckpoint({ format: CHECKPOINT_FORMAT, fingerprint: ENGINE_FINGERPRINT, seq: this.seq, hash: `hash-${this.seq}`, timeline: this.timeline.checkpoint(), projector: this.projector.checkpoint(), extra: { note: 'extra' } });
  }

  static restore(buf: Buffer, timelineOptions: Partial<TimelineOptions>, genesis: EventOf<'policy'>): Replay {
    const cp = decodeCheckpoint<{ note: string }>(buf, { fingerprint: ENGINE_FINGERPRINT });
    expect(cp.extra).toEqual({ note: 'extra' });
    expect(cp.hash).toBe(`hash-${cp.seq}`);
    return Replay.from(Timeline.restore(options(genesis, timelineOptions), cp.timeline), Projector.restore(cp.projector), cp.seq);
  }
}

/** Asserts the two replays are in the same place: state (canonical and in order), rejections, projector rows. */
function expectSame(a: Replay, b: Replay): void {
  expect(b.seq).toBe(a.seq);
  expect(snapshot(b.timeline.state)).toBe(snapshot(a.timeline.state));
  expect(exact(b.timeline.state)).toBe(exact(a.timeline.state));
  expect(rejectionsJson(b.timeline)).toBe(rejectionsJson(a.timeline));
  expect(exact(b.projector.rows())).toBe(exact(a.projector.rows()));
}

/** Replays `events` to `cut` on A, checkpoints it through the codec into B, then both take the rest: identical at every step. */
function cutAndCompare(events: readonly OfficeEvent[], cut: number, aOptions: Partial<TimelineOptions>, bOptions: Partial<TimelineOptions>): { a: Replay; b: Replay } {
  const a = new Replay(aOptions);
  for (const e of events.slice(0, cut)) a.apply(e);
  const b = Replay.restore(a.checkpoint(), bOptions, events[0] as EventOf<'policy'>);
  expectSame(a, b);
  for (const e of events.slice(cut)) {
    a.apply(e);
    b.apply(e);
    expect(b.outcomes.at(-1), `outcome of ${e.type} ${e.id}`).toBe(a.outcomes.at(-1));
    expect(b.rows.at(-1), `row changes of ${e.type} ${e.id}`).toBe(a.rows.at(-1));
  }
  expectSame(a, b);
  return { a, b };
}

const office = fc.record({
  customers: fc.integer({ min: 150, max: 900 }),
  days: fc.integer({ min: 3, max: 9 }),
  consultants: fc.integer({ min: 3, max: 8 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  preset: fc.constantFrom(...PRESETS.keys()),
}) satisfies fc.Arbitrary<GenerateOptions>;
const injections = fc.array(
  fc.tuple(fc.double({ min: 0.02, max: 1, noNaN: true }), fc.constantFrom<Injection>('invalid-phone', 'unknown-staff', 'duplicate-report', 'unit-taken', 'correction', 'ruling')),
  { minLength: 0, maxLength: 8 },
);
const where = fc.double({ min: 0, max: 1, noNaN: true });
/** The server's replay options (src/app/office.ts) on the original; the restored one keeps no history. */
const SERVER = { keepHistory: 'events', checkIds: false } as const;
const RESTORED = { keepHistory: false, checkIds: false } as const;

describe('a restored timeline and projector go on exactly as the originals', () => {
  it('generated offices, cut anywhere, no injections', SLOW, () => {
    fc.assert(
      fc.property(office, where, (gen, w) => {
        const events = [...generateTimeline(gen)];
        const cut = 1 + Math.floor(w * (events.length - 1));
        cutAndCompare(events, cut, SERVER, RESTORED);
      }),
      { numRuns: 5, examples: [[{ customers: 600, days: 6, consultants: 5, seed: 42, preset: 'standard' }, 0.6]] },
    );
  });

  it('with refusals, corrections and rulings before and after the cut', SLOW, () => {
    fc.assert(
      fc.property(office, injections, where, (gen, inject, w) => {
        const events = eventsWithInjections(gen, inject);
        // A correction after the cut needs the history the restored timeline lacks (the next test): cut after the last one.
        const lastCorrection = events.findLastIndex((e) => e.type === 'correction');
        const cut = Math.max(lastCorrection + 1, 1 + Math.floor(w * (events.length - 1)));
        const { a } = cutAndCompare(events, cut, SERVER, RESTORED);
        const refused = [...a.timeline.rejections.keys()].filter((id) => id.startsWith('inj')).length;
        if (inject.some(([, k]) => k === 'invalid-phone' || k === 'unknown-staff')) expect(refused).toBeGreaterThan(0);
      }),
      {
        numRuns: 5,
        examples: [
          [{ customers: 500, days: 6, consultants: 5, seed: 7, preset: 'standard' }, [[0.2, 'correction'], [0.3, 'invalid-phone'], [0.4, 'duplicate-report'], [0.5, 'unit-taken'], [0.55, 'ruling'], [0.6, 'correction'], [0.8, 'unknown-staff'], [0.9, 'ruling']], 0.7],
          [{ customers: 400, days: 5, consultants: 4, seed: 11, preset: 'channel-sms-report' }, [[0.3, 'correction'], [0.5, 'duplicate-report'], [0.7, 'invalid-phone']], 0.5],
        ],
      },
    );
  });

  it('a checkpoint carries the corrections: an event repeating a corrected id (no id check) is corrected on both', SLOW, () => {
    const events = eventsWithInjections({ customers: 400, days: 5, consultants: 4, seed: 3, preset: 'standard' }, [[0.3, 'correction']]);
    const fix = events.find((e): e is EventOf<'correction'> => e.type === 'correction')!;
    const original = events.find((e) => e.id === fix.of)!;
    const a = new Replay(SERVER);
    for (const e of events) a.apply(e);
    expect(a.outcomes.at(events.indexOf(fix) - 1)).toContain('"accepted":true');
    const cp = a.timeline.checkpoint();
    expect(cp.corrections).toEqual([[fix.of, fix.set]]);
    const b = Replay.restore(a.checkpoint(), RESTORED, events[0] as EventOf<'policy'>);
    const again = { ...original, at: events.at(-1)!.at + 60_000 } as OfficeEvent;
    a.apply(again);
    b.apply(again);
    expect(b.outcomes.at(-1)).toBe(a.outcomes.at(-1));
    expect(a.outcomes.at(-1)).toContain(`更正1`);
    expectSame(a, b);
  });

  it('a correction after the restore is refused (unknown-event, state unchanged): the restored timeline has no history; the original replays it', SLOW, () => {
    const events = eventsWithInjections({ customers: 500, days: 6, consultants: 5, seed: 5, preset: 'standard' }, []);
    const cut = Math.floor(events.length / 2);
    const { a, b } = cutAndCompare(events.slice(0, cut + 200), cut, SERVER, RESTORED);
    const manager = [...a.timeline.state.staff.values()].find((m) => m.role === 'manager')!.id;
    const visits = events.slice(1, cut + 200).filter((e) => e.type === 'visit' && !a.timeline.rejections.has(e.id));
    const before = visits.findLast((e) => events.indexOf(e) < cut)!;
    const after = visits.at(-1)!;
    expect(events.indexOf(after)).toBeGreaterThanOrEqual(cut);
    const at = events[cut + 199]!.at + 60_000;
    for (const of of [before.id, after.id]) {
      const fix = correction({ id: `fix-${of}`, of, set: { customer: { name: '更正' } }, by: manager, at });
      const stateBefore = snapshot(b.timeline.state);
      expect(a.apply(fix)?.accepted).toBe(true);
      const ob = b.apply(fix)!;
      expect(ob.accepted ? 'accepted' : ob.rejection.code).toBe('unknown-event');
      expect(snapshot(b.timeline.state)).toBe(stateBefore);
      expect(b.timeline.rejections.get(fix.id)?.code).toBe('unknown-event');
    }
    // As on any timeline that keeps no history: a full replay of the log is what honours a correction.
    expect(b.timeline.hasHistory).toBe(false);
    expect(a.timeline.hasHistory).toBe(true);
  });

  it('with id checks (the default), the checkpoint carries the ids seen: a repeat from before the cut is refused on both', () => {
    const events = [...generateTimeline({ customers: 300, days: 4, consultants: 4, seed: 9, preset: 'standard' })];
    const cut = Math.floor(events.length / 2);
    const a = new Replay({});
    for (const e of events.slice(0, cut)) a.apply(e);
    expect(a.timeline.checkpoint().ids).toHaveLength(cut - 1);
    const b = Replay.restore(a.checkpoint(), { keepHistory: false }, events[0] as EventOf<'policy'>);
    for (const e of [...events.slice(cut), events[cut - 1]!, events[2]!]) {
      a.apply(e);
      b.apply(e);
      expect(b.outcomes.at(-1)).toBe(a.outcomes.at(-1));
    }
    expect(a.outcomes.at(-1)).toContain('duplicate-id');
    expect(a.outcomes.at(-2)).toContain('duplicate-id');
    expectSame(a, b);
  });
});

describe('checkpoint and restore: what they take', () => {
  const events = [...generateTimeline({ customers: 200, days: 3, consultants: 3, seed: 1, preset: 'standard' })];
  const genesis = events[0] as EventOf<'policy'>;
  const replayed = () => {
    const a = new Replay(SERVER);
    for (const e of events) a.apply(e);
    return a;
  };

  it('a checkpoint is plain data: structuredClone takes it whole, and a clone restores as well', () => {
    const a = replayed();
    const cp = structuredClone({ timeline: a.timeline.checkpoint(), projector: a.projector.checkpoint() });
    const b = Replay.from(Timeline.restore(options(genesis, RESTORED), cp.timeline), Projector.restore(cp.projector), a.seq);
    expectSame(a, b);
    expect(cp.timeline).not.toHaveProperty('entries');
    expect(cp.timeline).not.toHaveProperty('ids');
  });

  it('restore needs keepHistory: false, and ids when it checks ids', () => {
    const a = replayed();
    const cp = () => decodeCheckpoint(a.checkpoint()).timeline;
    expect(() => Timeline.restore(options(genesis, { checkIds: false }), cp())).toThrow(/keepHistory: false/);
    expect(() => Timeline.restore(options(genesis, { keepHistory: 'events', checkIds: false }), cp())).toThrow(/keepHistory: false/);
    expect(() => Timeline.restore(options(genesis, { keepHistory: false }), cp())).toThrow(/checkIds/);
    expect(() => Timeline.restore({ ...options(genesis, RESTORED), timezone: 'Asia/Tokyo' }, cp())).toThrow(/timezone/);
  });

  it('the projector checkpoint is a copy: later steps leave it as it was', () => {
    const a = new Replay(SERVER);
    for (const e of events.slice(0, 200)) a.apply(e);
    const cp = a.projector.checkpoint();
    const rows = exact(Projector.restore(structuredClone(cp)).rows());
    for (const e of events.slice(200)) a.apply(e);
    expect(exact(Projector.restore(cp).rows())).toBe(rows);
    expect(rows).not.toBe(exact(a.projector.rows()));
  });

  it('forgetHistory drops the entries and keeps none after; corrections are then refused as unknown-event', () => {
    const a = replayed();
    expect(a.timeline.hasHistory).toBe(true);
    expect(a.timeline.entries.length).toBe(events.length - 1);
    a.timeline.forgetHistory();
    expect(a.timeline.hasHistory).toBe(false);
    expect(a.timeline.entries).toHaveLength(0);
    const manager = [...a.timeline.state.staff.values()].find((m) => m.role === 'manager')!.id;
    const ob = a.apply(correction({ of: events.findLast((e) => e.type === 'visit')!.id, set: { customer: { name: '更正' } }, by: manager, at: events.at(-1)!.at }))!;
    expect(ob.accepted ? 'accepted' : ob.rejection.code).toBe('unknown-event');
    expect(a.timeline.entries).toHaveLength(0);
  });
});

describe('the encoding', () => {
  const cp: CacheCheckpoint<{ n: number }> = {
    format: CHECKPOINT_FORMAT,
    fingerprint: ENGINE_FINGERPRINT,
    seq: 7,
    hash: 'abc',
    timeline: { state: new Timeline(options({ id: 'p', at: 0, type: 'policy', preset: 'standard' }, {})).state, rejections: [], corrections: [] },
    projector: new Projector().checkpoint(),
    extra: { n: 1 },
  };
  const reason = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(CheckpointError);
      return (e as CheckpointError).reason;
    }
    throw new Error('did not throw');
  };

  it('round-trips, and the header reads without deserializing', () => {
    const buf = encodeCheckpoint(cp);
    const header = readCheckpointHeader(buf);
    expect(header).toMatchObject({ format: CHECKPOINT_FORMAT, fingerprint: ENGINE_FINGERPRINT });
    // The parts: the core (the checkpoint without its customers), the projector and the customer shards, after the header.
    expect(header.parts.length).toBeGreaterThanOrEqual(3);
    expect(header.headerBytes).toBe(80 + 8 * header.parts.length);
    expect(header.headerBytes + header.parts.reduce((n, p) => n + p.bytes, 0)).toBe(buf.length);
    const back = decodeCheckpoint<{ n: number }>(new Uint8Array(buf));
    // The customers decode lazily, in the order they were checkpointed.
    expect(back.timeline.state.customers).toBeInstanceOf(LazyCustomers);
    expect([...back.timeline.state.customers.keys()]).toEqual([...cp.timeline.state.customers.keys()]);
    expect(back.extra).toEqual({ n: 1 });
    expect(snapshot(back.timeline.state)).toBe(snapshot(cp.timeline.state));
  });

  it('refuses garbage, another format, another engine, truncation and corruption with a CheckpointError', () => {
    const buf = encodeCheckpoint(cp);
    expect(reason(() => decodeCheckpoint(Buffer.from('not a checkpoint at all')))).toBe('not-a-checkpoint');
    expect(reason(() => decodeCheckpoint(Buffer.alloc(0)))).toBe('not-a-checkpoint');
    expect(reason(() => decodeCheckpoint(v8.serialize(cp)))).toBe('not-a-checkpoint');
    const other = Buffer.from(buf);
    other.writeUInt32BE(CHECKPOINT_FORMAT + 1, 4);
    expect(reason(() => decodeCheckpoint(other))).toBe('format');
    expect(() => decodeCheckpoint(other)).toThrow(new RegExp(`format ${CHECKPOINT_FORMAT + 1}; this code reads format ${CHECKPOINT_FORMAT}`));
    expect(reason(() => decodeCheckpoint(buf, { fingerprint: 'f'.repeat(64) }))).toBe('fingerprint');
    expect(reason(() => decodeCheckpoint(buf.subarray(0, buf.length - 1)))).toBe('corrupt');
    expect(reason(() => decodeCheckpoint(buf.subarray(0, 40)))).toBe('corrupt');
    const flipped = Buffer.from(buf);
    flipped[flipped.length - 3]! ^= 0x40;
    expect(reason(() => decodeCheckpoint(flipped))).toBe('corrupt');
    // A well-formed frame around something that is not a checkpoint.
    const notCp = encodeCheckpoint({ ...cp, timeline: undefined } as unknown as CacheCheckpoint);
    expect(reason(() => decodeCheckpoint(notCp))).toBe('corrupt');
    expect(() => encodeCheckpoint({ ...cp, format: 99 })).toThrow(/format/);
  });
});

describe('the encoding in parts', () => {
  const events = [...generateTimeline({ customers: 200, days: 3, consultants: 3, seed: 1, preset: 'standard' })];
  const replayed = new Replay(SERVER);
  for (const e of events) replayed.apply(e);
  const checkpoint = (): CacheCheckpoint<{ note: string }> => ({
    format: CHECKPOINT_FORMAT, fingerprint: ENGINE_FINGERPRINT, seq: replayed.seq, hash: 'h', timeline: replayed.timeline.checkpoint(), projector: replayed.projector.checkpoint(), extra: { note: 'x' }, lazy: { big: new Map([['a', [1, 2]]]) },
  });
  /** The parts as the store writes them (each asked for after the one before was taken), and the header returned last. */
  const split = () => {
    const parts: Buffer[] = [];
    const it = encodeCheckpointParts(checkpoint());
    for (;;) {
      const next = it.next();
      if (next.done) return { header: next.value, parts };
      parts.push(next.value);
    }
  };
  const reason = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(CheckpointError);
      return (e as CheckpointError).reason;
    }
    throw new Error('did not throw');
  };

  it('yields each part apart (the core, the projector, each lazy entry, the customer shards) and returns the header that lists them', () => {
    const { header, parts } = split();
    expect(parts).toHaveLength(4);
    expect(new Set(parts.map((p) => p.buffer)).size).toBe(parts.length);
    const h = readCheckpointHeader(header);
    expect(h.headerBytes).toBe(header.length);
    expect(h.parts.map((p) => p.bytes)).toEqual(parts.map((p) => p.length));
    // The same bytes as the one-buffer form, which is the header and then the parts.
    expect(Buffer.concat([header, ...parts]).equals(encodeCheckpoint(checkpoint()))).toBe(true);
    const back = decodeCheckpointParts<{ note: string }>(header, parts, { fingerprint: ENGINE_FINGERPRINT });
    expect(back.extra).toEqual({ note: 'x' });
    expect(back.lazy!.big).toEqual(new Map([['a', [1, 2]]]));
    const restored = Replay.from(Timeline.restore(options(events[0] as EventOf<'policy'>, RESTORED), back.timeline), Projector.restore(back.projector), back.seq);
    expectSame(replayed, restored);
  });

  it('serialises a part only when it is asked for, and checks the checkpoint before the first', () => {
    const serialize = vi.spyOn(v8, 'serialize');
    try {
      const it = encodeCheckpointParts(checkpoint());
      expect(serialize).toHaveBeenCalledTimes(0);
      for (let n = 1; n <= 4; n++) {
        expect(it.next().done).toBe(false);
        expect(serialize).toHaveBeenCalledTimes(n);
      }
      expect(it.next().done).toBe(true);
    } finally {
      serialize.mockRestore();
    }
    expect(() => encodeCheckpointParts({ ...checkpoint(), fingerprint: 'nope' })).toThrow(/fingerprint/);
    expect(() => encodeCheckpointParts({ ...checkpoint(), format: 4 })).toThrow(/format/);
  });

  it('refuses a part missing, out of place, cut short or altered, a header altered, and another engine before anything else', () => {
    const { header, parts } = split();
    const decode = (h: Uint8Array, p: readonly Uint8Array[], fingerprint = ENGINE_FINGERPRINT) => decodeCheckpointParts(h, p, { fingerprint });
    expect(() => decode(header, parts)).not.toThrow();
    expect(reason(() => decode(header, parts.slice(0, -1)))).toBe('corrupt');
    expect(reason(() => decode(header, [parts[0]!, ...parts.slice(2)]))).toBe('corrupt');
    expect(reason(() => decode(header, [parts[0]!, parts[2]!, parts[1]!, parts[3]!]))).toBe('corrupt');
    expect(reason(() => decode(header, [...parts, parts[3]!]))).toBe('corrupt');
    expect(reason(() => decode(header, [...parts.slice(0, 3), parts[3]!.subarray(0, parts[3]!.length - 1)]))).toBe('corrupt');
    for (const i of [0, 1, 2, 3]) {
      const altered = parts.map((p) => Buffer.from(p));
      altered[i]![altered[i]!.length >> 1]! ^= 0x10;
      expect(reason(() => decode(header, altered)), `part ${i} altered`).toBe('corrupt');
    }
    const badHeader = Buffer.from(header);
    badHeader[80]! ^= 0x01;
    expect(reason(() => decode(badHeader, parts))).toBe('corrupt');
    expect(reason(() => decode(Buffer.concat([header, Buffer.alloc(1)]), parts))).toBe('corrupt');
    expect(reason(() => decode(header.subarray(0, 60), parts))).toBe('corrupt');
    expect(reason(() => decode(header, [], 'f'.repeat(64)))).toBe('fingerprint');
    expect(reason(() => decode(Buffer.alloc(0), parts))).toBe('not-a-checkpoint');
    // A checkpoint of the one-blob format before (4): another format, passed over.
    const older = Buffer.from(header);
    older.writeUInt32BE(4, 4);
    expect(reason(() => decode(older, parts))).toBe('format');
  });
});

describe('the engine fingerprint', () => {
  it('is computed from the sources here, by the same function the build uses', () => {
    expect(ENGINE_FINGERPRINT_SOURCE).toBe('sources');
    expect(ENGINE_FINGERPRINT).toBe(engineFingerprint(CHECKPOINT_FORMAT, process.versions.v8, engineSourceDigest(root)));
    const files = engineSourceFiles(root);
    expect(files).toContain('src/domain/engine/timeline.ts');
    expect(files).toContain('src/domain/policy/resolve.ts');
    expect(files).toContain('src/app/projector.ts');
    expect(files).toContain('src/app/checkpoint.ts');
    expect(files.some((f) => f.endsWith('.test.ts'))).toBe(false);
    // Another format or V8 major version is another fingerprint.
    expect(engineFingerprint(CHECKPOINT_FORMAT + 1, process.versions.v8, engineSourceDigest(root))).not.toBe(ENGINE_FINGERPRINT);
    expect(engineFingerprint(CHECKPOINT_FORMAT, '1.0.0', engineSourceDigest(root))).not.toBe(ENGINE_FINGERPRINT);
  });

  it('is the same in a bundle built with the build script’s define, and matches nothing without it', SLOW, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guishu-fp-'));
    try {
      const bundle = async (name: string, define: Record<string, string>) => {
        const out = await build({ entryPoints: [join(root, 'src/app/checkpoint.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent', define });
        const file = join(dir, name);
        writeFileSync(file, out.outputFiles[0]!.contents);
        return (await import(pathToFileURL(file).href)) as typeof CheckpointModule;
      };
      const built = await bundle('built.mjs', engineDefines(root));
      expect(built.ENGINE_FINGERPRINT_SOURCE).toBe('build');
      expect(built.ENGINE_FINGERPRINT).toBe(ENGINE_FINGERPRINT);
      const bare = await bundle('bare.mjs', {});
      expect(bare.ENGINE_FINGERPRINT_SOURCE).toBe('unavailable');
      expect(bare.ENGINE_FINGERPRINT).not.toBe(ENGINE_FINGERPRINT);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
