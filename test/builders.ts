// Builders for engine tests: events with overrides (ids filled, local times
// converted), a small Given/When/Then harness over a `Timeline`, and
// assertions that read like the rulebook:
//
//   office('shenyang-multi-team')
//     .given(visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }))
//     .when(visit({ customer: c1, receivedBy: 'B', at: '2025-03-20 10:00' }))
//     .then(ownerOf(c1).is('B').because('shenyang-multi-team.2.2c'));
import { expect } from 'vitest';
import { type Entry, type OfficeState, type Outcome, Timeline, dealView, judgeArrival, ownerOf as ownerQuery, policyAt, rotationView } from '../src/domain/engine/index.ts';
import type { CustomerRef, EventOf, OfficeEvent, PresenceState, RelationKind, Says, StaffRole } from '../src/domain/events.ts';
import { normalizePhone } from '../src/domain/phone.ts';
import type { RejectionCode } from '../src/domain/rejection.ts';
import { parseShare, sharesEqual } from '../src/domain/shares.ts';
import { DEFAULT_TIMEZONE, parseLocalTime } from '../src/domain/time.ts';
import { initialPolicy, policyOfEvent } from '../src/domain/policy/wiring.ts';

export const TZ = DEFAULT_TIMEZONE;

/** A local wall-clock time ("2025-03-01 10:00") in the office's zone, as epoch ms. */
export function t(local: string, timezone = TZ): number {
  const ms = parseLocalTime(local, timezone);
  if (ms === undefined) throw new Error(`not a local time: ${local}`);
  return ms;
}

type When = string | number;
const ms = (at: When) => (typeof at === 'number' ? at : t(at));

let seq = 0;
const nextId = (prefix: string) => `${prefix}${++seq}`;

// ---- customers -------------------------------------------------------------------------------

/** A customer as registered: the phone as written, and a name (a made-up one by default; `null` for none). */
export function customer(phone: string, name: string | null = `客户${phone.replace(/\D/g, '').slice(-4)}`): CustomerRef {
  return name === null ? { phone } : { phone, name };
}

type Who = CustomerRef | string;
const ref = (c: Who): CustomerRef => (typeof c === 'string' ? customer(c) : c);
/** The normalised phone a customer is known by (the identity the engine keys on). */
export function phoneOf(c: Who): string {
  const p = normalizePhone(ref(c).phone);
  if (!p) throw new Error(`not a valid mobile: ${ref(c).phone}`);
  return p;
}

// ---- events ----------------------------------------------------------------------------------

interface Common {
  id?: string;
  at: When;
}

export function staff(o: { staff: string; role?: StaffRole; team?: string; name?: string; agency?: string; at?: When; id?: string }): EventOf<'staff'> {
  return { id: o.id ?? `staff:${o.staff}`, at: ms(o.at ?? '2020-01-01 00:00'), type: 'staff', staff: o.staff, role: o.role ?? 'consultant', ...(o.team ? { team: o.team } : {}), ...(o.name ? { name: o.name } : {}), ...(o.agency ? { agency: o.agency } : {}) };
}

export function duty(o: Common & { order: string[] }): EventOf<'duty'> {
  return { id: o.id ?? nextId('duty'), at: ms(o.at), type: 'duty', order: o.order };
}

export function status(o: Common & { staff: string; state: PresenceState; until?: When }): EventOf<'status'> {
  return { id: o.id ?? nextId('status'), at: ms(o.at), type: 'status', staff: o.staff, state: o.state, ...(o.until !== undefined ? { until: ms(o.until) } : {}) };
}

export function visit(o: Common & { customer: Who; receivedBy?: string; says?: Says; party?: Who[]; purpose?: 'tour' | 'deposit' | 'sign'; recognizedBy?: string }): EventOf<'visit'> {
  return {
    id: o.id ?? nextId('visit'),
    at: ms(o.at),
    type: 'visit',
    customer: ref(o.customer),
    ...(o.receivedBy !== undefined ? { receivedBy: o.receivedBy } : {}),
    ...(o.says ? { says: o.says } : {}),
    ...(o.party ? { party: o.party.map(ref) } : {}),
    ...(o.purpose ? { purpose: o.purpose } : {}),
    ...(o.recognizedBy ? { recognizedBy: o.recognizedBy } : {}),
  };
}

