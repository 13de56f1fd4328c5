// Runs a scenario through the engine in process and checks each expectation
// at its time. The server run (`simulate --server`) produces the same
// `Actual` values through the HTTP API, so both are compared alike.
import { judgeArrival, ownerOf, rotationView, reportView, dealView, Timeline, type OwnerView } from '../domain/engine/index.ts';
import { normalizePhone } from '../domain/phone.ts';
import { PolicyError } from '../domain/policy/index.ts';
import { parseShare, sharesEqual } from '../domain/shares.ts';
import { formatLocalTime } from '../domain/time.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { ScenarioError, type Expectation, type Scenario } from './parse.ts';
import { initialPolicy, policyOfEvent } from '../domain/policy/wiring.ts';

export interface ExpectationResult {
  expectation: Record<string, unknown>;
  ok: boolean;
  actual: unknown;
  message?: string;
}

export interface ScenarioResult {
  file: string;
  title: string;
  results: ExpectationResult[];
  error?: string;
}

/** The questions an expectation asks, answered by whichever runner holds the office. */
export interface OfficeProbe {
  owner(phone: string, at: number): Promise<{ is: string; status: string; basis?: string }>;
  /** `names`: the cast's names by phone, as the front desk types them (a masked report must agree with them). */
  judge(input: { phone: string; party: string[]; says: Record<string, unknown>; at: number; names?: Record<string, string> }): Promise<{ receiver: string; owner: string; countsAsTurn: boolean; basis?: string }>;
  deal(id: string): Promise<{ performance: Record<string, number>; commission: Record<string, number>; basis?: string; stage?: string } | undefined>;
  rotation(at: number): Promise<{ next: string; makeups: Record<string, number> }>;
  rejected(name: string): Promise<string | null>;
  report(name: string, at: number): Promise<string | null>;
}

export function staffEvents(s: Scenario): OfficeEvent[] {
  return s.staff.map((m) => ({ id: `staff:${m.id}`, at: s.start, type: 'staff', staff: m.id, name: m.name, team: m.team, role: m.role, agency: m.agency }) as OfficeEvent);
}

function ownerJson(v: OwnerView): { is: string; status: string; basis?: string } {
  const status = v.status === 'none' ? 'none' : v.status;
  return { is: v.owner ?? 'none', status, basis: v.basis?.clause };
}

/** An in-process office: the scenario's events through one Timeline. */
export class LocalOffice implements OfficeProbe {
  readonly timeline: Timeline;
  private readonly byName = new Map<string, string[]>();

  constructor(private readonly scenario: Scenario) {
    let policy;
    try {
      policy = initialPolicy(scenario.preset, scenario.set);
    } catch (e) {
      if (e instanceof PolicyError) throw new ScenarioError(scenario.file, e.field, e.message);
      throw e;
    }
    this.timeline = new Timeline({
      timezone: scenario.timezone,
      policy,
      keepHistory: true,
      resolvePolicy: policyOfEvent,
    });
    for (const e of staffEvents(scenario)) this.timeline.apply(e);
    for (const { event, name } of scenario.events) {
      const list = this.byName.get(name) ?? [];
      list.push(event.id);
      this.byName.set(name, list);
    }
  }

  apply(event: OfficeEvent): void {
    this.timeline.apply(event);
  }

  private get state() {
    return this.timeline.state;
  }

  async owner(phone: string, at: number) {
    return ownerJson(ownerOf(this.state, phone, at));
  }

  async judge(input: { phone: string; party: string[]; says: Record<string, unknown>; at: number; names?: Record<string, string> }) {
    const names = input.names ? new Map(Object.entries(input.names)) : undefined;
    const r = judgeArrival(this.state, { phone: input.phone, party: input.party, says: input.says, at: input.at, names }, this.policyAt(input.at));
    return { receiver: r.receiver ?? 'none', owner: r.owner ?? 'none', countsAsTurn: r.countsAsTurn, basis: r.ownerBasis.clause, receiverBasis: r.receiverBasis.clause };
  }

  private policyAt(at: number) {
    let current = this.state.policies[0]!;
    for (const p of this.state.policies) if (p.effectiveAt <= at) current = p;
    return current;
  }

  async deal(id: string) {
    const d = dealView(this.state, id);
    if (!d) return undefined;
    return { performance: d.performance, commission: d.commission, basis: d.split.performanceBasis.clause, commissionBasis: d.split.commissionBasis.clause, stage: d.deal.stage };
  }

  async rotation(at: number) {
    const r = rotationView(this.state, at);
    return { next: r.next ?? 'none', makeups: r.makeUps };
  }

  private eventIds(name: string): string[] {
    return this.byName.get(name) ?? [];
  }

  async rejected(name: string) {
    for (const id of this.eventIds(name)) {
      const r = this.timeline.rejections.get(id);
      if (r) return r.code;
    }
    return null;
  }

  async report(name: string, at: number) {
    for (const id of this.eventIds(name)) {
      const v = reportView(this.state, id, at, this.timeline.rejections.get(id));
      if (v) return v.status;
    }
    return null;
  }
}

function phoneOfCast(s: Scenario, id: unknown, where: string): string {
  const cast = typeof id === 'string' ? s.customers.get(id) : undefined;
  if (!cast) throw new ScenarioError(s.file, where, `unknown customer ${JSON.stringify(id)}`);
  const phone = normalizePhone(cast.phone);
  if (!phone) throw new ScenarioError(s.file, where, `customer ${String(id)} has no valid phone to ask about`);
  return phone;
}

