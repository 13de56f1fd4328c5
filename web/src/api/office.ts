// Server state: the office API of docs/api.md as TanStack Query hooks. Keys
// start with the project id so the live stream (live.ts) can invalidate one
// office's data at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './client.ts';

export interface Staff { id: string; name: string | null; team: string | null; role: string; agency: string | null; leftAt: string | null }
export interface Project { projectId: string; name: string; timezone: string; headSeq: number; policy?: { preset: string; version: number }; staff?: number; customers?: number }
export interface Basis { clause: string; events: string[]; text: { zh: string; en: string } | null }
export interface Judgement {
  receiver: string; owner: string; countsAsTurn: boolean; basis: Basis; receiverBasis: Basis; claim: string; helperFor: string | null;
  reason: { zh: string; en: string }; at: string;
  /** Each companion judged on their own (`own`: stays theirs, `report`: their report's agent, `claim`: a claim of their own, `follows`: the party's owner). */
  party?: CompanionJudgement[];
}
export interface CompanionJudgement { phone: string; outcome: 'own' | 'report' | 'claim' | 'follows' | 'none'; owner: string; changes: boolean; previousOwner: string | null; claim: string; reportId: string | null; basis: Basis }
export interface Rotation { next: string; order: string[]; presence: Record<string, string>; makeUps: Record<string, number>;
  /** Every turn since the project began (the fairness ledger). */
  turns: Record<string, number>;
  /** Turns taken in the project's local day of `at`: what 已接 and 今日轮次 show. */
  turnsToday?: Record<string, number>; at: string }
/** `late`: registered after the fact (补登), shown with both times; `recordedLocal` is when it was recorded, in the project's zone. */
export interface TimelineItem { seq: number; id: string; type: string; at: string; local: string; recordedAt: string; recordedLocal: string; late: boolean; lateReason: string | null; status: string; current: string; rejectionCode: string | null }
export interface CustomerCard {
  phone: string; name: string | null; owner: string; status: string; protectedUntil: string | null;
  protectionLeft: { days: number; until: string; untilLocal: string } | null; basis: Basis | null; reason: { zh: string; en: string };
  visits: number; deals: string[]; timeline: TimelineItem[]; at: string;
}
export interface CustomerRow { phone: string; name: string | null; owner: string | null; status: string; protectedUntil: string | null; basis: string | null; updatedSeq: number }
export interface ReportRow { id: string; seq: number; agent: string; status: string; validUntil: string | null; rejectionCode: string | null }
export interface ReportDetail extends ReportRow { name: string | null; phone: string; expectedAt: string | null }
export interface Deal {
  id: string; customers: { phone: string; name?: string }[]; closedBy: string; stage: string; unit: string | null; at: string; ownerAtDeal: string | null;
  performance: Record<string, number>; commission: Record<string, number>; basis: string; commissionBasis: string;
}
export interface StoredEventJson {
  seq: number; id: string; type: string; at: string; local: string; recordedAt: string; recordedLocal: string; recordedBy: string | null; late: boolean; lateReason: string | null; status: string; rejectionCode: string | null;
  event: Record<string, unknown> & { type: string; customer?: { phone: string; name?: string } }; personalErased: boolean; hash: string;
  current?: { status: string; rejection?: { code: string; messageZh: string; messageEn: string } };
}
export interface RecordResult {
  id: string; seq: number; status: 'accepted' | 'rejected'; rejection?: { code: string; field: string; message: string; messageZh: string; messageEn: string };
  decisions: Record<string, unknown>[]; repeated?: boolean;
}
export interface PolicyVersion { version: number; effectiveAt: string; preset: string; set: Record<string, unknown>; createdAt: string }
export interface WhatIf {
  preset: string; at: string;
  customers: { phone: string; name: string | null; before: { owner: string; status: string; basis: string | null }; after: { owner: string; status: string; basis: string | null } }[];
  deals: { id: string; before: { performance: Record<string, number>; commission: Record<string, number> } | null; after: { performance: Record<string, number>; commission: Record<string, number> } | null }[];
  rejections: { id: string; type: string; before: string | null; after: string | null }[];
}

const P = (project: string) => `/api/projects/${encodeURIComponent(project)}`;

