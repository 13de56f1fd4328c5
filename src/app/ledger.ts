// Deals and money (认购/签约/退订, 佣金台账, 结佣单) over the app: a deal
// previewed before it is recorded (the engine's decision on a proposed deal,
// recording nothing), recorded as a `deal` event, cancelled; the commission
// rates (a `settings` event); the ledger with amounts per person and per
// channel agency, and a month's statement. Reads go through GuishuApp.query
// (the engine state, read-only); writes through GuishuApp.recordEvent.
import { randomUUID } from 'node:crypto';
import type { Deal, OfficeState } from '../domain/engine/state.ts';
import { type LedgerLine as EngineLine, dealLines, fenToYuan, monthOf, previewDeal } from '../domain/engine/ledger.ts';
import { dealSplit } from '../domain/engine/deals.ts';
import { ownerView } from '../domain/engine/ownership.ts';
import { type CustomerRef, type EventOf, officeEvent } from '../domain/events.ts';
import { normalizePhone } from '../domain/phone.ts';
import { type Share, shareToNumber } from '../domain/shares.ts';
import { formatLocalTime } from '../domain/time.ts';
import { clauseText } from './clauses.ts';
import { codeForField, InvalidInputError, NotFoundError } from './errors.ts';
import type { ActingContext, GuishuApp, RecordResult } from './office.ts';
import type { Basis, CommissionRates, DealMoney, DealPreview, LedgerAnswer, LedgerLine, LedgerTotals } from '../shared/api-answers.ts';

// The answers' types are shared with the web app (src/shared/api-answers.ts).
export type LineJson = LedgerLine;

export interface DealInput {
  /** The deal's id; a new one is made when absent. */
  deal?: string;
  /** The event id (idempotency); a new one when absent. */
  id?: string;
  customers: CustomerRef[];
  closedBy: string;
  stage: 'deposit' | 'contract' | 'cancel';
  unit?: string;
  price?: string;
  reason?: string;
  at?: number;
  lateReason?: string;
}

const fraction = (s: Share) => (s.den === 1 ? String(s.num) : `${s.num}/${s.den}`);
/** A rate as a percentage with up to four decimals, exact when it can be (0.3%). */
function percent(s: Share): string {
  const v = (s.num * 100) / s.den;
  return `${Number(v.toFixed(4))}%`;
}

function basisJson(b: { clause: string; events: readonly string[] }): Basis {
  return { clause: b.clause, events: [...b.events], text: clauseText(b.clause) };
}

function lineJson(l: EngineLine, tz: string): LedgerLine {
  return {
    deal: l.deal,
    unit: l.unit,
    kind: l.kind,
    at: new Date(l.at).toISOString(),
    local: formatLocalTime(l.at, tz),
    month: monthOf(l.at, tz),
    payee: l.payee,
    share: fraction(l.share),
    shareValue: shareToNumber(l.share),
    performance: l.performance ? fraction(l.performance) : null,
    rate: l.rate ? fraction(l.rate) : null,
    ratePercent: l.rate ? percent(l.rate) : null,
    price: l.price,
    amount: l.amountFen === null ? null : fenToYuan(l.amountFen),
    basis: basisJson(l.basis),
  };
}

function dealJson(state: OfficeState, deal: Deal, lines: EngineLine[], split = dealSplit(state, deal)): DealMoney {
  const tz = state.timezone;
  const nums = (m: ReadonlyMap<string, Share>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shareToNumber(v)]));
  const fracs = (m: ReadonlyMap<string, Share>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, fraction(v)]));
  const c = deal.cancelled;
  return {
    id: deal.id,
    customers: deal.customers.map((phone) => ({ phone, name: state.customers.get(phone)?.name ?? null })),
    closedBy: deal.closedBy,
    stage: deal.stage,
    unit: deal.unit ?? null,
    price: deal.price ?? null,
    at: new Date(deal.at).toISOString(),
    local: formatLocalTime(deal.at, tz),
    ownerAtDeal: deal.ownerAtDeal,
    performance: nums(split.performance),
    commission: nums(split.commission),
    shares: { performance: fracs(split.performance), commission: fracs(split.commission) },
    basis: basisJson(split.performanceBasis),
    commissionBasis: basisJson(split.commissionBasis),
    ruled: deal.ruling !== undefined,
    cancelled: c ? { at: new Date(c.at).toISOString(), local: formatLocalTime(c.at, tz), from: c.from, reason: c.reason ?? null, basis: basisJson(c.basis) } : null,
    lines: lines.map((l) => lineJson(l, tz)),
  };
}

