// Money in the ledger (佣金台账): what each deal pays each person and each
// channel agency — the deal's price × the commission rate in force on the
// deal's day × the person's exact commission share — and, for a cancelled
// deal (退订/退房), the same amounts reversed on the day of the cancellation.
// Amounts are exact rationals rounded once, half up, to the fen (分); no
// floating point touches money. Pure: the state is only read.
import type { EventOf } from '../events.ts';
import { Rejected } from '../rejection.ts';
import { type Share, share } from '../shares.ts';
import { localDay } from '../time.ts';
import { decide } from './decide.ts';
import { type DealSplit, dealSplit } from './deals.ts';
import { type Basis, type CommissionRates, type Deal, type OfficeState, basis, policyAt } from './state.ts';

/** Yuan as exact decimal text (at most two decimals) → fen. */
export function yuanToFen(text: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not an amount of yuan: ${text}`);
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

/** Fen → yuan with two decimals: `-12345.60`. */
export function fenToYuan(fen: bigint): string {
  const neg = fen < 0n;
  const abs = neg ? -fen : fen;
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** price × rate × share, exact, rounded half up (away from zero) to the fen. */
export function amountFen(priceFen: bigint, rate: Share, part: Share): bigint {
  const num = priceFen * BigInt(rate.num) * BigInt(part.num);
  const den = BigInt(rate.den) * BigInt(part.den);
  return (num * 2n + den) / (den * 2n);
}

/** The commission rates in force at an instant (none before the first settings). */
export function ratesAt(state: OfficeState, at: number): CommissionRates | null {
  let current: CommissionRates | null = null;
  for (const v of state.settings ?? []) {
    if (v.effectiveAt <= at) current = v.commission;
    else break;
  }
  return current;
}

export type Payee = { kind: 'staff'; staff: string; role: string | null; agency: string | null } | { kind: 'agency'; agency: string };

export interface LedgerLine {
  deal: string;
  unit: string | null;
  stage: Deal['stage'];
  /** `credit` on the deal's day; `reversal` on the cancellation's day (negative amounts). */
  kind: 'credit' | 'reversal';
  at: number;
  day: number;
  payee: Payee;
  /** The payee's commission share (1 for an agency's channel commission). */
  share: Share;
  /** The payee's performance share (业绩), when a staff member. */
  performance: Share | null;
  /** The rate applied; null when no rate is set for the payee's role or agency. */
  rate: Share | null;
  price: string | null;
  /** Fen; null when the price or the rate is missing. Negative on a reversal. */
  amountFen: bigint | null;
  basis: Basis;
}

/** The earliest report of an agency that converted one of the deal's buyers before the deal. */
function channelOf(state: OfficeState, deal: Deal): { agency: string; basis: Basis } | null {
  const buyers = new Set(deal.customers);
  let best: { at: number; agency: string; eventId: string; reportId: string } | null = null;
  for (const r of state.reports.values()) {
    const c = r.convertedBy;
    if (!c || !buyers.has(c.phone) || c.at > deal.at) continue;
    const agency = state.staff.get(r.agent)?.agency;
    if (!agency) continue;
    if (!best || c.at < best.at) best = { at: c.at, agency, eventId: c.eventId, reportId: r.id };
  }
  if (!best) return null;
  return { agency: best.agency, basis: basis(policyAt(state, deal.at).clauses.reportConverted, best.reportId, best.eventId, deal.eventIds[0]) };
}

/** The ledger lines of one deal, given its split (credit, and the reversal when cancelled). */
export function dealLines(state: OfficeState, deal: Deal, split: DealSplit = dealSplit(state, deal)): LedgerLine[] {
  const rates = ratesAt(state, deal.at);
  const priceFen = deal.price !== undefined ? yuanToFen(deal.price) : null;
  const credit: LedgerLine[] = [];
  const paidAgencies = new Set<string>();
  const base = { deal: deal.id, unit: deal.unit ?? null, stage: deal.stage, kind: 'credit' as const, at: deal.at, day: deal.day, price: deal.price ?? null };
  const staffIds = [...new Set([...split.commission.keys(), ...split.performance.keys()])].sort();
  for (const id of staffIds) {
    const member = state.staff.get(id);
    const agency = member?.role === 'channel' ? (member.agency ?? null) : null;
    const part = split.commission.get(id) ?? share(0);
    const rate = (agency !== null ? rates?.agencies[agency] : undefined) ?? (member ? rates?.roles[member.role] : undefined) ?? null;
    if (agency !== null && part.num > 0) paidAgencies.add(agency);
    credit.push({
      ...base,
      payee: { kind: 'staff', staff: id, role: member?.role ?? null, agency },
      share: part,
      performance: split.performance.get(id) ?? null,
      rate,
      amountFen: priceFen !== null && rate !== null ? amountFen(priceFen, rate, part) : null,
      basis: split.commission.has(id) ? split.commissionBasis : split.performanceBasis,
    });
  }
  const channel = channelOf(state, deal);
  if (channel && !paidAgencies.has(channel.agency)) {
    const rate = rates?.agencies[channel.agency] ?? rates?.roles.channel ?? null;
    const whole = share(1);
    credit.push({ ...base, payee: { kind: 'agency', agency: channel.agency }, share: whole, performance: null, rate, amountFen: priceFen !== null && rate !== null ? amountFen(priceFen, rate, whole) : null, basis: channel.basis });
  }
  const c = deal.cancelled;
  if (!c) return credit;
  return [...credit, ...credit.map((l): LedgerLine => ({ ...l, kind: 'reversal', at: c.at, day: c.day, amountFen: l.amountFen === null ? null : -l.amountFen, basis: basis(c.basis.clause, ...c.basis.events, ...l.basis.events) }))];
}

/** Every ledger line of the office, deal by deal in the order they were made. */
export function ledgerLines(state: OfficeState): LedgerLine[] {
  return [...state.deals.values()].sort((a, b) => a.at - b.at).flatMap((d) => dealLines(state, d));
}

export type DealPreview = { ok: true; deal: Deal; split: DealSplit; lines: LedgerLine[] } | { ok: false; rejection: Rejected };

/**
 * What recording this deal event would decide — the deal as it would stand,
 * its performance and commission split with their clauses, and the money —
 * without recording anything (as the judge answers for a visit).
 */
export function previewDeal(state: OfficeState, event: EventOf<'deal'>): DealPreview {
  let deal: Deal | undefined;
  try {
    const changes = decide(state, event, { resolvePolicy: () => { throw new Error('a deal resolves no policy'); } });
    for (const ch of changes) if (ch.kind === 'deal') deal = ch.deal;
  } catch (e) {
    if (e instanceof Rejected) return { ok: false, rejection: e };
    throw e;
  }
  if (!deal) throw new Error('a deal event decided no deal');
  const split = dealSplit(state, deal);
  return { ok: true, deal, split, lines: dealLines(state, deal, split) };
}

/** The local month (`YYYY-MM`) of a line, in the project's zone. */
export function monthOf(at: number, timezone: string): string {
  const day = localDay(at, timezone);
  return new Date(day * 86_400_000).toISOString().slice(0, 7);
}