export const useProjects = () => useQuery({ queryKey: ['projects'], queryFn: () => get<{ projects: Project[] }>('/api/projects').then((r) => r.projects) });
export const useProject = (project: string) => useQuery({ queryKey: [project, 'project'], queryFn: () => get<Project>(P(project)) });
export const useStaff = (project: string) => useQuery({ queryKey: [project, 'staff'], queryFn: () => get<{ staff: Staff[] }>(`${P(project)}/staff`).then((r) => r.staff), staleTime: 60_000 });
export const useRotation = (project: string) => useQuery({ queryKey: [project, 'rotation'], queryFn: () => get<Rotation>(`${P(project)}/rotation`) });
export const useReports = (project: string) => useQuery({ queryKey: [project, 'reports'], queryFn: () => get<{ reports: ReportRow[] }>(`${P(project)}/reports`).then((r) => r.reports) });
export const useReportDetails = (project: string, poll = false) =>
  useQuery({ queryKey: [project, 'report-details'], queryFn: () => get<{ reports: ReportDetail[] }>(`${P(project)}/report-details`).then((r) => r.reports), refetchInterval: poll ? 5_000 : false });
export const useDeals = (project: string) => useQuery({ queryKey: [project, 'deals'], queryFn: () => get<{ deals: Deal[] }>(`${P(project)}/deals`).then((r) => r.deals) });
export const usePolicies = (project: string) => useQuery({ queryKey: [project, 'policies'], queryFn: () => get<{ policies: PolicyVersion[] }>(`${P(project)}/policies`).then((r) => r.policies) });
export const useCustomers = (project: string, owner?: string, enabled = true) =>
  useQuery({ queryKey: [project, 'customers', owner ?? '*'], enabled, queryFn: () => get<{ customers: CustomerRow[] }>(`${P(project)}/customers${owner ? `?owner=${encodeURIComponent(owner)}` : '?limit=5000'}`).then((r) => r.customers) });
export const useCustomer = (project: string, phone: string | null) =>
  useQuery({ queryKey: [project, 'customer', phone], enabled: !!phone, queryFn: () => get<CustomerCard>(`${P(project)}/customers/${encodeURIComponent(phone!)}`), retry: false });
export const useEvent = (project: string, id: string | null) =>
  useQuery({ queryKey: [project, 'event', id], enabled: !!id, queryFn: () => get<StoredEventJson>(`${P(project)}/events/${encodeURIComponent(id!)}`), staleTime: Infinity });
export const useVerify = (project: string) => useQuery({ queryKey: [project, 'verify'], queryFn: () => get<{ ok: boolean; count?: number; seq?: number }>(`${P(project)}/verify`) });

/** The whole log, paged (reports and the audit view; fine for an office's months). */
export async function fetchAllEvents(project: string, max = 50_000): Promise<StoredEventJson[]> {
  const out: StoredEventJson[] = [];
  let after = 0;
  for (;;) {
    const page = await get<{ events: StoredEventJson[]; nextAfterSeq: number | null }>(`${P(project)}/events?afterSeq=${after}&limit=1000`);
    out.push(...page.events);
    if (page.nextAfterSeq === null || page.events.length === 0 || out.length >= max) return out;
    after = page.nextAfterSeq;
  }
}
export const useAllEvents = (project: string, enabled = true) => useQuery({ queryKey: [project, 'events', 'all'], enabled, queryFn: () => fetchAllEvents(project), staleTime: 30_000 });
export const useEventsPage = (project: string, afterSeq: number, limit: number) =>
  useQuery({ queryKey: [project, 'events', afterSeq, limit], queryFn: () => get<{ events: StoredEventJson[]; nextAfterSeq: number | null; headSeq: number }>(`${P(project)}/events?afterSeq=${afterSeq}&limit=${limit}`) });

/** A chain head the server signed (docs/verify.md). */
export interface SignedHead { format: string; projectId: string; log: 'events' | 'audit'; seq: number; hash: string; signedAt: string; keyId: string; signature: string }
/** The event log's closing head of a local day, signed: the last line of the day's register. */
export const fetchDayHead = (project: string, day: string) => get<{ projectId: string; day?: string; events: SignedHead; audit: SignedHead }>(`${P(project)}/head?day=${encodeURIComponent(day)}`);

export const judge = (project: string, body: unknown) => post<Judgement>(`${P(project)}/judge`, body);
export const recordEvent = (project: string, body: unknown) => post<RecordResult>(`${P(project)}/events`, body);
export const whatIf = (project: string, body: unknown) => post<WhatIf>(`${P(project)}/whatif`, body);
export const schedulePolicy = (project: string, body: unknown) => post<RecordResult>(`${P(project)}/policies`, body);
export const setStatus = (project: string, body: unknown) => post<RecordResult>(`${P(project)}/status`, body);
export const setRoster = (project: string, body: unknown) => post<RecordResult>(`${P(project)}/roster`, body);
export const addStaff = (project: string, body: unknown) => post<RecordResult>(`${P(project)}/staff`, body);

/** A write that refreshes the office's data afterwards. */
export function useRecord<T>(project: string, fn: (body: T) => Promise<RecordResult>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: [project] }) });
}