function phoneOf(text: string, field: string): string {
  const phone = normalizePhone(text);
  if (!phone) throw new InvalidInputError(field, `not a mainland mobile number: ${text.slice(0, 64)}`, 'invalid-phone');
  return phone;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Deals and money over one GuishuApp. */
export class Ledger {
  constructor(private readonly app: GuishuApp) {}

  /** The deal event a request proposes (without its time, which the server gives). */
  private draft(input: DealInput): Omit<EventOf<'deal'>, 'at'> {
    return {
      type: 'deal',
      id: input.id ?? `ev-${randomUUID()}`,
      deal: input.deal ?? `d-${randomUUID().slice(0, 8)}`,
      customers: input.customers,
      closedBy: input.closedBy,
      stage: input.stage,
      ...(input.unit !== undefined ? { unit: input.unit } : {}),
      ...(input.price !== undefined ? { price: input.price } : {}),
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
    };
  }

  /**
   * What recording this deal would decide now, recording nothing: the deal,
   * the performance and commission split with their clauses, the amounts; or
   * why it would be refused.
   */
  async preview(projectId: string, input: DealInput): Promise<DealPreview> {
    return this.app.query(projectId, (state, _project, now) => {
      const parsed = officeEvent.safeParse({ ...this.draft({ ...input, id: 'preview', deal: input.deal ?? 'preview' }), at: input.at ?? now });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.join('.') || '(event)';
        throw new InvalidInputError(field, issue.message, codeForField(field));
      }
      const p = previewDeal(state, parsed.data as EventOf<'deal'>);
      if (!p.ok) return { ok: false as const, rejection: { code: p.rejection.code, field: p.rejection.field, messageZh: p.rejection.messageZh, messageEn: p.rejection.messageEn } };
      return { ok: true as const, deal: dealJson(state, p.deal, p.lines, p.split) };
    });
  }

  /** Records the deal event (a deposit, a contract or a cancellation); the answer carries the deal as it stands after it. */
  async record(projectId: string, input: DealInput, ctx: ActingContext = {}): Promise<{ result: RecordResult; deal: DealMoney | null }> {
    const event = this.draft(input);
    const result = await this.app.recordEvent(projectId, { ...event, ...(input.at !== undefined ? { at: input.at } : {}), ...(input.lateReason ? { lateReason: input.lateReason } : {}) }, ctx);
    const deal = await this.app.query(projectId, (state) => {
      const d = state.deals.get(event.deal);
      return d ? dealJson(state, d, dealLines(state, d)) : null;
    });
    return { result, deal };
  }

  /** The deal's facts for a next stage: its buyers and who closed it. */
  async facts(projectId: string, id: string): Promise<{ customers: CustomerRef[]; closedBy: string; stage: Deal['stage']; eventIds: string[] }> {
    return this.app.query(projectId, (state) => {
      const d = state.deals.get(id);
      if (!d) throw new NotFoundError('deal-not-found', `no deal ${id}`, 'id');
      return { customers: d.customers.map((phone) => ({ phone })), closedBy: d.closedBy, stage: d.stage, eventIds: [...d.eventIds] };
    });
  }

  /** Whose customer the phone is now (holding owner: protected or closed), for "a deal for my own customer". */
  async ownerOf(projectId: string, phoneText: string): Promise<string | null> {
    const phone = phoneOf(phoneText, 'customers.0.phone');
    return this.app.query(projectId, (state, _p, now) => {
      const v = ownerView(state, state.customers.get(phone), now);
      return v.status === 'protected' || v.status === 'closed' ? v.owner : null;
    });
  }

  async deals(projectId: string): Promise<DealMoney[]> {
    return this.app.query(projectId, (state) => [...state.deals.values()].sort((a, b) => b.at - a.at).map((d) => dealJson(state, d, dealLines(state, d))));
  }

  async deal(projectId: string, id: string): Promise<DealMoney> {
    return this.app.query(projectId, (state) => {
      const d = state.deals.get(id);
      if (!d) throw new NotFoundError('deal-not-found', `no deal ${id}`, 'id');
      return dealJson(state, d, dealLines(state, d));
    });
  }

  /**
   * The ledger: every line (credit on the deal's day, reversal on the
   * cancellation's), optionally of one local month, with totals per person
   * and per agency (fen-exact sums of the rounded lines).
   */
  async ledger(projectId: string, opts: { month?: string } = {}): Promise<LedgerAnswer> {
    if (opts.month !== undefined && !MONTH.test(opts.month)) throw new InvalidInputError('month', 'a month as YYYY-MM', 'invalid-field');
    return this.app.query(projectId, (state) => {
      const tz = state.timezone;
      const lines: LedgerLine[] = [];
      const months = new Set<string>();
      for (const d of [...state.deals.values()].sort((a, b) => a.at - b.at)) {
        for (const l of dealLines(state, d)) {
          const j = lineJson(l, tz);
          months.add(j.month);
          if (opts.month === undefined || j.month === opts.month) lines.push(j);
        }
      }
      lines.sort((a, b) => a.at.localeCompare(b.at));
      return { month: opts.month ?? null, months: [...months].sort().reverse(), lines, totals: totals(lines, state) };
    });
  }

  /** A month's commission statement (结佣单) of one consultant (staff) or one channel agency. */
  async statement(projectId: string, opts: { month: string; staff?: string; agency?: string }) {
    if (!MONTH.test(opts.month)) throw new InvalidInputError('month', 'a month as YYYY-MM', 'invalid-field');
    if ((opts.staff === undefined) === (opts.agency === undefined)) throw new InvalidInputError('staff', 'a statement is of one staff member or one agency', 'invalid-field');
    const { lines } = await this.ledger(projectId, { month: opts.month });
    const mine = lines.filter((l) => (opts.staff !== undefined ? l.payee.kind === 'staff' && l.payee.staff === opts.staff : (l.payee.kind === 'agency' ? l.payee.agency : l.payee.agency) === opts.agency));
    const { staff, timezone } = await this.app.query(projectId, (state) => ({ staff: opts.staff ? state.staff.get(opts.staff) : undefined, timezone: state.timezone }));
    let fen = 0n;
    let open = 0;
    for (const l of mine) {
      if (l.amount === null) open++;
      else fen += toFen(l.amount);
    }
    return { month: opts.month, timezone, staff: opts.staff ?? null, staffName: staff?.name ?? null, agency: opts.agency ?? null, lines: mine, total: fenToYuan(fen), withoutAmount: open };
  }

  /** Commission rate versions (settings events), newest last. */
  async rates(projectId: string): Promise<CommissionRates> {
    return this.app.query(projectId, (state) => ({
      versions: (state.settings ?? []).map((v) => ({
        effectiveAt: new Date(v.effectiveAt).toISOString(),
        local: formatLocalTime(v.effectiveAt, state.timezone),
        eventId: v.eventId,
        roles: Object.fromEntries(Object.entries(v.commission.roles).map(([k, s]) => [k, { rate: fraction(s as Share), percent: percent(s as Share) }])),
        agencies: Object.fromEntries(Object.entries(v.commission.agencies).map(([k, s]) => [k, { rate: fraction(s), percent: percent(s) }])),
      })),
      agencies: [...new Set([...state.staff.values()].map((m) => m.agency).filter((a): a is string => !!a))].sort(),
    }));
  }

  /** New commission rates from `effectiveAt` (a `settings` event). */
  async setRates(projectId: string, input: { commission: { roles?: Record<string, string | number>; agencies?: Record<string, string | number> }; effectiveAt?: number; by?: string; at?: number; lateReason?: string; id?: string }, ctx: ActingContext = {}): Promise<RecordResult> {
    return this.app.recordEvent(projectId, { type: 'settings', commission: { roles: input.commission.roles ?? {}, agencies: input.commission.agencies ?? {} }, ...(input.effectiveAt !== undefined ? { effectiveAt: input.effectiveAt } : {}), ...(input.by ? { by: input.by } : {}), ...(input.at !== undefined ? { at: input.at } : {}), ...(input.lateReason ? { lateReason: input.lateReason } : {}), ...(input.id ? { id: input.id } : {}) } as never, ctx);
  }
}

