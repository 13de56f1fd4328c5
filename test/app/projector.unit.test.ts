// The projector's two modes (src/app/projector.ts): one that keeps each row's
// JSON (`keepRows: true`, rebuilds and bulk imports) and one that keeps only a
// digest of it (`keepRows: false`, the server's live cache) give the same row
// changes at every step, over generated offices with refusals, corrections,
// rulings, policy versions and departures, across checkpoints and restores.
import v8 from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Projector, type ProjectorCheckpoint, type RowChange, rowDigest } from '../../src/app/projector.ts';
import { Timeline, type TimelineOptions } from '../../src/domain/engine/timeline.ts';
import type { EventOf, OfficeEvent } from '../../src/domain/events.ts';
import { PRESETS } from '../../src/domain/policy/index.ts';
import { type GenerateOptions, generateTimeline } from '../../src/sim/generate.ts';
import { type Injection, eventsWithInjections } from './injections.ts';
import { TZ } from '../builders.ts';
import { initialPolicy, policyOfEvent } from '../../src/domain/policy/wiring.ts';

const SLOW = { timeout: 60_000 };
const resolveFromEvent = policyOfEvent;
/** The server's replay options (src/app/office.ts): history kept, so corrections replay. */
function options(genesis: EventOf<'policy'>): TimelineOptions {
  return { timezone: TZ, policy: initialPolicy(genesis.preset, genesis.set), resolvePolicy: resolveFromEvent, keepHistory: 'events', checkIds: false };
}

const changesJson = (c: readonly RowChange[]) => JSON.stringify(c);

/** What a digest projector's checkpoint must be, given the checkpoint of one that keeps rows: the same keys in the same order, each row's digest, the rest equal. */
function digested(cp: ProjectorCheckpoint): ProjectorCheckpoint {
  return { ...cp, keepRows: false, snap: cp.snap.map(([t, rows]) => [t, new Map([...rows].map(([k, text]) => [k, rowDigest(text as string)]))]) };
}
function expectSameSnapshot(kept: Projector, digest: Projector): void {
  expect(kept.keepsRows).toBe(true);
  expect(digest.keepsRows).toBe(false);
  const a = digested(kept.checkpoint());
  const b = digest.checkpoint();
  expect(b.snap.map(([t, rows]) => [t, [...rows]])).toEqual(a.snap.map(([t, rows]) => [t, [...rows]]));
  expect([...b.versions]).toEqual([...a.versions]);
  expect(b.alertCount).toBe(a.alertCount);
  expect(b.policyVersion).toBe(a.policyVersion);
}

/**
 * One timeline, and projectors stepped on it as the server does: the first
 * keeps rows (the reference), the others are compared with it at every step.
 */
class SideBySide {
  readonly timeline: Timeline;
  readonly projectors: Projector[] = [new Projector(), new Projector({ keepRows: false })];
  seq = 1;
  steps = 0;
  /** Steps whose row changes were not empty (the comparison is not vacuous). */
  nonEmpty = 0;

  constructor(readonly genesis: EventOf<'policy'>) {
    this.timeline = new Timeline(options(genesis));
    const [a, ...others] = this.projectors.map((p) => p.genesis(genesis, 1));
    expect(a).toHaveLength(1);
    for (const b of others) expect(changesJson(b!)).toBe(changesJson(a!));
  }

  get kept(): Projector {
    return this.projectors[0]!;
  }

  get digest(): Projector {
    return this.projectors[1]!;
  }

  apply(event: OfficeEvent): void {
    const seq = ++this.seq;
    const outcome = this.timeline.apply(event);
    const [a, ...others] = this.projectors.map((p) => p.step(this.timeline.state, event, outcome, this.timeline.rejections, seq));
    const ja = changesJson(a!);
    // On a failure toEqual shows where they differ (toBe on the texts would print two huge strings).
    for (const b of others) if (changesJson(b!) !== ja) expect(b, `row changes of ${event.type} ${event.id} (seq ${seq})`).toEqual(a);
    this.steps++;
    if (a!.length) this.nonEmpty++;
  }

  expectSame(): void {
    for (const p of this.projectors.slice(1)) expectSameSnapshot(this.kept, p);
  }
}

