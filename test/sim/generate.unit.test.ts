import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OfficeEvent, officeEvent } from '../../src/domain/events.ts';
import { normalizePhone, parseMask } from '../../src/domain/phone.ts';
import { DEFAULT_TIMEZONE, localDay, localMinuteOfDay, parseLocalTime } from '../../src/domain/time.ts';
import { decodeWireEvent } from '../../src/domain/wire.ts';
import { type GenerateOptions, PHONE_PREFIXES, generateTimeline, optionsForEvents, permute8, writeTimeline } from '../../src/sim/generate.ts';

const TZ = DEFAULT_TIMEZONE;

function lines(options: GenerateOptions): string[] {
  const out: string[] = [];
  const { events } = writeTimeline(options, (line) => out.push(line));
  expect(events).toBe(out.length);
  return out;
}

function decoded(options: GenerateOptions): OfficeEvent[] {
  return lines(options).map((line, i) => decodeWireEvent(line, i + 1, true));
}

/** Every customer reference on an event. */
function phonesOf(e: OfficeEvent): string[] {
  switch (e.type) {
    case 'visit':
      return [e.customer.phone, ...(e.party ?? []).map((p) => p.phone)];
    case 'relation':
      return [e.a.phone, e.b.phone];
    case 'referral':
      return [e.referrer.phone, e.referred.phone];
    case 'deal':
      return e.customers.map((c) => c.phone);
    case 'call':
    case 'followup':
    case 'outreach':
    case 'report':
    case 'complaint':
    case 'no-contact':
      return [e.customer.phone];
    case 'ruling':
      return e.customer ? [e.customer.phone] : [];
    default:
      return [];
  }
}

const small: GenerateOptions = { customers: 600, days: 28, consultants: 8, seed: 42 };
const eightWeeks: GenerateOptions = { customers: 6000, days: 56, consultants: 12, seed: 7, start: '2025-03-03' };
const dealsHeavy: GenerateOptions = { customers: 40_000, days: 180, consultants: 20, seed: 11 };
let dealsHeavyEvents: OfficeEvent[] | undefined;
/** The larger timeline, generated once for the tests that need volume. */
const heavy = () => (dealsHeavyEvents ??= decoded(dealsHeavy));
const SLOW = { timeout: 60_000 };