export function call(o: Common & { customer: Who; staff: string; direction?: 'in' | 'out'; appointment?: When }): EventOf<'call'> {
  return { id: o.id ?? nextId('call'), at: ms(o.at), type: 'call', customer: ref(o.customer), staff: o.staff, direction: o.direction ?? 'in', ...(o.appointment !== undefined ? { appointment: ms(o.appointment) } : {}) };
}

export function followup(o: Common & { customer: Who; staff: string; via?: 'phone' | 'wechat' | 'sms' | 'visit'; effective?: boolean }): EventOf<'followup'> {
  return { id: o.id ?? nextId('followup'), at: ms(o.at), type: 'followup', customer: ref(o.customer), staff: o.staff, via: o.via ?? 'phone', effective: o.effective ?? true };
}

/** A channel report; the standard policy wants a name and an expected time, so both are filled unless overridden. */
export function report(o: Common & { customer: Who; staff: string; expectedAt?: When | null; reason?: string }): EventOf<'report'> {
  const expected = o.expectedAt === undefined ? ms(o.at) + 86_400_000 : o.expectedAt === null ? undefined : ms(o.expectedAt);
  return { id: o.id ?? nextId('report'), at: ms(o.at), type: 'report', customer: ref(o.customer), staff: o.staff, ...(expected !== undefined ? { expectedAt: expected } : {}), ...(o.reason ? { reason: o.reason } : {}) };
}

export function deal(o: Common & { deal: string; customer?: Who; customers?: Who[]; closedBy: string; stage?: 'deposit' | 'contract'; unit?: string }): EventOf<'deal'> {
  const customers = (o.customers ?? (o.customer !== undefined ? [o.customer] : [])).map(ref);
  return { id: o.id ?? nextId('deal'), at: ms(o.at), type: 'deal', deal: o.deal, customers, closedBy: o.closedBy, stage: o.stage ?? 'deposit', ...(o.unit ? { unit: o.unit } : {}) };
}

export function relation(o: Common & { a: Who; b: Who; kind: RelationKind }): EventOf<'relation'> {
  return { id: o.id ?? nextId('relation'), at: ms(o.at), type: 'relation', a: ref(o.a), b: ref(o.b), kind: o.kind };
}

export function leave(o: Common & { staff: string }): EventOf<'leave'> {
  return { id: o.id ?? nextId('leave'), at: ms(o.at), type: 'leave', staff: o.staff };
}

export function ruling(o: Common & { customer?: Who; deal?: string; owner?: string; performance?: Record<string, number | string>; commission?: Record<string, number | string>; by: string; reason?: string }): EventOf<'ruling'> {
  return {
    id: o.id ?? nextId('ruling'),
    at: ms(o.at),
    type: 'ruling',
    by: o.by,
    reason: o.reason ?? '经理裁决',
    ...(o.customer !== undefined ? { customer: ref(o.customer) } : {}),
    ...(o.deal !== undefined ? { deal: o.deal } : {}),
    ...(o.owner !== undefined ? { owner: o.owner } : {}),
    ...(o.performance ? { performance: o.performance } : {}),
    ...(o.commission ? { commission: o.commission } : {}),
  };
}

export function correction(o: Common & { of: string; set: Record<string, unknown>; by: string; reason?: string }): EventOf<'correction'> {
  return { id: o.id ?? nextId('correction'), at: ms(o.at), type: 'correction', of: o.of, set: o.set, by: o.by, reason: o.reason ?? '登记有误' };
}

export function policyVersion(o: Common & { preset: string; set?: Record<string, unknown>; effectiveAt?: When; by?: string }): EventOf<'policy'> {
  return { id: o.id ?? nextId('policy'), at: ms(o.at), type: 'policy', preset: o.preset, ...(o.set ? { set: o.set } : {}), ...(o.effectiveAt !== undefined ? { effectiveAt: ms(o.effectiveAt) } : {}), ...(o.by ? { by: o.by } : {}) };
}

// ---- state snapshots ---------------------------------------------------------------------------

