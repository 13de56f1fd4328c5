// A synthetic but realistic office timeline (`guishu generate`), deterministic
// for a seed: the policy and the cast, then day by day the roster (轮排表),
// presence, phone calls, channel reports (报备), outreach (拓客), referrals
// (老带新), walk-ins and parties, return visits, follow-ups, deposits and
// contracts, and the rare complaint, do-not-call, departure and ruling.
//
// It streams: each day's events are drawn into a small heap and yielded in
// time order before the next day is drawn; what lies ahead (a return visit
// next week, a contract after the deposit) waits in a per-day queue. Memory
// grows with the number of customers (one small record each), never with the
// number of events.
import type { CustomerRef, OfficeEvent, Says } from '../domain/events.ts';
import { encodeWireEvent } from '../domain/wire.ts';
import { DEFAULT_TIMEZONE, formatLocalDate, localDay, localMinuteOfDay, parseLocalTime } from '../domain/time.ts';
import { MinHeap } from './heap.ts';
import {
  AGENCIES,
  CAMPAIGNS,
  OUTREACH_COMPANIES,
  OUTREACH_PLACES,
  RULING_REASONS,
  SECTORS,
  TEAMS,
  type Gender,
  customerName,
  fullName,
} from './names.ts';
import { Random } from './random.ts';

export interface GenerateOptions {
  /** Distinct customers over the whole period (companions, reported and outreach-only customers included). */
  customers: number;
  days: number;
  consultants: number;
  seed: number;
  /** First local date, `YYYY-MM-DD` (default 2025-03-01). */
  start?: string;
  timezone?: string;
  /** Channel agencies (default 3). */
  agencies?: number;
  /** Consultant teams (default 2). */
  teams?: number;
  /** The policy preset of the `policy` event (default `standard`). */
  preset?: string;
}

/** Roughly how many events a customer brings (measured; see `optionsForEvents`). */
export const EVENTS_PER_CUSTOMER = 3.6;

/** Options for a timeline of about `events` events (for benchmarks and `guishu generate --events`). */
export function optionsForEvents(events: number, seed = 1, start?: string): GenerateOptions {
  const customers = Math.max(1, Math.round(events / EVENTS_PER_CUSTOMER));
  // A busy office sees about a hundred new customers a day: larger logs cover longer periods.
  const days = Math.max(28, Math.min(3650, Math.ceil(customers / 100)));
  const perDay = customers / days;
  const consultants = Math.max(6, Math.min(60, Math.round(perDay / 6)));
  return { customers, days, consultants, seed, ...(start ? { start } : {}) };
}

/** Mainland mobile prefixes (号段) used for customers. 154 was never issued and is left out. */
export const PHONE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '176', '177', '178',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '199',
] as const;

const MINUTE = 60_000;
const LOOKAHEAD_DAYS = 12;
const OPEN = 9 * 60; // 09:00, the roster
const ARRIVALS_FROM = 9 * 60 + 5; // first arrivals just after the roster is posted
const ARRIVALS_UNTIL = 18 * 60 + 29; // the last arrivals by 18:30
/** Arrival weights per half hour from 09:00 to 18:00 (morning 10–12 and afternoon 14–17 peaks). */
const HALF_HOUR_WEIGHTS = [0.5, 0.8, 2.2, 2.4, 2.4, 2.0, 1.0, 0.6, 0.8, 1.3, 2.2, 2.4, 2.4, 2.3, 2.1, 1.8, 1.1, 0.8, 0.4];
/** Weekday weights, Sunday first: weekends draw 2–3× a weekday. */
const WEEKDAY_WEIGHTS = [2.3, 1.0, 0.9, 0.9, 1.0, 1.2, 2.7];

interface Consultant {
  id: string;
  name: string;
  team: string;
  left: boolean;
  /** Away (business, personal, busy, sick) until this instant. */
  awayUntil: number;
}

interface Agent {
  id: string;
  agency: string;
}

interface SimCustomer {
  phone: string;
  name: string;
  /** The consultant they were received by (index), or -1. */
  consultant: number;
  /** The consultant who took their call, when the first contact was a call. */
  callStaff: number;
  /** A spouse who came along once (index into customers). */
  partner: number;
}

interface Draft {
  at: number;
  prio: number;
  seq: number;
  run: () => OfficeEvent | undefined;
}

type Build<T extends OfficeEvent['type']> = Omit<Extract<OfficeEvent, { type: T }>, 'id'>;

/** Yields the office's events in non-decreasing `at` order, with ids `e1`, `e2`, … */
export function generateTimeline(options: GenerateOptions): Generator<OfficeEvent> {
  return new Simulation(options).run();
}