const office = fc.record({
  customers: fc.integer({ min: 150, max: 700 }),
  days: fc.integer({ min: 3, max: 8 }),
  consultants: fc.integer({ min: 3, max: 8 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  preset: fc.constantFrom(...PRESETS.keys()),
}) satisfies fc.Arbitrary<GenerateOptions>;
const injections = fc.array(
  fc.tuple(fc.double({ min: 0.02, max: 1, noNaN: true }), fc.constantFrom<Injection>('invalid-phone', 'unknown-staff', 'duplicate-report', 'unit-taken', 'correction', 'ruling', 'policy', 'leave')),
  { minLength: 0, maxLength: 8 },
);
const where = fc.double({ min: 0, max: 1, noNaN: true });

/** Replays `events` on both projectors to `cut`, swaps the digest projector for its restored checkpoint (`through` it), and goes on to the end. */
function replay(events: readonly OfficeEvent[], cut: number, through: (cp: ProjectorCheckpoint) => ProjectorCheckpoint): SideBySide {
  const r = new SideBySide(events[0] as EventOf<'policy'>);
  for (const e of events.slice(1, cut)) r.apply(e);
  r.expectSame();
  r.projectors[1] = Projector.restore(through(r.digest.checkpoint()));
  r.expectSame();
  for (const e of events.slice(cut)) r.apply(e);
  r.expectSame();
  expect(r.steps).toBe(events.length - 1);
  return r;
}

const viaV8 = (cp: ProjectorCheckpoint) => v8.deserialize(v8.serialize(cp)) as ProjectorCheckpoint;

describe('a digest projector (keepRows: false) gives the same row changes as one that keeps rows', () => {
  it('generated offices, every step, across a checkpoint (v8 round trip) of the digest projector', SLOW, () => {
    fc.assert(
      fc.property(office, where, (gen, w) => {
        const events = [...generateTimeline(gen)];
        const r = replay(events, 1 + Math.floor(w * (events.length - 1)), viaV8);
        expect(r.nonEmpty).toBeGreaterThan(events.length / 2);
      }),
      { numRuns: 4, examples: [[{ customers: 600, days: 6, consultants: 5, seed: 42, preset: 'standard' }, 0.6]] },
    );
  });

  it('with refusals, corrections, rulings, policy versions and departures, before and after a checkpoint (structuredClone)', SLOW, () => {
    fc.assert(
      fc.property(office, injections, where, (gen, inject, w) => {
        const events = eventsWithInjections(gen, inject);
        const r = replay(events, 1 + Math.floor(w * (events.length - 1)), (cp) => structuredClone(cp));
        const refused = [...r.timeline.rejections.keys()].filter((id) => id.startsWith('inj')).length;
        if (inject.some(([, k]) => k === 'invalid-phone' || k === 'unknown-staff' || k === 'duplicate-report')) expect(refused).toBeGreaterThan(0);
      }),
      {
        numRuns: 5,
        examples: [
          [
            { customers: 500, days: 6, consultants: 6, seed: 7, preset: 'standard' },
            [[0.2, 'correction'], [0.25, 'leave'], [0.3, 'invalid-phone'], [0.4, 'duplicate-report'], [0.45, 'policy'], [0.5, 'unit-taken'], [0.55, 'ruling'], [0.6, 'correction'], [0.8, 'unknown-staff'], [0.9, 'ruling']],
            0.5,
          ],
          [{ customers: 400, days: 5, consultants: 4, seed: 11, preset: 'channel-sms-report' }, [[0.3, 'correction'], [0.5, 'duplicate-report'], [0.7, 'invalid-phone'], [0.8, 'correction']], 0.75],
        ],
      },
    );
  });

  it('a projector that kept rows, turned into a digest one (forgetRows, or restore with keepRows: false), goes on the same', SLOW, () => {
    const events = eventsWithInjections({ customers: 400, days: 5, consultants: 5, seed: 3, preset: 'standard' }, [[0.3, 'correction'], [0.6, 'duplicate-report'], [0.7, 'correction'], [0.8, 'policy'], [0.9, 'leave']]);
    const cut = Math.floor(events.length / 2);
    const r = new SideBySide(events[0] as EventOf<'policy'>);
    for (const e of events.slice(1, cut)) r.apply(e);
    r.projectors.push(Projector.restore(viaV8(r.kept.checkpoint()), { keepRows: false }));
    const forgot = Projector.restore(structuredClone(r.kept.checkpoint()));
    expect(forgot.keepsRows).toBe(true);
    forgot.forgetRows();
    forgot.forgetRows();
    r.projectors.push(forgot);
    r.expectSame();
    for (const e of events.slice(cut)) r.apply(e);
    r.expectSame();
    // the injections after the cut took effect: full recomputations, a refusal
    const injectedAfter = events.slice(cut).filter((e) => e.id.startsWith('inj'));
    expect(injectedAfter.filter((e) => !r.timeline.rejections.has(e.id)).map((e) => e.type).sort()).toEqual(['correction', 'leave', 'policy', 'report']);
    expect(injectedAfter.filter((e) => r.timeline.rejections.has(e.id)).map((e) => r.timeline.rejections.get(e.id)!.code)).toEqual(['duplicate-report']);
    // the reference still hands its rows back
    expect(r.kept.rows().length).toBeGreaterThan(400);
  });

  it('the cold start (policyVersionAt, refusedReportAt, recomputeAll) and restoreVersions agree in both modes, and so do the steps after', SLOW, () => {
    const events = eventsWithInjections({ customers: 500, days: 6, consultants: 6, seed: 17, preset: 'standard' }, [[0.2, 'duplicate-report'], [0.3, 'policy'], [0.5, 'correction'], [0.6, 'invalid-phone'], [0.7, 'policy']]);
    const cut = Math.floor(events.length * 0.8);
    const genesis = events[0] as EventOf<'policy'>;
    // As src/app/replay.ts replays a cold project: the timeline alone, the projector told of policies, then computed once.
    const r = new SideBySide(genesis);
    let seq = 1;
    for (const e of events.slice(1, cut)) {
      const outcome = r.timeline.apply(e);
      seq++;
      for (const p of r.projectors) {
        if (e.type === 'policy' && outcome.accepted) p.policyVersionAt(e, seq);
      }
    }
    r.seq = seq;
    for (const p of r.projectors) p.recomputeAll(r.timeline.state, r.timeline.rejections, seq);
    r.expectSame();
    expect(r.kept.checkpoint().policyVersion).toBe(3);
    // The stored rows' updated_seq, as the server reads them after a cold start: every versioned row older than the head.
    const stored = new Map<string, Record<string, unknown>[]>();
    for (const c of r.kept.rows()) stored.set(c.table, [...(stored.get(c.table) ?? []), { ...c.row, updated_seq: (stored.get(c.table)?.length ?? 0) + 2 }]);
    for (const [table, rows] of stored) for (const p of r.projectors) p.restoreVersions(table as RowChange['table'], rows);
    r.expectSame();
    expect([...r.digest.checkpoint().versions.values()].some((v) => v !== seq)).toBe(true);
    for (const e of events.slice(cut)) r.apply(e);
    r.expectSame();
  });
});

describe('a digest projector', () => {
  const events = [...generateTimeline({ customers: 200, days: 3, consultants: 3, seed: 1, preset: 'standard' })];
  const replayed = () => {
    const r = new SideBySide(events[0] as EventOf<'policy'>);
    for (const e of events.slice(1)) r.apply(e);
    return r;
  };

  it('has no rows: rows() throws and says why', () => {
    const r = replayed();
    expect(() => r.digest.rows()).toThrow(/keeps only digests of its rows \(keepRows: false\)/);
    expect(() => new Projector({ keepRows: false }).rows()).toThrow(Error);
    expect(new Projector({ keepRows: true }).rows()).toEqual([]);
    expect(new Projector().keepsRows).toBe(true);
  });

  it('checkpoints as plain data, with its mode and numbers; restores its mode, and refuses to give rows back', () => {
    const r = replayed();
    const cp = r.digest.checkpoint();
    expect(cp.keepRows).toBe(false);
    for (const [, rows] of cp.snap) for (const v of rows.values()) expect(Number.isSafeInteger(v) && (v as number) >= 0).toBe(true);
    expect(r.kept.checkpoint().keepRows).toBe(true);
    const back = Projector.restore(structuredClone(cp));
    expect(back.keepsRows).toBe(false);
    expectSameSnapshot(r.kept, back);
    expect(() => Projector.restore(structuredClone(cp), { keepRows: true })).toThrow(/holds digests of the rows/);
    expect(Projector.restore(structuredClone(cp), { keepRows: false }).keepsRows).toBe(false);
    // A checkpoint from before the mode existed keeps rows.
    const { keepRows: _mode, ...old } = r.kept.checkpoint();
    expect(Projector.restore(old).keepsRows).toBe(true);
    // A checkpoint whose values do not fit its mode is refused.
    expect(() => Projector.restore({ ...cp, keepRows: true })).toThrow(/holds a number/);
    expect(() => Projector.restore({ ...r.kept.checkpoint(), keepRows: false })).toThrow(/holds a string/);
  });

  it('its checkpoint is much smaller than one of rows', () => {
    const r = replayed();
    const rows = v8.serialize(r.kept.checkpoint()).length;
    const digests = v8.serialize(r.digest.checkpoint()).length;
    expect(digests).toBeLessThan(rows / 2);
  });
});

describe('rowDigest', () => {
  it('is a deterministic 53-bit number that any change of the text changes, whatever its length or script', () => {
    const text = JSON.stringify({ phone: '13800138000', name: '客户8000', owner: 's1', status: 'protected', protected_until: '2024-05-01T15:59:59.999Z' });
    expect(rowDigest(text)).toBe(rowDigest(`${text}`));
    expect(rowDigest('')).toBe(rowDigest(''));
    const seen = new Set<number>();
    for (let i = 0; i < text.length; i++) {
      for (const c of ['0', '1', '客', '"', '\u0000']) {
        const other = text.slice(0, i) + c + text.slice(i + 1);
        if (other !== text) expect(rowDigest(other), `${i} ${c}`).not.toBe(rowDigest(text));
      }
      // every prefix (the tail of a partial last word, trailing zero bytes)
      seen.add(rowDigest(text.slice(0, i)));
      seen.add(rowDigest(`${text.slice(0, i)}\u0000`));
    }
    expect(seen.size).toBe(2 * text.length);
    // a text longer than the scratch buffer, and the same text after it
    const long = JSON.stringify({ state: '轮'.repeat(20_000) });
    expect(rowDigest(long)).not.toBe(rowDigest(long.replace('轮"', '转"')));
    expect(rowDigest(long)).toBe(rowDigest(long.slice(0)));
  });

  it('spreads near-identical texts over all 53 bits without a collision', () => {
    const seen = new Set<number>();
    let or = 0;
    let high = 0;
    let bad = 0;
    for (let i = 0; i < 100_000; i++) {
      const d = rowDigest(`{"phone":"138${String(i).padStart(8, '0')}","name":"客户${i % 97}"}`);
      if (!Number.isSafeInteger(d) || d < 0) bad++;
      seen.add(d);
      or |= d & 0xffff;
      if (d >= 2 ** 52) high++;
    }
    expect(bad).toBe(0);
    expect(seen.size).toBe(100_000);
    expect(or).toBe(0xffff);
    // the top bit is set about half the time
    expect(high).toBeGreaterThan(48_000);
    expect(high).toBeLessThan(52_000);
  });

  it('avalanches: one input bit flipped flips about half of the 53 output bits', () => {
    const base = JSON.stringify({ deal_id: 'd7', customers: '["13800000007"]', unit: 'A-7', stage: 'contract', performance: '{"s1":"1/2","s2":"1/2"}' });
    const bits = (x: number) => {
      let n = 0;
      for (; x; x >>>= 1) n += x & 1;
      return n;
    };
    let flipped = 0;
    let trials = 0;
    let least = 53;
    for (let i = 0; i < base.length; i++) {
      for (let b = 0; b < 7; b++) {
        const other = base.slice(0, i) + String.fromCharCode(base.charCodeAt(i) ^ (1 << b)) + base.slice(i + 1);
        const x = rowDigest(base);
        const y = rowDigest(other);
        const d = bits(Math.floor(x / 2 ** 32) ^ Math.floor(y / 2 ** 32)) + bits((x >>> 0) ^ (y >>> 0));
        flipped += d;
        least = Math.min(least, d);
        trials++;
      }
    }
    expect(flipped / trials).toBeGreaterThan(25.5);
    expect(flipped / trials).toBeLessThan(27.5);
    expect(least).toBeGreaterThan(10);
  });
});
