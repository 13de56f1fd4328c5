// The consultant's customer page and pool, and the manager's staff screen:
// the routes of src/server/people.ts as TanStack Query hooks (keys start with
// the project id, like office.ts, so the live stream and writes refresh them).
import { useQuery } from '@tanstack/react-query';
import { get, post } from './client.ts';
import type { ClaimResult, CustomerEntries, DeparturePreview, PublicPool } from '../../../src/shared/api-answers.ts';
import type { ClaimBody } from './bodies.ts';

// The answers' types are the server's own (src/shared/api-answers.ts).
export type { ClaimResult, ClauseText, DeparturePreview, EntryWhat, PoolEntry, TimelineEntry as Entry } from '../../../src/shared/api-answers.ts';

const P = (project: string) => `/api/projects/${encodeURIComponent(project)}`;

export const useEntries = (project: string, phone: string | null) =>
  useQuery({ queryKey: [project, 'entries', phone], enabled: !!phone, retry: false, queryFn: () => get<CustomerEntries>(`${P(project)}/customers/${encodeURIComponent(phone!)}/entries`).then((r) => r.entries) });
export const usePool = (project: string) => useQuery({ queryKey: [project, 'pool'], queryFn: () => get<PublicPool>(`${P(project)}/pool`).then((r) => r.customers) });
export const claimFromPool = (project: string, body: ClaimBody) => post<ClaimResult>(`${P(project)}/pool/claim`, body);
export const fetchDeparturePreview = (project: string, staff: string) => get<DeparturePreview>(`${P(project)}/staff/${encodeURIComponent(staff)}/departure-preview`);