/** Canonical JSON of a value: maps and sets as sorted entries, object keys sorted, ±Infinity spelled out. */
export function canonical(value: unknown): string {
  const norm = (v: unknown): unknown => {
    if (v instanceof Map) return { $map: [...v.entries()].map(([k, x]) => [norm(k), norm(x)] as const).sort(([a], [b]) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
    if (v instanceof Set) return { $set: [...v].map(norm).sort() };
    if (Array.isArray(v)) return v.map(norm);
    if (typeof v === 'number' && !Number.isFinite(v)) return `$${String(v)}`;
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = norm(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(norm(value));
}

/** The office state as canonical JSON: what a rejection must leave untouched and a replay must reproduce. */
export function snapshot(state: OfficeState): string {
  return canonical(state);
}

// ---- the harness -------------------------------------------------------------------------------

export interface StaffSpec {
  id: string;
  role?: StaffRole;
  team?: string;
  name?: string;
  agency?: string;
}

/** The default cast: three consultants in two teams, a manager, a front desk and a channel agent. */
export const DEFAULT_STAFF: readonly StaffSpec[] = [
  { id: 'A', team: '一组' },
  { id: 'B', team: '一组' },
  { id: 'C', team: '二组' },
  { id: 'M', role: 'manager' },
  { id: 'F', role: 'frontdesk' },
  { id: 'X', role: 'channel', agency: '某渠道公司' },
];

export interface Context {
  timeline: Timeline;
  state: OfficeState;
  /** The `when` event and its outcome (undefined before `when`). */
  event?: OfficeEvent;
  outcome?: Outcome;
  /** The state just before the `when` event. */
  before?: string;
}

export interface Check {
  check(ctx: Context): void;
}

export class Office {
  readonly timeline: Timeline;
  private event?: OfficeEvent;
  private outcome?: Outcome;
  private before?: string;

  constructor(preset: string, options: { set?: Record<string, unknown>; staff?: readonly (StaffSpec | string)[]; timezone?: string } = {}) {
    this.timeline = new Timeline({
      timezone: options.timezone ?? TZ,
      policy: initialPolicy(preset, options.set),
      keepHistory: true,
      resolvePolicy: policyOfEvent,
    });
    for (const s of options.staff ?? DEFAULT_STAFF) {
      const spec = typeof s === 'string' ? { id: s } : s;
      this.accept(staff({ ...spec, staff: spec.id }));
    }
  }

  get state(): OfficeState {
    return this.timeline.state;
  }

  /** Facts: each must be accepted (a refused `given` is a mistake in the test). */
  given(...events: OfficeEvent[]): this {
    for (const e of events) this.accept(e);
    return this;
  }

  /** The event under test; its outcome is kept for `then`. */
  when(event: OfficeEvent): this {
    this.before = snapshot(this.state);
    this.event = event;
    this.outcome = this.timeline.apply(event);
    return this;
  }

  then(...checks: Check[]): this {
    const ctx: Context = { timeline: this.timeline, state: this.state, event: this.event, outcome: this.outcome, before: this.before };
    for (const c of checks) c.check(ctx);
    return this;
  }

  apply(event: OfficeEvent): Outcome {
    return this.timeline.apply(event);
  }

  private accept(e: OfficeEvent): void {
    const outcome = this.timeline.apply(e);
    if (!outcome.accepted) throw new Error(`given event ${e.id} (${e.type}) was refused: ${outcome.rejection.code} ${outcome.rejection.messageEn}`);
  }

  /** Entries on record, for corrections and history. */
  get entries(): readonly Entry[] {
    return this.timeline.entries;
  }
}

export function office(preset = 'standard', options: { set?: Record<string, unknown>; staff?: readonly (StaffSpec | string)[]; timezone?: string } = {}): Office {
  return new Office(preset, options);
}

// ---- assertions ----------------------------------------------------------------------------------

type OwnerStatus = 'protected' | 'lapsed' | 'public' | 'closed' | 'none';

class OwnerCheck implements Check {
  constructor(
    private readonly who: Who,
    private readonly opts: { at?: When; is?: string | null; because?: string; status?: OwnerStatus } = {},
  ) {}
  /** `none` (or null) for no owner. */
  is(staffId: string | null): OwnerCheck {
    return new OwnerCheck(this.who, { ...this.opts, is: staffId === 'none' ? null : staffId });
  }
  because(clause: string): OwnerCheck {
    return new OwnerCheck(this.who, { ...this.opts, because: clause });
  }
  status(s: OwnerStatus): OwnerCheck {
    return new OwnerCheck(this.who, { ...this.opts, status: s });
  }
  at(at: When): OwnerCheck {
    return new OwnerCheck(this.who, { ...this.opts, at });
  }
  check(ctx: Context): void {
    const at = this.opts.at !== undefined ? ms(this.opts.at) : (ctx.event?.at ?? Number.MAX_SAFE_INTEGER);
    const v = ownerQuery(ctx.state, phoneOf(this.who), at);
    const label = `owner of ${phoneOf(this.who)} at ${this.opts.at ?? 'the event'}`;
    if (this.opts.is !== undefined) expect(v.owner, label).toBe(this.opts.is);
    if (this.opts.status !== undefined) expect(v.status, `${label}: status`).toBe(this.opts.status);
    if (this.opts.because !== undefined) expect(v.basis?.clause, `${label}: basis`).toBe(this.opts.because);
  }
}

/** `ownerOf(c1).is('B').because('shenyang-multi-team.2.2c')`, optionally `.status('lapsed').at('2025-03-20 10:00')`. */
export function ownerOf(who: Who): OwnerCheck {
  return new OwnerCheck(who);
}

const check = (fn: (ctx: Context) => void): Check => ({ check: fn });

export function accepted(): Check {
  return check(({ outcome, event }) => expect(outcome?.accepted ? 'accepted' : `rejected: ${outcome?.rejection.code}`, `event ${event?.id}`).toBe('accepted'));
}

/** The `when` event was refused with this code, and the state is exactly as before. */
export function rejected(code: RejectionCode): Check {
  return check((ctx) => {
    expect(ctx.outcome?.accepted ? 'accepted' : ctx.outcome?.rejection.code, `event ${ctx.event?.id}`).toBe(code);
    expect(ctx.timeline.rejections.get(ctx.event!.id)?.code).toBe(code);
    expect(snapshot(ctx.state), 'a refused event changes nothing').toBe(ctx.before);
  });
}

export function unchanged(): Check {
  return check((ctx) => expect(snapshot(ctx.state)).toBe(ctx.before));
}

export function rotation(at?: When) {
  return {
    next: (staffId: string | null): Check => check((ctx) => expect(rotationView(ctx.state, at !== undefined ? ms(at) : (ctx.event?.at ?? 0)).next).toBe(staffId)),
    makeUps: (expected: Record<string, number>): Check =>
      check((ctx) => {
        const got = rotationView(ctx.state, at !== undefined ? ms(at) : (ctx.event?.at ?? 0)).makeUps;
        for (const [s, n] of Object.entries(expected)) expect(got[s] ?? 0, `make-ups of ${s}`).toBe(n);
      }),
    turns: (expected: Record<string, number>): Check =>
      check((ctx) => {
        for (const [s, n] of Object.entries(expected)) expect(ctx.state.rotation.turns.get(s) ?? 0, `turns of ${s}`).toBe(n);
      }),
  };
}

function splitMatches(actual: ReadonlyMap<string, { num: number; den: number }>, expected: Record<string, number | string>, label: string): void {
  const want = Object.entries(expected).map(([k, v]) => [k, parseShare(v)!] as const);
  expect([...actual.keys()].sort(), label).toEqual(want.map(([k]) => k).sort());
  for (const [k, s] of want) expect(sharesEqual(actual.get(k)!, s), `${label} ${k}: ${JSON.stringify(actual.get(k))} vs ${JSON.stringify(s)}`).toBe(true);
}

/** `dealOf('d1').splits({ A: 1 }, { A: '1/2', B: '1/2' })`: exact shares. */
export function dealOf(id: string) {
  return {
    splits: (performance: Record<string, number | string>, commission: Record<string, number | string> = performance): Check =>
      check((ctx) => {
        const d = dealView(ctx.state, id);
        expect(d, `deal ${id}`).toBeDefined();
        splitMatches(d!.split.performance, performance, `deal ${id} performance`);
        splitMatches(d!.split.commission, commission, `deal ${id} commission`);
      }),
  };
}

/** The front desk's question at `at`, asked of the state without recording anything. */
export function judge(ctxOrState: OfficeState, o: { customer: Who; at: When; says?: Says; party?: Who[] }) {
  const at = ms(o.at);
  return judgeArrival(ctxOrState, { phone: phoneOf(o.customer), party: (o.party ?? []).map(phoneOf), says: o.says ?? {}, at }, policyAt(ctxOrState, at));
}
