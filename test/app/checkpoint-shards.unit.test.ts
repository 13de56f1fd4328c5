// A checkpoint of an office with several customer shards (over 4,096
// customers), restored with its customers decoding lazily while the rest of
// the log is applied: every outcome and the final state as without the
// checkpoint — the engine never shares a customer's mutable parts across
// shards, and the lazy map keeps the order replay determinism needs.
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT, ENGINE_FINGERPRINT, decodeCheckpoint, encodeCheckpoint } from '../../src/app/checkpoint.ts';
import { LazyCustomers } from '../../src/app/lazy-customers.ts';
import { Projector } from '../../src/app/projector.ts';
import { Timeline, type TimelineOptions } from '../../src/domain/engine/timeline.ts';
import type { EventOf, OfficeEvent } from '../../src/domain/events.ts';
import { generateTimeline, optionsForEvents } from '../../src/sim/generate.ts';
import { TZ, snapshot } from '../builders.ts';
import { initialPolicy, policyOfEvent } from '../../src/domain/policy/wiring.ts';

const resolveFromEvent = policyOfEvent;

describe('a sharded checkpoint', () => {
  it.each(['standard', 'channel-sms-report'])('goes on exactly as the original (%s)', (preset) => {
    const events = [...generateTimeline({ ...optionsForEvents(24_000, 5), preset } as never)] as OfficeEvent[];
    const genesis = events[0] as EventOf<'policy'>;
    const opts = (): TimelineOptions => ({ timezone: TZ, policy: initialPolicy(genesis.preset, genesis.set), resolvePolicy: resolveFromEvent, keepHistory: false, checkIds: false });
    const a = new Timeline(opts());
    const pa = new Projector();
    pa.genesis(genesis, 1);
    const cut = Math.floor(events.length * 0.7);
    for (let i = 1; i < cut; i++) pa.step(a.state, events[i]!, a.apply(events[i]!), a.rejections, i + 1);
    expect(a.state.customers.size).toBeGreaterThan(4_096);

    const buf = encodeCheckpoint({ format: CHECKPOINT_FORMAT, fingerprint: ENGINE_FINGERPRINT, seq: cut, hash: 'h', timeline: a.checkpoint(), projector: pa.checkpoint(), extra: null });
    const cp = decodeCheckpoint(buf, { fingerprint: ENGINE_FINGERPRINT });
    const b = Timeline.restore(opts(), cp.timeline);
    const pb = Projector.restore(cp.projector);
    expect(b.state.customers).toBeInstanceOf(LazyCustomers);

    for (let i = cut; i < events.length; i++) {
      const e = events[i]!;
      const oa = a.apply(e);
      const ob = b.apply(e);
      expect(JSON.stringify(ob)).toBe(JSON.stringify(oa));
      expect(JSON.stringify(pb.step(b.state, e, ob, b.rejections, i + 1))).toBe(JSON.stringify(pa.step(a.state, e, oa, a.rejections, i + 1)));
    }
    // Still lazy until something iterated it (the log after the cut asked only for the customers it names).
    expect(snapshot(b.state)).toBe(snapshot(a.state));
    expect([...b.state.customers.keys()]).toEqual([...a.state.customers.keys()]);
  }, 120_000);
});
