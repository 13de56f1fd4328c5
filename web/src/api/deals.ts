// Deals and money: the routes of src/server/deals.ts as TanStack Query hooks
// (keys start with the project id, like office.ts, so writes and the live
// stream refresh them). Amounts arrive as exact yuan text with two decimals.
import { useQuery } from '@tanstack/react-query';
import { ApiError, get, post } from './client.ts';
import { messageFor } from './errors.ts';
import type { CommissionRates, DealMoneyList, DealPreview, DealRecorded, LedgerAnswer, RecordResult } from '../../../src/shared/api-answers.ts';
import type { CancelBody, ConfirmBody, CorrectBody, DealProposal, RatesBody, StageBody } from './bodies.ts';

// The answers' types are the server's own (src/shared/api-answers.ts).
export type {
  Basis as BasisText, DealMoney, DealPreview, DealRecorded, DealRefusal as Refusal, LedgerAnswer as Ledger, LedgerLine, LedgerTotals as Totals, Payee, RateVersion,
} from '../../../src/shared/api-answers.ts';
/** A preview that holds: the deal as recording it would make it. */
export type Preview = Extract<DealPreview, { ok: true }>;
export type Proposal = DealProposal;

const P = (project: string) => `/api/projects/${encodeURIComponent(project)}`;

// Deals recorded on another screen show within half a minute (the live stream carries arrivals, not deals).
export const useDealBook = (project: string) => useQuery({ queryKey: [project, 'deal-book'], refetchInterval: 30_000, queryFn: () => get<DealMoneyList>(`${P(project)}/ledger/deals`).then((r) => r.deals) });
export const useLedger = (project: string, month: string | null) =>
  useQuery({ queryKey: [project, 'ledger', month ?? '*'], refetchInterval: 30_000, queryFn: () => get<LedgerAnswer>(`${P(project)}/ledger${month ? `?month=${month}` : ''}`) });
export const useRates = (project: string) => useQuery({ queryKey: [project, 'commission-rates'], queryFn: () => get<CommissionRates>(`${P(project)}/commission-rates`) });

export const previewDeal = (project: string, body: Proposal) => post<DealPreview>(`${P(project)}/deals/preview`, body);
export const recordDeal = (project: string, body: Proposal) => post<DealRecorded>(`${P(project)}/deals`, body);
export const moveToContract = (project: string, id: string, body: StageBody) => post<DealRecorded>(`${P(project)}/deals/${encodeURIComponent(id)}/contract`, body);
export const cancelDeal = (project: string, id: string, body: CancelBody) => post<DealRecorded>(`${P(project)}/deals/${encodeURIComponent(id)}/cancel`, body);
export const confirmDeal = (project: string, id: string, body: ConfirmBody = {}) => post<DealRecorded>(`${P(project)}/deals/${encodeURIComponent(id)}/confirm`, body);
export const correctDeal = (project: string, id: string, body: CorrectBody) => post<DealRecorded>(`${P(project)}/deals/${encodeURIComponent(id)}/correct`, body);
export const setRates = (project: string, body: RatesBody) => post<RecordResult>(`${P(project)}/commission-rates`, body);

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