/** Encodes the timeline as NDJSON lines (each without its newline) and hands them to `write`. */
export function writeTimeline(options: GenerateOptions, write: (line: string) => void): { events: number } {
  const timezone = options.timezone ?? DEFAULT_TIMEZONE;
  const fixedOffset = timezone === DEFAULT_TIMEZONE ? 480 : undefined;
  let events = 0;
  for (const event of generateTimeline(options)) {
    write(encodeWireEvent(event, fixedOffset ?? offsetOf(event.at, timezone)));
    events++;
  }
  return { events };
}

/** The zone's UTC offset in minutes at a minute-aligned instant (readability only: the wire instant is exact either way). */
function offsetOf(at: number, timezone: string): number {
  const localMinutes = localDay(at, timezone) * 1440 + localMinuteOfDay(at, timezone);
  return localMinutes - Math.floor(at / MINUTE);
}

/**
 * A keyed bijection on 0..10⁸−1 (a four-round Feistel network on two halves of
 * four decimal digits): distinct customers get distinct numbers, with no set
 * of numbers in memory and no visible pattern between neighbours.
 */
export function permute8(n: number, keys: readonly number[]): number {
  let l = Math.floor(n / 10_000);
  let r = n % 10_000;
  for (const key of keys) {
    let h = Math.imul(r ^ key, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
    h ^= h >>> 13;
    const next = (l + ((h >>> 0) % 10_000)) % 10_000;
    l = r;
    r = next;
  }
  return l * 10_000 + r;
}

function validate(options: GenerateOptions): void {
  const positive = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${v}`);
  };
  positive('customers', options.customers, 0);
  positive('days', options.days, 1);
  positive('consultants', options.consultants, 2);
  if (!Number.isFinite(options.seed)) throw new RangeError(`seed must be a number, got ${options.seed}`);
  if (options.agencies !== undefined) positive('agencies', options.agencies, 0);
  if (options.teams !== undefined) positive('teams', options.teams, 1);
  if (options.customers >= 100_000_000) throw new RangeError('at most 99,999,999 customers');
}

class Simulation {
  private readonly rng: Random;
  private readonly timezone: string;
  private readonly days: number;
  private readonly firstDay: number;
  private readonly preset: string;

  private readonly consultants: Consultant[] = [];
  private readonly agents: Agent[] = [];
  private readonly outreachAgents: Agent[] = [];
  private readonly managerId = 'jl01';
  private readonly frontdeskId = 'qt01';

  private readonly customers: SimCustomer[] = [];
  /** Customers who have visited (indices), for referrals. */
  private readonly visited: number[] = [];
  /** Round keys of the Feistel permutation that turns a customer's index into the last eight digits of their phone. */
  private readonly phoneKeys: number[];

  /** Customers whose first visit (or planned first contact) falls on each day. */
  private readonly arrivalsPerDay: number[];
  private readonly campaignDays = new Set<number>();
  private readonly leaveDay: number;
  private readonly leaving: number;

  private day = 0;
  private heap = new MinHeap<Draft>();
  private readonly pending = new Map<number, Draft[]>();
  private readonly dayBase = new Map<number, number>();
  private seq = 0;
  private nextEvent = 0;
  private planned = 0;

  private roster: number[] = [];
  private pointer = 0;

  private dealSeq = 0;
  private readonly unitsTaken = new Set<string>();
  private readonly recentUnits: string[] = [];
  private readonly buildings: number;

  constructor(private readonly options: GenerateOptions) {
    validate(options);
    this.rng = new Random(options.seed);
    this.timezone = options.timezone ?? DEFAULT_TIMEZONE;
    this.days = options.days;
    this.preset = options.preset ?? 'standard';
    const start = options.start ?? '2025-03-01';
    const startMs = parseLocalTime(start, this.timezone);
    if (startMs === undefined) throw new RangeError(`start is not a local date: ${start}`);
    this.firstDay = localDay(startMs, this.timezone);

    this.phoneKeys = [this.rng.u32(), this.rng.u32(), this.rng.u32(), this.rng.u32()];

    this.castStaff(options);
    this.arrivalsPerDay = this.spreadArrivals();
    // 4 units × 30 floors × 2 entrances per building; enough buildings that a deposit rarely lands on a taken unit by chance.
    this.buildings = Math.max(6, Math.ceil((options.customers * 0.06) / 240) * 2);
    if (options.days >= 14 && options.consultants >= 3) {
      this.leaveDay = Math.min(options.days - 2, Math.floor(options.days * 0.8) + this.rng.int(0, Math.floor(options.days * 0.1)));
      this.leaving = this.rng.int(0, options.consultants - 1);
    } else {
      this.leaveDay = -1;
      this.leaving = -1;
    }
  }

  // ---- the cast -------------------------------------------------------------------------------

  private castStaff(options: GenerateOptions): void {
    const teams = Math.min(options.teams ?? 2, TEAMS.length, options.consultants);
    const used = new Set<string>();
    const uniqueName = (gender: Gender) => {
      for (let i = 0; i < 50; i++) {
        const n = fullName(this.rng, gender);
        if (!used.has(n)) {
          used.add(n);
          return n;
        }
      }
      const n = `${fullName(this.rng, gender)}${used.size}`;
      used.add(n);
      return n;
    };
    const gender = (): Gender => (this.rng.chance(0.55) ? 'f' : 'm');
    for (let i = 0; i < options.consultants; i++) {
      this.consultants.push({
        id: `gw${String(i + 1).padStart(2, '0')}`,
        name: uniqueName(gender()),
        team: TEAMS[i % teams]!,
        left: false,
        awayUntil: 0,
      });
    }
    this.staffNames.set(this.managerId, uniqueName(gender()));
    this.staffNames.set(this.frontdeskId, uniqueName('f'));
    const agencies = options.agencies ?? 3;
    const agencyNames = this.rng.shuffle([...AGENCIES]);
    for (let g = 0; g < agencies; g++) {
      const agency = agencyNames[g % agencyNames.length]! + (g >= agencyNames.length ? `${Math.floor(g / agencyNames.length) + 1}店` : '');
      const perAgency = this.rng.int(1, 2);
      for (let j = 0; j < perAgency; j++) {
        const id = `qd${g + 1}-${j + 1}`;
        this.agents.push({ id, agency });
        this.staffNames.set(id, uniqueName(gender()));
      }
      const id = `tk${g + 1}`;
      this.outreachAgents.push({ id, agency });
      this.staffNames.set(id, uniqueName(gender()));
    }
  }

  private readonly staffNames = new Map<string, string>();

  private castEvents(at: number): void {
    this.push(at, 0, () => this.ev<'policy'>({ at, type: 'policy', preset: this.preset }));
    this.push(at, 0, () => this.ev<'staff'>({ at, type: 'staff', staff: this.managerId, name: this.staffNames.get(this.managerId)!, role: 'manager' }));
    this.push(at, 0, () => this.ev<'staff'>({ at, type: 'staff', staff: this.frontdeskId, name: this.staffNames.get(this.frontdeskId)!, role: 'frontdesk' }));
    for (const c of this.consultants) {
      this.push(at, 0, () => this.ev<'staff'>({ at, type: 'staff', staff: c.id, name: c.name, team: c.team, role: 'consultant' }));
    }
    for (const a of this.agents) {
      this.push(at, 0, () => this.ev<'staff'>({ at, type: 'staff', staff: a.id, name: this.staffNames.get(a.id)!, role: 'channel', agency: a.agency }));
    }
    for (const a of this.outreachAgents) {
      this.push(at, 0, () => this.ev<'staff'>({ at, type: 'staff', staff: a.id, name: this.staffNames.get(a.id)!, role: 'outreach', agency: a.agency }));
    }
  }

  // ---- time -----------------------------------------------------------------------------------

  private weekday(day: number): number {
    return new Date((this.firstDay + day) * 86_400_000).getUTCDay();
  }

  /** The instant of a local wall-clock minute on a day of the period (09:00 is looked up in the zone, once per day). */
  private time(day: number, minuteOfDay: number): number {
    let base = this.dayBase.get(day);
    if (base === undefined) {
      const date = formatLocalDate(this.firstDay + day);
      base = parseLocalTime(`${date} 09:00`, this.timezone);
      if (base === undefined) throw new Error(`no 09:00 on ${date} in ${this.timezone}`);
      this.dayBase.set(day, base);
    }
    return base + (minuteOfDay - OPEN) * MINUTE;
  }

  private arrivalMinute(): number {
    for (;;) {
      const slot = this.rng.weighted(HALF_HOUR_WEIGHTS);
      const m = OPEN + slot * 30 + this.rng.int(0, 29);
      if (m >= ARRIVALS_FROM && m <= ARRIVALS_UNTIL) return m;
    }
  }

  /** Customers per day: weekday and campaign weights with some day-to-day noise, rounded so they sum exactly. */
  private spreadArrivals(): number[] {
    const weights: number[] = [];
    for (let d = 0; d < this.days; d++) {
      const wd = this.weekday(d);
      // About one campaign a month, on a weekend.
      if ((wd === 6 || wd === 0) && d >= 5 && this.rng.chance(0.12)) this.campaignDays.add(d);
      const w = WEEKDAY_WEIGHTS[wd]! * (this.campaignDays.has(d) ? 1.5 : 1) * (0.85 + 0.3 * this.rng.next());
      weights.push(w);
    }
    const total = weights.reduce((s, w) => s + w, 0);
    const out: number[] = [];
    let cum = 0;
    let given = 0;
    for (const w of weights) {
      cum += w;
      const upTo = Math.round((this.options.customers * cum) / total);
      out.push(upTo - given);
      given = upTo;
    }
    return out;
  }

  // ---- scheduling -----------------------------------------------------------------------------

  private push(at: number, prio: number, run: () => OfficeEvent | undefined): void {
    this.heap.push({ at, prio, seq: this.seq++, run });
  }

  /** Schedules a draft on a day of the period (dropped past its end). */
  private schedule(day: number, minuteOfDay: number, run: () => OfficeEvent | undefined, prio = 2): void {
    if (day >= this.days) return;
    if (day < this.day) throw new Error(`scheduling in the past: day ${day} < ${this.day}`);
    const at = this.time(day, minuteOfDay);
    const draft: Draft = { at, prio, seq: this.seq++, run };
    if (day === this.day) this.heap.push(draft);
    else {
      let list = this.pending.get(day);
      if (!list) this.pending.set(day, (list = []));
      list.push(draft);
    }
  }

  private ev<T extends OfficeEvent['type']>(body: Build<T>): OfficeEvent {
    return { id: '', ...body } as unknown as OfficeEvent;
  }

  // ---- the run --------------------------------------------------------------------------------

  *run(): Generator<OfficeEvent> {
    for (let d = 0; d < this.days; d++) {
      this.day = d;
      this.heap = new MinHeap<Draft>();
      for (const draft of this.pending.get(d) ?? []) this.heap.push(draft);
      this.pending.delete(d);
      this.dayBase.delete(d - 1);

      if (d === 0) this.castEvents(this.time(0, 8 * 60));
      this.startDay(d);
      while (this.planned < this.days && this.planned <= d + LOOKAHEAD_DAYS) this.plan(this.planned++);

      for (let draft = this.heap.pop(); draft; draft = this.heap.pop()) {
        const event = draft.run();
        if (!event) continue;
        event.id = `e${++this.nextEvent}`;
        yield event;
      }
    }
  }

  private active(k: number): boolean {
    return k >= 0 && !this.consultants[k]!.left;
  }

  private available(k: number, at: number): boolean {
    return this.active(k) && this.consultants[k]!.awayUntil <= at && this.roster.includes(k);
  }

  /** Who the front desk would call up next by the roster (the generator's guess; the engine decides). */
  private nextInRotation(at: number): number {
    const n = this.roster.length;
    for (let i = 0; i < n; i++) {
      const k = this.roster[(this.pointer + i) % n]!;
      if (this.consultants[k]!.awayUntil <= at && !this.consultants[k]!.left) {
        this.pointer = (this.pointer + i + 1) % n;
        return k;
      }
    }
    return this.roster[this.pointer % Math.max(1, n)] ?? -1;
  }

  private anyActiveConsultant(except = -1): number {
    const candidates: number[] = [];
    for (let k = 0; k < this.consultants.length; k++) if (k !== except && this.active(k)) candidates.push(k);
    return candidates.length ? this.rng.pick(candidates) : -1;
  }

  /** The roster, presence changes, a campaign, a departure. */
  private startDay(d: number): void {
    const wd = this.weekday(d);
    const weekend = wd === 0 || wd === 6;
    const activeIds: number[] = [];
    for (let k = 0; k < this.consultants.length; k++) if (!this.consultants[k]!.left) activeIds.push(k);
    const n = activeIds.length;
    const rotated = activeIds.map((_, i) => activeIds[(i + d) % n]!);
    const off = new Set<number>();
    if (!weekend && n >= 4 && this.rng.chance(0.7)) {
      const count = n >= 6 && this.rng.chance(0.35) ? 2 : 1;
      while (off.size < count) off.add(this.rng.pick(activeIds));
    }
    this.roster = rotated.filter((k) => !off.has(k));
    // The queue carries on from yesterday's position (relative to the new order).
    this.pointer = this.roster.length ? this.pointer % this.roster.length : 0;
    for (const c of this.consultants) c.awayUntil = 0;
    const rosterIds = this.roster.map((k) => this.consultants[k]!.id);
    const dutyAt = this.time(d, OPEN);
    this.push(dutyAt, 0, () => this.ev<'duty'>({ at: dutyAt, type: 'duty', order: rosterIds }));

    for (const k of this.roster) {
      const r = this.rng.next();
      if (r < 0.06) this.away(d, k, 'away-business', this.rng.int(600, 840), this.rng.int(60, 180));
      else if (r < 0.1) this.away(d, k, 'away-personal', this.rng.int(600, 960), this.rng.int(30, 90));
      else if (r < 0.18) this.away(d, k, 'busy', this.rng.int(600, 1000), this.rng.int(30, 90));
      else if (r < 0.19) this.away(d, k, 'sick', OPEN, 18 * 60 + 30 - OPEN);
    }

    if (this.campaignDays.has(d)) {
      const from = this.time(d, 9 * 60 + 30);
      const until = this.time(d, 17 * 60 + 30);
      const name = this.rng.pick(CAMPAIGNS);
      this.push(from, 1, () => this.ev<'campaign'>({ at: from, type: 'campaign', until, name }));
    }

    if (d === this.leaveDay && this.active(this.leaving)) {
      const k = this.leaving;
      this.schedule(d, 18 * 60 + 40, () => {
        this.consultants[k]!.left = true;
        return this.ev<'leave'>({ at: this.time(d, 18 * 60 + 40), type: 'leave', staff: this.consultants[k]!.id });
      });
    }
  }

  private away(d: number, k: number, state: 'away-business' | 'away-personal' | 'busy' | 'sick', from: number, minutes: number): void {
    const c = this.consultants[k]!;
    const at = this.time(d, from);
    const until = this.time(d, from + minutes);
    this.push(at, 1, () => {
      c.awayUntil = until;
      return this.ev<'status'>({ at, type: 'status', staff: c.id, state, until });
    });
    if (state !== 'sick') {
      this.push(until, 1, () => (c.left ? undefined : this.ev<'status'>({ at: until, type: 'status', staff: c.id, state: 'present' })));
    }
  }

  // ---- customers ------------------------------------------------------------------------------

  private newCustomer(gender: Gender = this.rng.chance(0.5) ? 'm' : 'f'): number {
    const i = this.customers.length;
    const suffix = permute8(i, this.phoneKeys);
    const phone = this.rng.pick(PHONE_PREFIXES) + String(suffix).padStart(8, '0');
    this.customers.push({ phone, name: customerName(this.rng, gender), consultant: -1, callStaff: -1, partner: -1 });
    return i;
  }

  private ref(i: number): CustomerRef {
    const c = this.customers[i]!;
    return { phone: c.phone, name: c.name };
  }

  /** Plans the customers whose first visit falls on day v, with whatever comes before it. */
  private plan(v: number): void {
    let remaining = this.arrivalsPerDay[v] ?? 0;
    while (remaining > 0) {
      const minute = this.arrivalMinute();
      const r = this.rng.next();
      const lead = (max: number) => {
        const p = v - this.rng.int(1, max);
        return p >= this.day ? p : -1;
      };
      if (r < 0.1 && remaining >= 2) {
        remaining -= this.planParty(v, minute, Math.min(remaining, this.rng.chance(0.7) ? 2 : 3));
      } else if (r < 0.16 && this.visited.length > 0) {
        this.planReferral(v, minute);
        remaining--;
      } else if (r < 0.3) {
        const p = this.rng.chance(0.92) ? lead(7) : v - this.rng.int(8, 12);
        if (p >= this.day) this.planReport(v, minute, p);
        else this.planWalkIn(v, minute);
        remaining--;
      } else if (r < 0.36) {
        const p = lead(10);
        if (p >= 0) this.planOutreach(v, minute, p);
        else this.planWalkIn(v, minute);
        remaining--;
      } else if (r < 0.48) {
        const p = lead(6);
        if (p >= 0) this.planCall(v, minute, p);
        else this.planWalkIn(v, minute);
        remaining--;
      } else {
        this.planWalkIn(v, minute);
        remaining--;
      }
    }
  }

  private planWalkIn(v: number, minute: number): void {
    const i = this.newCustomer();
    const r = this.rng.next();
    const says: Says | undefined = r < 0.85 ? { firstVisit: true } : r < 0.9 ? { firstVisit: true, flyer: true } : undefined;
    this.firstVisit(v, minute, i, says);
  }

  private planParty(v: number, minute: number, size: number): number {
    const main = this.newCustomer();
    const mainGender: Gender = this.rng.chance(0.6) ? 'm' : 'f';
    this.customers[main]!.name = customerName(this.rng, mainGender);
    const companions: number[] = [];
    const spouse = this.newCustomer(mainGender === 'm' ? 'f' : 'm');
    this.customers[main]!.partner = spouse;
    companions.push(spouse);
    const sm = minute - this.rng.int(2, 3);
    this.schedule(v, sm, () => this.ev<'relation'>({ at: this.time(v, sm), type: 'relation', a: this.ref(spouse), b: this.ref(main), kind: 'spouse' }));
    if (size >= 3) {
      const elder = this.newCustomer();
      companions.push(elder);
      const kind = this.rng.chance(0.7) ? 'parent' : 'child';
      this.schedule(v, minute - 1, () => this.ev<'relation'>({ at: this.time(v, minute - 1), type: 'relation', a: this.ref(elder), b: this.ref(main), kind }));
    }
    this.firstVisit(v, minute, main, { firstVisit: true }, { party: companions });
    return 1 + companions.length;
  }

  private planReferral(v: number, minute: number): void {
    const referrer = this.rng.pick(this.visited);
    const i = this.newCustomer();
    const accompanied = this.rng.chance(0.4);
    const lag = this.rng.int(0, 3);
    const p = Math.max(this.day, v - lag);
    const m = p === v ? Math.max(OPEN + 1, minute - this.rng.int(5, 40)) : this.rng.int(600, 1200);
    let named = -1;
    this.schedule(p, m, () => {
      const owner = this.customers[referrer]!.consultant;
      named = this.active(owner) && this.rng.chance(0.5) ? owner : -1;
      return this.ev<'referral'>({
        at: this.time(p, m),
        type: 'referral',
        referrer: this.ref(referrer),
        referred: this.ref(i),
        ...(named >= 0 ? { consultant: this.consultants[named]!.id } : {}),
        ...(accompanied ? { accompanied: true } : {}),
      });
    });
    this.firstVisit(v, minute, i, { firstVisit: true, referredBy: this.ref(referrer) }, {
      ...(accompanied ? { party: [referrer] } : {}),
      preferred: () => named,
    });
  }

  private planReport(v: number, minute: number, p: number): void {
    const i = this.newCustomer();
    const agent = this.rng.pick(this.agents.length ? this.agents : [{ id: this.frontdeskId, agency: '' }]);
    const m = this.rng.int(570, 1260);
    const expectedDay = p + Math.min(5, Math.max(1, v - p + this.rng.int(-1, 1)));
    const expectedMinute = this.rng.pick([600, 630, 660, 840, 870, 900, 930]);
    const masked = this.rng.chance(0.05);
    const arrives = this.rng.chance(0.8);
    const report = (by: Agent, day: number, minute: number) => () => {
      const c = this.customers[i]!;
      const customer: CustomerRef = masked ? { phone: `${c.phone.slice(0, 3)}***${c.phone.slice(6)}`, name: c.name } : { phone: c.phone, name: c.name };
      const expectedAt = this.time(Math.max(expectedDay, day + 1), expectedMinute);
      return this.ev<'report'>({ at: this.time(day, minute), type: 'report', customer, staff: by.id, expectedAt });
    };
    this.schedule(p, m, report(agent, p, m));
    // Now and then a second agency reports the same customer (a duplicate report).
    const others = this.agents.filter((a) => a.agency !== agent.agency);
    if (others.length > 0 && this.rng.chance(0.04)) {
      const dm = this.rng.int(570, 1260);
      this.schedule(p + 1, dm, report(this.rng.pick(others), p + 1, dm));
    }
    if (arrives) this.firstVisit(v, minute, i, this.rng.chance(0.8) ? { firstVisit: true } : undefined);
  }

  private planOutreach(v: number, minute: number, p: number): void {
    const i = this.newCustomer();
    const agent = this.rng.pick(this.outreachAgents.length ? this.outreachAgents : [{ id: this.frontdeskId, agency: '' }]);
    const m = this.rng.int(600, 1140);
    const atWork = this.rng.chance(0.5);
    const place = this.rng.pick(OUTREACH_PLACES);
    const company = this.rng.pick(OUTREACH_COMPANIES);
    const sector = this.rng.pick(SECTORS);
    this.schedule(p, m, () =>
      this.ev<'outreach'>({ at: this.time(p, m), type: 'outreach', customer: this.ref(i), staff: agent.id, place, ...(atWork ? { company, sector } : {}) }),
    );
    if (this.rng.chance(0.6)) this.firstVisit(v, minute, i, { firstVisit: true });
  }

  private planCall(v: number, minute: number, p: number): void {
    const i = this.newCustomer();
    const m = this.rng.int(570, 1200);
    const withAppointment = this.rng.chance(0.35);
    this.schedule(p, m, () => {
      const at = this.time(p, m);
      const staff = this.roster.length ? this.nextAvailable(at) : -1;
      if (staff < 0) return undefined;
      this.customers[i]!.callStaff = staff;
      return this.ev<'call'>({
        at,
        type: 'call',
        customer: this.ref(i),
        staff: this.consultants[staff]!.id,
        direction: 'in',
        ...(withAppointment ? { appointment: this.time(v, minute) } : {}),
      });
    });
    if (!this.rng.chance(0.9)) return; // never came
    const namesCaller = this.rng.chance(0.5);
    this.firstVisit(v, minute, i, undefined, {
      preferred: () => (namesCaller ? this.customers[i]!.callStaff : -1),
      namesPreferred: namesCaller,
    });
  }

  /** Any consultant on the roster who is in right now (the one who picks up the phone). */
  private nextAvailable(at: number): number {
    const candidates = this.roster.filter((k) => this.consultants[k]!.awayUntil <= at && !this.consultants[k]!.left);
    return candidates.length ? this.rng.pick(candidates) : -1;
  }

  private firstVisit(
    v: number,
    minute: number,
    i: number,
    says: Says | undefined,
    extra: { party?: number[]; preferred?: () => number; namesPreferred?: boolean } = {},
  ): void {
    this.schedule(v, minute, () => {
      const at = this.time(v, minute);
      const preferred = extra.preferred?.() ?? -1;
      const receiver = preferred >= 0 && this.available(preferred, at) ? preferred : this.nextInRotation(at);
      const c = this.customers[i]!;
      c.consultant = receiver;
      for (const j of extra.party ?? []) if (this.customers[j]!.consultant < 0) this.customers[j]!.consultant = receiver;
      this.visited.push(i);
      const told: Says | undefined =
        extra.namesPreferred && preferred >= 0 ? { ...(says ?? { firstVisit: true }), consultant: this.consultants[preferred]!.id } : says;
      const explicit = receiver >= 0 && this.rng.chance(0.1);
      const deposit = this.rng.chance(0.005);
      this.afterFirstVisit(i, v, at, deposit);
      return this.ev<'visit'>({
        at,
        type: 'visit',
        customer: this.ref(i),
        ...(extra.party?.length ? { party: extra.party.map((j) => this.ref(j)) } : {}),
        ...(explicit ? { receivedBy: this.consultants[receiver]!.id } : {}),
        ...(told ? { says: told } : {}),
      });
    });
  }

  private afterFirstVisit(i: number, v: number, at: number, deposit: boolean): void {
    const followups = this.rng.weighted([0.1, 0.25, 0.3, 0.2, 0.15]);
    for (let f = 0; f < followups; f++) this.planFollowup(i, v + this.rng.int(1, 14));
    if (this.rng.chance(0.45)) this.planReturn(i, v + this.rng.int(2, 20));
    if (deposit) this.sameDay(at + this.rng.int(60, 150) * MINUTE, (t) => this.deposit(i, t));
  }

  /** A draft later the same day; past 21:00 it is pulled back to 21:00 (every event that spawns one is earlier). */
  private sameDay(at: number, run: (at: number) => OfficeEvent | undefined): void {
    const t = Math.min(at, this.time(this.day, 21 * 60));
    this.push(t, 2, () => run(t));
  }

  private planFollowup(i: number, day: number): void {
    const m = this.rng.int(570, 1230);
    this.schedule(day, m, () => {
      const c = this.customers[i]!;
      if (!this.active(c.consultant)) return undefined;
      const at = this.time(day, m);
      if (this.rng.chance(0.005)) {
        const forAMonth = this.rng.chance(0.5);
        return this.ev<'no-contact'>({ at, type: 'no-contact', customer: this.ref(i), ...(forAMonth ? { until: at + 30 * 86_400_000 } : {}) });
      }
      const r = this.rng.next();
      const via = r < 0.55 ? 'phone' : r < 0.95 ? 'wechat' : 'sms';
      return this.ev<'followup'>({ at, type: 'followup', customer: this.ref(i), staff: this.consultants[c.consultant]!.id, via, effective: true });
    });
  }

  private planReturn(i: number, day: number): void {
    const minute = this.arrivalMinute();
    const deal = this.rng.chance(0.11);
    this.schedule(day, minute, () => {
      const at = this.time(day, minute);
      const c = this.customers[i]!;
      const k = c.consultant;
      const r = this.rng.next();
      let says: Says | undefined;
      if (r < 0.45 && k >= 0) says = { firstVisit: false, consultant: this.consultants[k]!.id };
      else if (r < 0.7) says = { firstVisit: false };
      else if (r < 0.75) says = { firstVisit: false, consultant: 'unknown' };
      const receivedBy = this.available(k, at) && this.rng.chance(0.5) ? k : -1;
      const withPartner = c.partner >= 0 && this.rng.chance(0.3);
      if (deal) this.sameDay(at + this.rng.int(40, 120) * MINUTE, (t) => this.deposit(i, t));
      if (this.rng.chance(0.2)) this.planReturn(i, day + this.rng.int(3, 25));
      if (this.rng.chance(0.006)) this.planComplaint(i, day + this.rng.int(0, 3));
      if (this.rng.chance(0.004)) this.planRuling(i, day);
      return this.ev<'visit'>({
        at,
        type: 'visit',
        customer: this.ref(i),
        ...(withPartner ? { party: [this.ref(c.partner)] } : {}),
        ...(receivedBy >= 0 ? { receivedBy: this.consultants[receivedBy]!.id } : {}),
        ...(says ? { says } : {}),
        ...(deal ? { purpose: 'deposit' as const } : {}),
      });
    });
  }

  private planComplaint(i: number, day: number): void {
    const m = this.rng.int(600, 1080);
    this.schedule(day, m, () => {
      const c = this.customers[i]!;
      const k = c.consultant;
      if (!this.active(k)) return undefined;
      const to = this.rng.chance(0.5) ? this.anyActiveConsultant(k) : -1;
      if (to >= 0) c.consultant = to;
      return this.ev<'complaint'>({
        at: this.time(day, m),
        type: 'complaint',
        customer: this.ref(i),
        against: this.consultants[k]!.id,
        fault: this.rng.chance(0.8) ? 'service' : 'other',
        ...(to >= 0 ? { reassignTo: this.consultants[to]!.id } : {}),
      });
    });
  }

  private planRuling(i: number, day: number): void {
    const m = 18 * 60 + 45;
    this.schedule(day, m, () => {
      const c = this.customers[i]!;
      const owner = this.active(c.consultant) ? c.consultant : this.anyActiveConsultant();
      if (owner < 0) return undefined;
      c.consultant = owner;
      return this.ev<'ruling'>({
        at: this.time(day, m),
        type: 'ruling',
        customer: this.ref(i),
        owner: this.consultants[owner]!.id,
        by: this.managerId,
        reason: this.rng.pick(RULING_REASONS),
      });
    });
  }

  // ---- deals ----------------------------------------------------------------------------------

  private unitName(n: number): string {
    const room = (n % 4) + 1;
    const floor = (Math.floor(n / 4) % 30) + 2;
    const entrance = (Math.floor(n / 120) % 2) + 1;
    const building = Math.floor(n / 240) + 1;
    return `${building}栋${entrance}单元${floor}${String(room).padStart(2, '0')}`;
  }

  private allocateUnit(): { unit: string; contention: boolean } {
    if (this.recentUnits.length > 0 && this.rng.chance(0.006)) return { unit: this.rng.pick(this.recentUnits), contention: true };
    const space = this.buildings * 240;
    let n = this.rng.int(0, space - 1);
    for (let tries = 0; tries < 20 && this.unitsTaken.has(this.unitName(n)); tries++) n = this.rng.int(0, space - 1);
    // A crowded sales table: take the next free unit up (new buildings open past the last one).
    while (this.unitsTaken.has(this.unitName(n))) n++;
    const unit = this.unitName(n);
    this.unitsTaken.add(unit);
    this.recentUnits.push(unit);
    if (this.recentUnits.length > 50) this.recentUnits.shift();
    return { unit, contention: false };
  }

  private deposit(i: number, at: number): OfficeEvent | undefined {
    const c = this.customers[i]!;
    const closer = this.active(c.consultant) && this.rng.chance(0.9) ? c.consultant : this.anyActiveConsultant();
    if (closer < 0) return undefined;
    const { unit, contention } = this.allocateUnit();
    const deal = `d${++this.dealSeq}`;
    const buyers = [this.ref(i)];
    if (c.partner >= 0 && this.rng.chance(0.6)) buyers.push(this.ref(c.partner));
    if (!contention && this.rng.chance(0.7)) {
      const day = this.day + this.rng.int(3, 10);
      const m = this.rng.int(600, 1020);
      this.schedule(day, m, () => {
        const signer = this.active(c.consultant) ? c.consultant : this.active(closer) ? closer : this.anyActiveConsultant();
        if (signer < 0) return undefined;
        return this.ev<'visit'>({
          at: this.time(day, m),
          type: 'visit',
          customer: this.ref(i),
          receivedBy: this.consultants[signer]!.id,
          says: { firstVisit: false, consultant: this.consultants[signer]!.id },
          purpose: 'sign',
        });
      });
      const cm = m + this.rng.int(30, 90);
      this.schedule(day, cm, () => {
        const signer = this.active(closer) ? closer : this.active(c.consultant) ? c.consultant : this.anyActiveConsultant();
        if (signer < 0) return undefined;
        return this.ev<'deal'>({ at: this.time(day, cm), type: 'deal', deal, customers: buyers, closedBy: this.consultants[signer]!.id, stage: 'contract', unit });
      });
    }
    return this.ev<'deal'>({ at, type: 'deal', deal, customers: buyers, closedBy: this.consultants[closer]!.id, stage: 'deposit', unit });
  }
}
