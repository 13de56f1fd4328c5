// Invariants of the engine over generated office timelines (src/sim/generate.ts):
// whatever the seed, the size and the preset, these hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Timeline, dealView, ownerOf } from '../src/domain/engine/index.ts';
import type { OfficeEvent } from '../src/domain/events.ts';
import { PRESETS } from '../src/domain/policy/index.ts';
import type { RejectionCode } from '../src/domain/rejection.ts';
import { addShares, share, type Split } from '../src/domain/shares.ts';
import { formatLocalDate, localDay } from '../src/domain/time.ts';
import { type GenerateOptions, generateTimeline } from '../src/sim/generate.ts';
import { TZ, customer, deal, duty, followup, report, snapshot, staff, t, visit } from './builders.ts';
import { initialPolicy, policyOfEvent } from '../src/domain/policy/wiring.ts';

const SLOW = { timeout: 30_000 };

function newTimeline(preset = 'standard', set?: Record<string, unknown>): Timeline {
  return new Timeline({
    timezone: TZ,
    policy: initialPolicy(preset, set),
    resolvePolicy: policyOfEvent,
  });
}

const presets = fc.constantFrom(...PRESETS.keys());
/** Small offices: a few hundred to two thousand customers over a few days. */
const office = fc.record({
  customers: fc.integer({ min: 200, max: 2000 }),
  days: fc.integer({ min: 3, max: 10 }),
  consultants: fc.integer({ min: 3, max: 8 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  preset: presets,
}) satisfies fc.Arbitrary<GenerateOptions>;

const RUNS = { numRuns: 6 };

function total(split: Split) {
  let sum = share(0);
  for (const s of split.values()) sum = addShares(sum, s);
  return sum;
}

describe('invariants over generated timelines', () => {
  it('(a) a customer has at most one owner at any instant, and it is a known staff member', SLOW, () => {
    fc.assert(
      fc.property(office, (options) => {
        const timeline = newTimeline(options.preset);
        const events = [...generateTimeline(options)];
        const checkpoints = new Set([Math.floor(events.length / 3), Math.floor((2 * events.length) / 3), events.length - 1]);
        let checked = 0;
        events.forEach((event, i) => {
          timeline.apply(event);
          if (!checkpoints.has(i)) return;
          const state = timeline.state;
          // Now, and a week later when some protections have run out.
          for (const at of [event.at, event.at + 7 * 86_400_000]) {
            for (const phone of state.customers.keys()) {
              const v = ownerOf(state, phone, at);
              if (v.owner === null) {
                expect(['none', 'public'], phone).toContain(v.status);
                continue;
              }
              checked++;
              expect(typeof v.owner).toBe('string');
              expect(state.staff.has(v.owner), `${phone} owned by unknown ${v.owner}`).toBe(true);
              expect(['protected', 'lapsed', 'closed'], phone).toContain(v.status);
              if (v.status === 'protected' && v.protectedUntil !== null) expect(v.protectedUntil).toBeGreaterThanOrEqual(at);
              if (v.status === 'lapsed') expect(v.protectedUntil).toBeLessThan(at);
            }
          }
        });
        expect(checked).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it("(b) every deal's performance and commission shares sum to exactly 1", SLOW, () => {
    fc.assert(
      fc.property(office, (options) => {
        const timeline = newTimeline(options.preset);
        for (const event of generateTimeline({ ...options, days: options.days + 7 })) timeline.apply(event);
        const deals = [...timeline.state.deals.keys()];
        // A short, small office may close nothing; those runs say nothing about splits.
        fc.pre(deals.length > 0);
        for (const id of deals) {
          const { split } = dealView(timeline.state, id)!;
          expect(total(split.performance), `deal ${id} performance`).toEqual(share(1));
          expect(total(split.commission), `deal ${id} commission`).toEqual(share(1));
          for (const [staffId, s] of [...split.performance, ...split.commission]) {
            expect(s.num, `${id} ${staffId}`).toBeGreaterThan(0);
            expect(timeline.state.staff.has(staffId), `${id} credits unknown ${staffId}`).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('(c) replay is deterministic: the same events twice give byte-identical state', SLOW, () => {
    fc.assert(
      fc.property(office, (options) => {
        const events = [...generateTimeline(options)];
        const a = newTimeline(options.preset);
        for (const e of events) a.apply(e);
        const b = newTimeline(options.preset);
        for (const e of structuredClone(events)) b.apply(e);
        expect(snapshot(b.state)).toBe(snapshot(a.state));
        expect([...b.rejections].map(([id, r]) => `${id}:${r.code}`)).toEqual([...a.rejections].map(([id, r]) => `${id}:${r.code}`));
      }),
      RUNS,
    );
  });

  type Injection = 'invalid-phone' | 'unknown-staff' | 'duplicate-report' | 'unit-taken';
  const injections = fc.array(fc.tuple(fc.double({ min: 0.05, max: 1, noNaN: true }), fc.constantFrom<Injection>('invalid-phone', 'unknown-staff', 'duplicate-report', 'unit-taken')), { minLength: 2, maxLength: 6 });

  it('(d) a refused event leaves the state unchanged, wherever it lands in the timeline', SLOW, () => {
    fc.assert(
      fc.property(office, injections, (options, inject) => {
        // The standard policy: its report rules (full numbers, name and time) are the ones these refusals are built for.
        const timeline = newTimeline('standard');
        const events = [...generateTimeline({ ...options, preset: 'standard', days: options.days + 7 })];
        const at = new Map<number, Injection[]>();
        for (const [where, kind] of inject) {
          const i = Math.min(events.length - 1, Math.floor(where * events.length));
          at.set(i, [...(at.get(i) ?? []), kind]);
        }
        let n = 0;
        let refused = 0;
        const refuse = (event: OfficeEvent, code: RejectionCode) => {
          const before = snapshot(timeline.state);
          const outcome = timeline.apply(event);
          expect(outcome.accepted ? 'accepted' : outcome.rejection.code, `${event.type} ${event.id}`).toBe(code);
          expect(snapshot(timeline.state), `state after refused ${event.id}`).toBe(before);
          refused++;
        };
        events.forEach((event, i) => {
          timeline.apply(event);
          for (const kind of at.get(i) ?? []) {
            const when = event.at;
            const id = `inj${++n}`;
            switch (kind) {
              case 'invalid-phone':
                refuse(visit({ id, customer: customer('0571 8822 6601'), at: when }), 'invalid-phone');
                break;
              case 'unknown-staff':
                refuse(followup({ id, customer: customer('138 0013 8000'), staff: 'ghost', at: when }), 'unknown-staff');
                break;
              case 'duplicate-report': {
                // A fresh number no generated customer has (segment 170 is not in the generator's list).
                const phone = `170${String(10_000_000 + n).slice(-8)}`;
                const agent = [...timeline.state.staff.values()].find((s) => s.role === 'channel' && s.leftAt === undefined)!.id;
                expect(timeline.apply(report({ id: `${id}a`, customer: customer(phone), staff: agent, at: when })).accepted).toBe(true);
                refuse(report({ id, customer: customer(phone), staff: agent, at: when }), 'duplicate-report');
                break;
              }
              case 'unit-taken': {
                let unit = [...timeline.state.units.keys()][0];
                if (unit === undefined) {
                  unit = `inj-${n}`;
                  const closer = timeline.state.rotation.order[0] ?? [...timeline.state.staff.values()].find((s) => s.role === 'consultant')!.id;
                  expect(timeline.apply(deal({ id: `${id}a`, deal: `${id}a`, customer: customer(`171${String(10_000_000 + n).slice(-8)}`), closedBy: closer, at: when, unit })).accepted).toBe(true);
                }
                // The second closer must still be on staff: a departed closer is refused first (staff-left), whatever the unit.
                const present = [...timeline.state.staff.values()].find((s) => s.role === 'consultant' && s.leftAt === undefined)!.id;
                refuse(deal({ id, deal: `${id}-other`, customer: customer('138 0013 8000'), closedBy: present, at: when, unit }), 'unit-taken');
                break;
              }
            }
          }
        });
        expect(refused).toBe(inject.length);
      }),
      RUNS,
    );
  });

  it('(e) with a fixed roster and nobody away, reception turns differ by at most one', SLOW, () => {
    const month = fc.record({
      consultants: fc.integer({ min: 2, max: 9 }),
      perDay: fc.array(fc.integer({ min: 0, max: 25 }), { minLength: 30, maxLength: 30 }),
      preset: presets,
    });
    fc.assert(
      fc.property(month, ({ consultants, perDay, preset }) => {
        const ids = Array.from({ length: consultants }, (_, i) => `gw${i + 1}`);
        // The queue must carry over from one day to the next: a rulebook whose queue restarts at the head expects the manager to rotate the head.
        const timeline = newTimeline(preset, { daily_cutoff_and_deadlines: 'rotation_carries_over_overnight' });
        const apply = (e: OfficeEvent) => {
          const outcome = timeline.apply(e);
          expect(outcome.accepted ? 'accepted' : outcome.rejection.code, `${e.type} ${e.id}`).toBe('accepted');
        };
        for (const id of ids) apply(staff({ staff: id, team: '一组' }));
        const first = localDay(t('2025-04-01 09:00'), TZ);
        let customers = 0;
        perDay.forEach((count, d) => {
          const date = formatLocalDate(first + d);
          apply(duty({ id: `duty${d}`, at: `${date} 09:00`, order: ids }));
          for (let k = 0; k < count; k++) {
            const phone = `139${String(++customers).padStart(8, '0')}`;
            apply(visit({ id: `v${customers}`, customer: customer(phone, `客${customers}`), at: t(`${date} 09:30`) + k * 60_000, says: { firstVisit: true } }));
          }
        });
        const turns = ids.map((id) => timeline.state.rotation.turns.get(id) ?? 0);
        expect(turns.reduce((a, b) => a + b, 0)).toBe(customers);
        expect(Math.max(...turns) - Math.min(...turns), `turns ${JSON.stringify(turns)}`).toBeLessThanOrEqual(1);
      }),
      { numRuns: 25 },
    );
  });
});
