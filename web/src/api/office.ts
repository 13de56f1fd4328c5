// Server state: the office API of docs/api.md as TanStack Query hooks. Keys
// start with the project id so the live stream (live.ts) can invalidate one
// office's data at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './client.ts';

// The answers' types are the server's own (src/shared/api-answers.ts): a change there that breaks a screen fails the typecheck.
import type {
  ChainCheck, CustomerCard, CustomerList, DealList, EventDetail, EventsPage, Judgement, PolicyList, ProjectDetail, ProjectList, RecordResult, ReportDetailList, ReportList,
  Rotation, SignedHeads, StaffList, StoredEventJson, WhatIf,
} from '../../../src/shared/api-answers.ts';
import type { AddStaffBody, HttpEventBody, JudgeBody, PolicyBody, RosterBody, StatusBody, WhatIfBody } from './bodies.ts';
export type { AddStaffBody, EventBody, HttpEventBody, JudgeBody, PolicyBody, RosterBody, StatusBody, WhatIfBody } from './bodies.ts';
export type {
  Basis, ChainCheck, CompanionJudgement, CustomerCard, CustomerRow, DealSummary as Deal, EventDetail, Judgement, PolicyVersion, Project, ProjectDetail, RecordResult, ReportDetail, ReportRow,
  Rotation, SignedHead, Staff, StoredEventJson, TimelineItem, WhatIf,
} from '../../../src/shared/api-answers.ts';

const P = (project: string) => `/api/projects/${encodeURIComponent(project)}`;

export const useProjects = () => useQuery({ queryKey: ['projects'], queryFn: () => get<ProjectList>('/api/projects').then((r) => r.projects) });
export const useProject = (project: string) => useQuery({ queryKey: [project, 'project'], queryFn: () => get<ProjectDetail>(P(project)) });
export const useStaff = (project: string) => useQuery({ queryKey: [project, 'staff'], queryFn: () => get<StaffList>(`${P(project)}/staff`).then((r) => r.staff), staleTime: 60_000 });
export const useRotation = (project: string) => useQuery({ queryKey: [project, 'rotation'], queryFn: () => get<Rotation>(`${P(project)}/rotation`) });
export const useReports = (project: string) => useQuery({ queryKey: [project, 'reports'], queryFn: () => get<ReportList>(`${P(project)}/reports`).then((r) => r.reports) });
export const useReportDetails = (project: string, poll = false) =>
  useQuery({ queryKey: [project, 'report-details'], queryFn: () => get<ReportDetailList>(`${P(project)}/report-details`).then((r) => r.reports), refetchInterval: poll ? 5_000 : false });
export const useDeals = (project: string) => useQuery({ queryKey: [project, 'deals'], queryFn: () => get<DealList>(`${P(project)}/deals`).then((r) => r.deals) });
export const usePolicies = (project: string) => useQuery({ queryKey: [project, 'policies'], queryFn: () => get<PolicyList>(`${P(project)}/policies`).then((r) => r.policies) });
export const useCustomers = (project: string, owner?: string, enabled = true) =>
  useQuery({ queryKey: [project, 'customers', owner ?? '*'], enabled, queryFn: () => get<CustomerList>(`${P(project)}/customers${owner ? `?owner=${encodeURIComponent(owner)}` : '?limit=5000'}`).then((r) => r.customers) });
export const useCustomer = (project: string, phone: string | null) =>
  useQuery({ queryKey: [project, 'customer', phone], enabled: !!phone, queryFn: () => get<CustomerCard>(`${P(project)}/customers/${encodeURIComponent(phone!)}`), retry: false });
export const useEvent = (project: string, id: string | null) =>
  useQuery({ queryKey: [project, 'event', id], enabled: !!id, queryFn: () => get<EventDetail>(`${P(project)}/events/${encodeURIComponent(id!)}`), staleTime: Infinity });
export const useVerify = (project: string) => useQuery({ queryKey: [project, 'verify'], queryFn: () => get<ChainCheck>(`${P(project)}/verify`) });

/** The whole log, paged (reports and the audit view; fine for an office's months). */
export async function fetchAllEvents(project: string, max = 50_000): Promise<StoredEventJson[]> {
  const out: StoredEventJson[] = [];
  let after = 0;
  for (;;) {
    const page = await get<EventsPage>(`${P(project)}/events?afterSeq=${after}&limit=1000`);
    out.push(...page.events);
    if (page.nextAfterSeq === null || page.events.length === 0 || out.length >= max) return out;
    after = page.nextAfterSeq;
  }
}
export const useAllEvents = (project: string, enabled = true) => useQuery({ queryKey: [project, 'events', 'all'], enabled, queryFn: () => fetchAllEvents(project), staleTime: 30_000 });
export const useEventsPage = (project: string, afterSeq: number, limit: number) =>
  useQuery({ queryKey: [project, 'events', afterSeq, limit], queryFn: () => get<EventsPage>(`${P(project)}/events?afterSeq=${afterSeq}&limit=${limit}`) });

/** The event log's closing head of a local day, signed: the last line of the day's register. */
export const fetchDayHead = (project: string, day: string) => get<SignedHeads>(`${P(project)}/head?day=${encodeURIComponent(day)}`);

export const judge = (project: string, body: JudgeBody) => post<Judgement>(`${P(project)}/judge`, body);
export const recordEvent = (project: string, body: HttpEventBody) => post<RecordResult>(`${P(project)}/events`, body);
export const whatIf = (project: string, body: WhatIfBody) => post<WhatIf>(`${P(project)}/whatif`, body);
export const schedulePolicy = (project: string, body: PolicyBody) => post<RecordResult>(`${P(project)}/policies`, body);
export const setStatus = (project: string, body: StatusBody) => post<RecordResult>(`${P(project)}/status`, body);
export const setRoster = (project: string, body: RosterBody) => post<RecordResult>(`${P(project)}/roster`, body);
export const addStaff = (project: string, body: AddStaffBody) => post<RecordResult>(`${P(project)}/staff`, body);

/** A write that refreshes the office's data afterwards. */
export function useRecord<T>(project: string, fn: (body: T) => Promise<RecordResult>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: [project] }) });
}