function sharesMatch(expected: unknown, actual: Record<string, number>): boolean {
  if (typeof expected !== 'object' || expected === null) return false;
  const want = Object.entries(expected as Record<string, unknown>).filter(([, v]) => parseShare(v as number)?.num !== 0);
  const got = Object.entries(actual).filter(([, v]) => v !== 0);
  if (want.length !== got.length) return false;
  for (const [staff, v] of want) {
    const a = actual[staff];
    const w = parseShare(v as number | string);
    if (a === undefined || !w || !sharesEqual(w, parseShare(a)!)) return false;
  }
  return true;
}

export async function checkExpectation(s: Scenario, e: Expectation, probe: OfficeProbe, now: number): Promise<ExpectationResult> {
  const at = e.at ?? now;
  const { index: _i, at: _a, atText, ...shown } = e;
  const expectation = atText ? { ...shown, at: atText } : shown;
  const where = `expect #${e.index}`;
  switch (e.kind) {
    case 'owner': {
      const actual = await probe.owner(phoneOfCast(s, e.customer, `${where}.customer`), at);
      const ok = actual.is === String(e.is) && (e.status === undefined || actual.status === e.status) && (e.basis === undefined || actual.basis === e.basis);
      return { expectation, ok, actual };
    }
    case 'judge': {
      const phone = phoneOfCast(s, e.customer, `${where}.customer`);
      const party = Array.isArray(e.party) ? e.party.map((p, i) => phoneOfCast(s, p, `${where}.party[${i}]`)) : [];
      const says = { ...((e.says as Record<string, unknown> | undefined) ?? {}) };
      if (says.referredBy !== undefined) says.referredBy = { phone: phoneOfCast(s, says.referredBy, `${where}.says.referredBy`) };
      const names: Record<string, string> = {};
      for (const id of [e.customer, ...(Array.isArray(e.party) ? e.party : [])]) {
        const cast = typeof id === 'string' ? s.customers.get(id) : undefined;
        const p = cast && normalizePhone(cast.phone);
        if (p && cast.name) names[p] = cast.name;
      }
      const actual = await probe.judge({ phone, party, says, at, names });
      const ok =
        actual.receiver === String(e.receiver) &&
        actual.owner === String(e.owner) &&
        (e.countsAsTurn === undefined || actual.countsAsTurn === e.countsAsTurn) &&
        (e.basis === undefined || actual.basis === e.basis);
      return { expectation, ok, actual };
    }
    case 'deal': {
      const actual = await probe.deal(String(e.id));
      if (!actual) return { expectation, ok: false, actual: null, message: `no deal ${String(e.id)}` };
      const ok =
        (e.performance === undefined || sharesMatch(e.performance, actual.performance)) &&
        (e.commission === undefined || sharesMatch(e.commission, actual.commission)) &&
        (e.basis === undefined || actual.basis === e.basis) &&
        (e.stage === undefined || actual.stage === e.stage);
      return { expectation, ok, actual };
    }
    case 'rotation': {
      const actual = await probe.rotation(at);
      let ok = actual.next === String(e.next);
      if (e.makeups && typeof e.makeups === 'object') {
        for (const [staff, n] of Object.entries(e.makeups as Record<string, number>)) if ((actual.makeups[staff] ?? 0) !== n) ok = false;
      }
      return { expectation, ok, actual };
    }
    case 'rejected': {
      const code = await probe.rejected(String(e.event));
      return { expectation, ok: code === e.code, actual: { code } };
    }
    case 'report': {
      const status = await probe.report(String(e.id), at);
      return { expectation, ok: status === e.status, actual: { status } };
    }
    default:
      throw new ScenarioError(s.file, `${where}.kind`, `unknown expectation kind ${e.kind}`);
  }
}

/**
 * Replays the timeline, stopping before each event whose time passes an
 * expectation's `at`, so every expectation sees the office as it stood then.
 */
export async function runScenario(s: Scenario, office: { apply(e: OfficeEvent): Promise<void> | void } & OfficeProbe): Promise<ScenarioResult> {
  const timed = s.expectations.filter((e) => e.at !== undefined).sort((a, b) => a.at! - b.at! || a.index - b.index);
  const results = new Map<number, ExpectationResult>();
  let next = 0;
  for (const { event } of s.events) {
    while (next < timed.length && timed[next]!.at! < event.at) {
      const e = timed[next++]!;
      results.set(e.index, await checkExpectation(s, e, office, e.at!));
    }
    await office.apply(event);
  }
  const end = s.events.length ? s.events[s.events.length - 1]!.event.at : s.start;
  while (next < timed.length) {
    const e = timed[next++]!;
    results.set(e.index, await checkExpectation(s, e, office, e.at!));
  }
  for (const e of s.expectations) if (e.at === undefined) results.set(e.index, await checkExpectation(s, e, office, end));
  return { file: s.file, title: s.title, results: s.expectations.map((e) => results.get(e.index)!) };
}

export function describe(e: Record<string, unknown>): string {
  const { kind, note: _n, ...rest } = e;
  return `${String(kind)} ${Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ')}`;
}

export { formatLocalTime };
