// Deals and money: the routes of src/server/deals.ts as TanStack Query hooks
// (keys start with the project id, like office.ts, so writes and the live
// stream refresh them). Amounts arrive as exact yuan text with two decimals.
import { useQuery } from '@tanstack/react-query';
import { ApiError, get, post } from './client.ts';
import { messageFor } from './errors.ts';
import type { RecordResult } from './office.ts';

export interface BasisText { clause: string; events: string[]; text: { zh: string; en: string } | null }
export type Payee = { kind: 'staff'; staff: string; role: string | null; agency: string | null } | { kind: 'agency'; agency: string };
export interface LedgerLine {
  deal: string; unit: string | null; kind: 'credit' | 'reversal'; at: string; local: string; month: string; payee: Payee;
  share: string; shareValue: number; performance: string | null; rate: string | null; ratePercent: string | null; price: string | null; amount: string | null; basis: BasisText;
}
export interface DealMoney {
  id: string; customers: { phone: string; name: string | null }[]; closedBy: string; stage: 'deposit' | 'contract' | 'cancelled'; unit: string | null; price: string | null;
  at: string; local: string; ownerAtDeal: string | null; performance: Record<string, number>; commission: Record<string, number>;
  shares: { performance: Record<string, string>; commission: Record<string, string> }; basis: BasisText; commissionBasis: BasisText; ruled: boolean;
  cancelled: { at: string; local: string; from: 'deposit' | 'contract'; reason: string | null; basis: BasisText } | null;
  lines: LedgerLine[];
}
export interface Preview { ok: true; deal: DealMoney }
export interface Refusal { ok: false; rejection: { code: string; field: string; messageZh: string; messageEn: string } }
export interface DealRecorded extends RecordResult { deal: DealMoney | null }
export interface Totals { staff: { staff: string; name: string | null; role: string | null; total: string; withoutAmount: number }[]; agencies: { agency: string; total: string; withoutAmount: number }[] }
export interface Ledger { month: string | null; months: string[]; lines: LedgerLine[]; totals: Totals }
export interface RateVersion { effectiveAt: string; local: string; eventId: string; roles: Record<string, { rate: string; percent: string }>; agencies: Record<string, { rate: string; percent: string }> }

const P = (project: string) => `/api/projects/${encodeURIComponent(project)}`;

// Deals recorded on another screen show within half a minute (the live stream carries arrivals, not deals).
export const useDealBook = (project: string) => useQuery({ queryKey: [project, 'deal-book'], refetchInterval: 30_000, queryFn: () => get<{ deals: DealMoney[] }>(`${P(project)}/ledger/deals`).then((r) => r.deals) });
export const useLedger = (project: string, month: string | null) =>
  useQuery({ queryKey: [project, 'ledger', month ?? '*'], refetchInterval: 30_000, queryFn: () => get<Ledger>(`${P(project)}/ledger${month ? `?month=${month}` : ''}`) });
export const useRates = (project: string) => useQuery({ queryKey: [project, 'commission-rates'], queryFn: () => get<{ versions: RateVersion[]; agencies: string[] }>(`${P(project)}/commission-rates`) });

export interface Proposal { customers: { phone: string; name?: string }[]; unit: string; price: string; closedBy?: string; stage?: 'deposit' | 'contract'; deal?: string; id?: string }
export const previewDeal = (project: string, body: Proposal) => post<Preview | Refusal>(`${P(project)}/deals/preview`, body);
export const recordDeal = (project: string, body: Proposal) => post<DealRecorded>(`${P(project)}/deals`, body);
export const moveToContract = (project: string, id: string, body: { price?: string; id?: string }) => post<DealRecorded>(`${P(project)}/deals/${encodeURIComponent(id)}/contract`, body);
export const cancelDeal = (project: string, id: string, body: { reason: string; id?: string }) => post<DealRecorded>(`${P(project)}/deals/${encodeURIComponent(id)}/cancel`, body);
export const confirmDeal = (project: string, id: string, body: { reason?: string } = {}) => post<DealRecorded>(`${P(project)}/deals/${encodeURIComponent(id)}/confirm`, body);
export const correctDeal = (project: string, id: string, body: { set: { price?: string; unit?: string; closedBy?: string }; reason: string }) => post<DealRecorded>(`${P(project)}/deals/${encodeURIComponent(id)}/correct`, body);
export const setRates = (project: string, body: { commission: { roles: Record<string, string>; agencies: Record<string, string> }; effectiveAt?: string; lateReason?: string }) => post<RecordResult>(`${P(project)}/commission-rates`, body);

/** Downloads a month's statement (结佣单) as xlsx, made by the server. */
export async function downloadStatement(project: string, month: string, who: { staff: string } | { agency: string }, filename: string): Promise<void> {
  const q = 'staff' in who ? `staff=${encodeURIComponent(who.staff)}` : `agency=${encodeURIComponent(who.agency)}`;
  const res = await fetch(`${P(project)}/statement?month=${month}&${q}&format=xlsx`, { credentials: 'same-origin' });
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as { code?: string };
    const code = p.code ?? 'internal';
    throw new ApiError(res.status, code, messageFor(code, document.documentElement.lang === 'en' ? 'en' : 'zh'));
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 5_000);
}

/** ¥1,234,567.89 from exact yuan text (grouping only: no float arithmetic). */
export function yuan(text: string | null | undefined): string {
  if (text === null || text === undefined) return '—';
  const neg = text.startsWith('-');
  const [int, frac = '00'] = (neg ? text.slice(1) : text).split('.');
  return `${neg ? '-' : ''}¥${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac.padEnd(2, '0').slice(0, 2)}`;
}

/** A share as a percentage for people: 1/2 → 50%, 1/3 → 33.33%. */
export function percentOf(fraction: string): string {
  const [n, d = '1'] = fraction.split('/');
  const v = (Number(n) / Number(d)) * 100;
  return `${Number(v.toFixed(2))}%`;
}
