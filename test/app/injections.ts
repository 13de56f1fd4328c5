// Events a generated office does not produce — refusals of several kinds,
// corrections, rulings, policy versions, departures — spliced into a generated
// timeline, each built against the state where it lands (a reference replay).
// Shared by the checkpoint and projector tests.
import { Timeline } from '../../src/domain/engine/timeline.ts';
import type { EventOf, OfficeEvent } from '../../src/domain/events.ts';
import { PRESETS } from '../../src/domain/policy/index.ts';
import { type GenerateOptions, generateTimeline } from '../../src/sim/generate.ts';
import { TZ, correction, customer, deal, followup, leave, policyVersion, report, ruling, visit } from '../builders.ts';
import { initialPolicy, policyOfEvent } from '../../src/domain/policy/wiring.ts';

const resolveFromEvent = policyOfEvent;

export type Injection = 'invalid-phone' | 'unknown-staff' | 'duplicate-report' | 'unit-taken' | 'correction' | 'ruling' | 'policy' | 'leave';

/** The events of one injection, built against the state where they land. */
function injected(kind: Injection, n: number, at: number, tl: Timeline, acceptedVisits: readonly string[]): OfficeEvent[] {
  const id = `inj${n}`;
  const s = tl.state;
  const manager = [...s.staff.values()].find((m) => m.role === 'manager')!.id;
  const present = [...s.staff.values()].filter((m) => m.role === 'consultant' && m.leftAt === undefined).map((m) => m.id);
  switch (kind) {
    case 'invalid-phone':
      return [visit({ id, customer: customer('0571 8822 6601'), at })];
    case 'unknown-staff':
      return [followup({ id, customer: customer('138 0013 8000'), staff: 'ghost', at })];
    case 'duplicate-report': {
      const phone = `170${String(10_000_000 + n).slice(-8)}`;
      const agent = [...s.staff.values()].find((m) => m.role === 'channel' && m.leftAt === undefined)?.id ?? 'ghost';
      return [report({ id: `${id}a`, customer: customer(phone), staff: agent, at }), report({ id, customer: customer(phone), staff: agent, at })];
    }
    case 'unit-taken': {
      const unit = [...s.units.keys()][0] ?? `inj-unit-${n}`;
      const closer = present[0] ?? 'ghost';
      return [
        deal({ id: `${id}a`, deal: `${id}a`, customer: customer(`171${String(10_000_000 + n).slice(-8)}`), closedBy: closer, at, unit }),
        deal({ id, deal: `${id}-other`, customer: customer('138 0013 8000'), closedBy: closer, at, unit }),
      ];
    }
    case 'correction': {
      const of = acceptedVisits.at(-1 - (n % 3)) ?? acceptedVisits.at(-1) ?? 'nothing';
      return [correction({ id, of, set: { customer: { name: `更正${n}` } }, by: manager, at })];
    }
    case 'ruling': {
      const d = [...s.deals.keys()].at(-1);
      if (!d || present.length < 2) return [];
      return [ruling({ id, deal: d, performance: { [present[0]!]: '1/3', [present[1]!]: '2/3' }, commission: { [present[0]!]: 0.5, [present[1]!]: 0.5 }, by: manager, at, reason: '经理裁决' })];
    }
    case 'policy':
      return [policyVersion({ id, preset: [...PRESETS.keys()][n % PRESETS.size]!, at, by: manager })];
    case 'leave':
      return present.length > 3 ? [leave({ id, staff: present.at(-1)!, at })] : [];
  }
}

/** The generated events with the injections spliced in (`where` in 0–1 of the log). */
export function eventsWithInjections(gen: GenerateOptions, inject: readonly [number, Injection][]): OfficeEvent[] {
  const base = [...generateTimeline(gen)];
  const at = new Map<number, Injection[]>();
  for (const [where, kind] of inject) {
    const i = Math.max(1, Math.min(base.length - 1, Math.floor(where * base.length)));
    at.set(i, [...(at.get(i) ?? []), kind]);
  }
  const genesis = base[0] as EventOf<'policy'>;
  const ref = new Timeline({ timezone: TZ, policy: initialPolicy(genesis.preset, genesis.set), resolvePolicy: resolveFromEvent, keepHistory: 'events', checkIds: false });
  const out: OfficeEvent[] = [base[0]!];
  const acceptedVisits: string[] = [];
  let n = 0;
  base.slice(1).forEach((event, k) => {
    const go = (e: OfficeEvent) => {
      out.push(e);
      const o = ref.apply(e);
      if (o.accepted && e.type === 'visit') acceptedVisits.push(e.id);
    };
    go(event);
    for (const kind of at.get(k + 1) ?? []) for (const e of injected(kind, ++n, event.at, ref, acceptedVisits)) go(e);
  });
  return out;
}