describe('generateTimeline', () => {
  it('is deterministic: the same seed gives byte-identical NDJSON', () => {
    const a = lines(small).join('\n');
    const b = lines({ ...small }).join('\n');
    expect(a.length).toBeGreaterThan(10_000);
    expect(b).toBe(a);
  });

  it('a different seed gives a different timeline', () => {
    const a = lines(small);
    const b = lines({ ...small, seed: 43 });
    expect(b.join('\n')).not.toBe(a.join('\n'));
    // Not just different ids: the customers themselves differ.
    const phonesA = new Set(a.flatMap((l) => phonesOf(decodeWireEvent(l, 1, true))));
    const phonesB = b.flatMap((l) => phonesOf(decodeWireEvent(l, 1, true)));
    const shared = phonesB.filter((p) => phonesA.has(p)).length;
    expect(shared / phonesB.length).toBeLessThan(0.05);
  });

  it('events are in non-decreasing time order with unique ids, the policy and cast first', () => {
    const events = decoded(small);
    const ids = new Set<string>();
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      expect(ids.has(e.id), `duplicate id ${e.id}`).toBe(false);
      ids.add(e.id);
      if (i > 0) expect(e.at, `event ${e.id} goes back in time`).toBeGreaterThanOrEqual(events[i - 1]!.at);
    }
    expect(events[0]!.type).toBe('policy');
    expect(events[0]).toMatchObject({ preset: 'standard' });
    const firstOther = events.findIndex((e) => e.type !== 'staff' && e.type !== 'policy');
    const staff = events.slice(1, firstOther);
    expect(staff.every((e) => e.type === 'staff')).toBe(true);
    const roles = staff.map((e) => (e.type === 'staff' ? e.role : ''));
    expect(roles.filter((r) => r === 'consultant')).toHaveLength(8);
    expect(roles.filter((r) => r === 'manager')).toHaveLength(1);
    expect(roles.filter((r) => r === 'frontdesk')).toHaveLength(1);
    expect(roles.filter((r) => r === 'outreach')).toHaveLength(3);
    expect(roles.filter((r) => r === 'channel').length).toBeGreaterThanOrEqual(3);
    expect(new Set(staff.map((e) => (e.type === 'staff' ? e.team : undefined)).filter(Boolean))).toEqual(new Set(['一组', '二组']));
    expect(events[firstOther]!.type).toBe('duty');
  });

  it('every event passes the domain schema after a round trip through the wire', SLOW, () => {
    const text = lines(small);
    const types = new Set<string>();
    for (let i = 0; i < text.length; i++) {
      const raw = decodeWireEvent(text[i]!, i + 1, true);
      const parsed = officeEvent.safeParse(raw);
      expect(parsed.success, `line ${i + 1}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
      // Untrusted decoding (validation included) agrees.
      expect(decodeWireEvent(text[i]!, i + 1, false)).toEqual(parsed.data);
      types.add(raw.type);
    }
    for (const t of ['policy', 'staff', 'duty', 'status', 'visit', 'followup', 'report', 'relation', 'call', 'outreach', 'referral']) {
      expect(types, t).toContain(t);
    }
  });

  it('staff named on events are in the cast, and nobody acts after leaving', SLOW, () => {
    const events = decoded({ customers: 4000, days: 60, consultants: 10, seed: 5 });
    const cast = new Set(events.filter((e) => e.type === 'staff').map((e) => (e.type === 'staff' ? e.staff : '')));
    const leave = events.find((e) => e.type === 'leave');
    expect(leave).toBeDefined();
    const gone = leave!.type === 'leave' ? leave!.staff : '';
    for (const e of events) {
      const acting = [
        'staff' in e && e.type !== 'staff' ? e.staff : undefined,
        e.type === 'visit' ? e.receivedBy : undefined,
        e.type === 'deal' ? e.closedBy : undefined,
        e.type === 'ruling' ? e.by : undefined,
        e.type === 'complaint' ? e.reassignTo : undefined,
        ...(e.type === 'duty' ? e.order : []),
      ].filter((s): s is string => s !== undefined);
      for (const s of acting) {
        expect(cast.has(s), `${e.id} names unknown staff ${s}`).toBe(true);
        if (e.at > leave!.at) expect(s, `${e.id} has ${gone} acting after leaving`).not.toBe(gone);
      }
    }
  });

  it('customer phones are valid, distinct mainland mobiles; masked reports are first 3 + *** + last 5', () => {
    const events = decoded(small);
    const phones = new Set<string>();
    const masked: string[] = [];
    for (const e of events) {
      for (const p of phonesOf(e)) {
        if (p.includes('*')) masked.push(p);
        else phones.add(p);
      }
    }
    expect(phones.size).toBeGreaterThan(0.97 * small.customers);
    expect(phones.size).toBeLessThanOrEqual(small.customers);
    let checked = 0;
    for (const p of phones) {
      expect(p).toMatch(/^1\d{10}$/);
      expect(PHONE_PREFIXES).toContain(p.slice(0, 3));
      if (checked++ % 3 === 0) expect(normalizePhone(p), p).toBe(p);
    }
    for (const m of masked) {
      expect(m).toMatch(/^1\d{2}\*{3}\d{5}$/);
      const mask = parseMask(m)!;
      expect(mask).toBeDefined();
      expect([...phones].some((p) => p.startsWith(mask.prefix) && p.endsWith(mask.suffix))).toBe(true);
    }
  });

  it('customer names are Chinese: 王先生 / 李女士 style and full names', () => {
    const names = decoded(small)
      .filter((e) => e.type === 'visit')
      .map((e) => (e.type === 'visit' ? e.customer.name ?? '' : ''));
    expect(names.every((n) => /^[\u4e00-\u9fff]{2,4}$/.test(n))).toBe(true);
    const titled = names.filter((n) => /(先生|女士)$/.test(n)).length;
    expect(titled / names.length).toBeGreaterThan(0.3);
    expect(titled / names.length).toBeLessThan(0.8);
  });

  it('phone suffixes are a bijection: distinct customers never share a number', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 99_999_000 }), (keys, from) => {
        const seen = new Set<number>();
        for (let i = from; i < from + 1000; i++) {
          const out = permute8(i, keys);
          if (out < 0 || out >= 100_000_000 || !Number.isInteger(out) || seen.has(out)) return false;
          seen.add(out);
        }
        return true;
      }),
      { numRuns: 50 },
    );
  });

  it('weekends are busier than weekdays, arrivals only 09:00–18:30 with late-morning and afternoon peaks', SLOW, () => {
    const events = decoded(eightWeeks);
    const perDay = new Map<number, number>();
    const byHour = new Array<number>(24).fill(0);
    for (const e of events) {
      if (e.type !== 'visit') continue;
      const minute = localMinuteOfDay(e.at, TZ);
      expect(minute, `visit ${e.id} at minute ${minute}`).toBeGreaterThanOrEqual(9 * 60);
      expect(minute).toBeLessThanOrEqual(18 * 60 + 30);
      byHour[Math.floor(minute / 60)]!++;
      const day = localDay(e.at, TZ);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const first = localDay(parseLocalTime('2025-03-03', TZ)!, TZ);
    let weekend = 0;
    let weekendDays = 0;
    let weekday = 0;
    let weekdays = 0;
    // Skip the first and last two weeks (warm-up: no returns yet; tail: returns cut off).
    for (let d = first + 14; d < first + 42; d++) {
      const wd = new Date(d * 86_400_000).getUTCDay();
      const n = perDay.get(d) ?? 0;
      if (wd === 0 || wd === 6) {
        weekend += n;
        weekendDays++;
      } else {
        weekday += n;
        weekdays++;
      }
    }
    const ratio = weekend / weekendDays / (weekday / weekdays);
    expect(ratio).toBeGreaterThan(1.8);
    expect(ratio).toBeLessThan(3.2);
    const peak = byHour[10]! + byHour[11]! + byHour[14]! + byHour[15]! + byHour[16]!;
    const total = byHour.reduce((s, n) => s + n, 0);
    expect(peak / total).toBeGreaterThan(0.55);
    expect(byHour[9]!).toBeLessThan(byHour[10]!);
    expect(byHour[12]!).toBeLessThan(byHour[11]!);
  });

  it('each day has a 09:00 roster that rotates and drops staff who are off', () => {
    const events = decoded(eightWeeks);
    const duties = events.filter((e) => e.type === 'duty');
    expect(duties).toHaveLength(eightWeeks.days);
    const orders = duties.map((e) => (e.type === 'duty' ? e.order : []));
    for (const d of duties) expect(localMinuteOfDay(d.at, TZ)).toBe(9 * 60);
    expect(new Set(orders.map((o) => o[0])).size).toBeGreaterThan(5);
    const short = orders.filter((o) => o.length < eightWeeks.consultants).length;
    expect(short).toBeGreaterThan(10);
    for (const o of orders) expect(new Set(o).size).toBe(o.length);
  });

  it('deposits hold distinct units except a rare contention, and contracts follow their deposit', SLOW, () => {
    const events = heavy();
    const deposits = events.filter((e): e is Extract<OfficeEvent, { type: 'deal' }> => e.type === 'deal' && e.stage === 'deposit');
    const contracts = events.filter((e): e is Extract<OfficeEvent, { type: 'deal' }> => e.type === 'deal' && e.stage === 'contract');
    const dealsWithAVisit = new Set(events.filter((e) => e.type === 'visit').map((e) => (e.type === 'visit' ? e.customer.phone : '')));
    // A few percent of customers buy.
    expect(deposits.length / dealsHeavy.customers).toBeGreaterThan(0.01);
    expect(deposits.length / dealsHeavy.customers).toBeLessThan(0.1);
    const byUnit = new Map<string, string[]>();
    for (const d of deposits) {
      expect(d.unit).toMatch(/^\d+栋\d单元\d{1,2}0[1-4]$/);
      expect(dealsWithAVisit.has(d.customers[0]!.phone)).toBe(true);
      byUnit.set(d.unit!, [...(byUnit.get(d.unit!) ?? []), d.deal]);
    }
    expect(new Set(deposits.map((d) => d.deal)).size).toBe(deposits.length);
    const contended = [...byUnit.values()].filter((ids) => ids.length > 1).length;
    expect(contended).toBeGreaterThan(0);
    expect(contended / deposits.length).toBeLessThan(0.02);
    const depositOf = new Map(deposits.map((d) => [d.deal, d]));
    expect(contracts.length / deposits.length).toBeGreaterThan(0.4);
    for (const c of contracts) {
      const d = depositOf.get(c.deal);
      expect(d, `contract ${c.deal} without a deposit`).toBeDefined();
      expect(c.unit).toBe(d!.unit);
      const days = localDay(c.at, TZ) - localDay(d!.at, TZ);
      expect(days).toBeGreaterThanOrEqual(3);
      expect(days).toBeLessThanOrEqual(10);
    }
  });

  it('channel reports expect the customer 1–5 days later, most arrive within 7 days and some never', SLOW, () => {
    const events = heavy();
    const firstVisit = new Map<string, number>();
    for (const e of events) if (e.type === 'visit' && !firstVisit.has(e.customer.phone)) firstVisit.set(e.customer.phone, e.at);
    let arrived = 0;
    let never = 0;
    let reports = 0;
    const end = events.at(-1)!.at;
    for (const e of events) {
      if (e.type !== 'report' || e.customer.phone.includes('*')) continue;
      const lead = localDay(e.expectedAt!, TZ) - localDay(e.at, TZ);
      expect(lead).toBeGreaterThanOrEqual(1);
      expect(lead).toBeLessThanOrEqual(5);
      if (end - e.at < 20 * 86_400_000) continue;
      reports++;
      const v = firstVisit.get(e.customer.phone);
      if (v === undefined) never++;
      else if (v > e.at && v - e.at <= 7 * 86_400_000) arrived++;
    }
    expect(arrived / reports).toBeGreaterThan(0.6);
    expect(never / reports).toBeGreaterThan(0.05);
    expect(never / reports).toBeLessThan(0.35);
  });

  it('brings roughly 3–6 events per customer over a long period', SLOW, () => {
    const options = optionsForEvents(60_000, 9);
    const { events } = writeTimeline(options, () => {});
    expect(events / options.customers).toBeGreaterThan(3);
    expect(events / options.customers).toBeLessThan(6);
    expect(events).toBeGreaterThan(45_000);
    expect(events).toBeLessThan(75_000);
  });

  it('streams: the first day comes out without drawing the whole period', () => {
    const started = performance.now();
    const it = generateTimeline({ customers: 5_000_000, days: 3650, consultants: 40, seed: 1 });
    let n = 0;
    for (const _ of it) if (++n >= 2000) break;
    expect(n).toBe(2000);
    // Generous for a loaded CI machine; drawing the whole period would take minutes.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('keeps office hours in another time zone, across a daylight-saving change', () => {
    const zone = 'America/New_York';
    const events = decoded({ customers: 300, days: 21, consultants: 6, seed: 3, start: '2025-03-01', timezone: zone });
    const duties = events.filter((e) => e.type === 'duty');
    expect(duties).toHaveLength(21);
    for (const d of duties) expect(localMinuteOfDay(d.at, zone)).toBe(9 * 60);
    // 2025-03-09 moves the clocks: the local days stay consecutive.
    const days = duties.map((d) => localDay(d.at, zone));
    for (let i = 1; i < days.length; i++) expect(days[i]! - days[i - 1]!).toBe(1);
    const text = lines({ customers: 300, days: 21, consultants: 6, seed: 3, start: '2025-03-01', timezone: zone });
    expect(text.some((l) => l.includes('T09:00:00-05:00'))).toBe(true);
    expect(text.some((l) => l.includes('T09:00:00-04:00'))).toBe(true);
  });

  it('rejects nonsense options', () => {
    expect(() => generateTimeline({ customers: -1, days: 10, consultants: 5, seed: 1 })).toThrow(RangeError);
    expect(() => generateTimeline({ customers: 10, days: 10, consultants: 5, seed: 1, start: '2025-02-30' })).toThrow(RangeError);
  });
});
