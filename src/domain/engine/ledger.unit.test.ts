// Money in the ledger: price × rate × exact share, rounded once to the fen;
// a cancellation reverses every line on its own day; the preview decides
// without recording.
import { describe, expect, it } from 'vitest';
import { type OfficeEvent, officeEvent } from '../events.ts';
import { resolvePolicy } from '../policy/index.ts';
import { parseLocalTime } from '../time.ts';
import { amountFen, dealLines, fenToYuan, ledgerLines, monthOf, previewDeal, yuanToFen } from './ledger.ts';
import { share } from '../shares.ts';
import { Timeline } from './timeline.ts';

const TZ = 'Asia/Shanghai';
const at = (t: string) => parseLocalTime(t, TZ)!;
let n = 0;
const ev = (e: Record<string, unknown>): OfficeEvent => officeEvent.parse({ id: `e${++n}`, ...e });

function office(preset = 'standard'): Timeline {
  const t = new Timeline({ timezone: TZ, policy: resolvePolicy(preset, undefined, Number.NEGATIVE_INFINITY), keepHistory: true, resolvePolicy: (e, v) => resolvePolicy(e.preset, e.set, e.effectiveAt ?? e.at, v) });
  for (const [staff, role, agency] of [['A', 'consultant'], ['B', 'consultant'], ['M', 'manager'], ['X', 'channel', '链家地产']] as const) {
    t.apply(ev({ type: 'staff', at: at('2025-03-01 08:00'), staff, role, ...(agency ? { agency } : {}) }));
  }
  t.apply(ev({ type: 'duty', at: at('2025-03-01 09:00'), order: ['A', 'B'] }));
  return t;
}
const c1 = { phone: '13800138000', name: '王先生' };
const c2 = { phone: '13900139000', name: '李女士' };