function toFen(amount: string): bigint {
  const neg = amount.startsWith('-');
  const [y, f = '0'] = (neg ? amount.slice(1) : amount).split('.');
  const v = BigInt(y!) * 100n + BigInt(f.padEnd(2, '0'));
  return neg ? -v : v;
}

/** Sums per person and per agency (an agent's lines count for their agency too). */
function totals(lines: LedgerLine[], state: OfficeState): LedgerTotals {
  const staff = new Map<string, { fen: bigint; open: number }>();
  const agencies = new Map<string, { fen: bigint; open: number }>();
  const add = (m: Map<string, { fen: bigint; open: number }>, k: string, amount: string | null) => {
    const t = m.get(k) ?? { fen: 0n, open: 0 };
    if (amount === null) t.open++;
    else t.fen += toFen(amount);
    m.set(k, t);
  };
  for (const l of lines) {
    if (l.payee.kind === 'staff') {
      add(staff, l.payee.staff, l.amount);
      if (l.payee.agency) add(agencies, l.payee.agency, l.amount);
    } else add(agencies, l.payee.agency, l.amount);
  }
  const out = (m: Map<string, { fen: bigint; open: number }>) => [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, t]) => ({ key: k, total: fenToYuan(t.fen), withoutAmount: t.open }));
  return {
    staff: out(staff).map((t) => ({ staff: t.key, name: state.staff.get(t.key)?.name ?? null, role: state.staff.get(t.key)?.role ?? null, total: t.total, withoutAmount: t.withoutAmount })),
    agencies: out(agencies).map((t) => ({ agency: t.key, total: t.total, withoutAmount: t.withoutAmount })),
  };
}