describe('money', () => {
  it('reads and writes yuan exactly, and rounds half up to the fen once', () => {
    expect(yuanToFen('1850000')).toBe(185000000n);
    expect(yuanToFen('1848000.5')).toBe(184800050n);
    expect(fenToYuan(-12345n)).toBe('-123.45');
    expect(fenToYuan(5n)).toBe('0.05');
    // 1,000,000.01 × 0.3% × 1/3 = 1000.00001 → 1000.00
    expect(fenToYuan(amountFen(100000001n, share(3, 1000), share(1, 3)))).toBe('1000.00');
    // 0.05 yuan × 1/2 = 0.025 → 0.03 (half up)
    expect(fenToYuan(amountFen(5n, share(1), share(1, 2)))).toBe('0.03');
    expect(monthOf(at('2025-03-31 23:30'), TZ)).toBe('2025-03');
    expect(monthOf(at('2025-04-01 00:10'), TZ)).toBe('2025-04');
  });

  it('pays each share at the rate of the payee role in force on the deal day, and reverses it on cancellation', () => {
    const t = office();
    t.apply(ev({ type: 'settings', at: at('2025-03-01 08:30'), commission: { roles: { consultant: '0.3%', manager: 0.0005 }, agencies: { 链家地产: '1%' } } }));
    t.apply(ev({ type: 'report', at: at('2025-03-02 09:00'), customer: c1, staff: 'X', expectedAt: at('2025-03-02 15:00') }));
    t.apply(ev({ type: 'visit', at: at('2025-03-02 10:00'), customer: c1, receivedBy: 'A', says: { firstVisit: true } }));
    t.apply(ev({ type: 'visit', at: at('2025-03-02 11:00'), customer: c2, receivedBy: 'A', says: { firstVisit: true } }));
    const r = t.apply(ev({ type: 'deal', at: at('2025-03-05 10:00'), deal: 'd1', customers: [c1], closedBy: 'A', stage: 'deposit', unit: '1-1801', price: '1850000' }));
    expect(r.accepted).toBe(true);
    t.apply(ev({ type: 'deal', at: at('2025-03-05 11:00'), deal: 'd2', customers: [c2], closedBy: 'A', stage: 'deposit', unit: '1-1802', price: '1850000' }));
    // The reported customer is the channel agent's (report_beats_escort): the agent's share is paid at the agency's rate.
    const lines = dealLines(t.state, t.state.deals.get('d1')!);
    expect(lines.map((l) => [l.kind, l.payee.kind === 'staff' ? `${l.payee.staff}/${l.payee.agency}` : l.payee.agency, l.amountFen === null ? null : fenToYuan(l.amountFen)])).toEqual([['credit', 'X/链家地产', '18500.00']]);
    const own = dealLines(t.state, t.state.deals.get('d2')!);
    expect(own.map((l) => [l.payee.kind === 'staff' ? l.payee.staff : '', fenToYuan(l.amountFen!)])).toEqual([['A', '5550.00']]);
    // New rates later do not reprice the deal.
    t.apply(ev({ type: 'settings', at: at('2025-03-10 08:30'), commission: { roles: { consultant: '0.5%' } } }));
    t.apply(ev({ type: 'deal', at: at('2025-03-20 10:00'), deal: 'd1', customers: [c1], closedBy: 'A', stage: 'cancel', reason: '客户退房' }));
    const all = ledgerLines(t.state).filter((l) => l.deal === 'd1');
    expect(all.map((l) => [l.kind, l.amountFen === null ? null : fenToYuan(l.amountFen), monthOf(l.at, TZ)])).toEqual([
      ['credit', '18500.00', '2025-03'],
      ['reversal', '-18500.00', '2025-03'],
    ]);
    expect(all[1]!.basis.clause).toBe('standard:default');
    expect(t.state.units.has('1-1801')).toBe(false);
  });

  it('no rate set: the line is there without an amount', () => {
    const t = office();
    t.apply(ev({ type: 'visit', at: at('2025-03-02 10:00'), customer: c2, receivedBy: 'B', says: { firstVisit: true } }));
    t.apply(ev({ type: 'deal', at: at('2025-03-05 10:00'), deal: 'd2', customers: [c2], closedBy: 'B', stage: 'deposit', price: '990000' }));
    const [line] = ledgerLines(t.state);
    expect(line!.rate).toBeNull();
    expect(line!.amountFen).toBeNull();
  });

  it('a preview decides the deal and its money and records nothing', () => {
    const t = office();
    t.apply(ev({ type: 'settings', at: at('2025-03-01 08:30'), commission: { roles: { consultant: '0.3%' } } }));
    t.apply(ev({ type: 'visit', at: at('2025-03-02 10:00'), customer: c1, receivedBy: 'A', says: { firstVisit: true } }));
    const before = t.state.deals.size;
    const p = previewDeal(t.state, officeEvent.parse({ id: 'preview', type: 'deal', at: at('2025-03-05 10:00'), deal: 'd9', customers: [c1], closedBy: 'A', stage: 'deposit', unit: '2-301', price: '1000000' }) as never);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect([...p.split.commission]).toEqual([['A', share(1)]]);
    expect(p.split.commissionBasis.clause).toBe('sales-dept-first-visit.1.2');
    expect(fenToYuan(p.lines[0]!.amountFen!)).toBe('3000.00');
    expect(t.state.deals.size).toBe(before);
    expect(t.state.units.has('2-301')).toBe(false);
    // A unit someone holds: the preview says why it would be refused.
    t.apply(ev({ type: 'deal', at: at('2025-03-05 11:00'), deal: 'd1', customers: [c1], closedBy: 'A', stage: 'deposit', unit: '2-301' }));
    const q = previewDeal(t.state, officeEvent.parse({ id: 'preview', type: 'deal', at: at('2025-03-05 12:00'), deal: 'd8', customers: [c2], closedBy: 'B', stage: 'deposit', unit: '2-301' }) as never);
    expect(q.ok ? null : q.rejection.code).toBe('unit-taken');
  });
});
