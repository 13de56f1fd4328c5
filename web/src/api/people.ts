// The consultant's customer page and pool, and the manager's staff screen:
// the routes of src/server/people.ts as TanStack Query hooks (keys start with
// the project id, like office.ts, so the live stream and writes refresh them).
import { useQuery } from '@tanstack/react-query';
import { get, post } from './client.ts';
import type { RecordResult, TimelineItem } from './office.ts';

export interface ClauseText { zh: string; en: string }
/** A timeline line with who did what (staff, via, direction, effect, a follow-up's note). */
export interface Entry extends TimelineItem {
  recordedBy: string | null;
  what: { staff?: string; receivedBy?: string; recognizedBy?: string; closedBy?: string; via?: string; direction?: 'in' | 'out'; effective?: boolean; note?: string; stage?: string; unit?: string; owner?: string; by?: string; reason?: string };
}
export interface PoolEntry { phone: string; ref: string; since: string | null; basis: { clause: string; text: ClauseText | null } | null; departedPool: boolean; claimable: boolean; clause: string; clauseText: ClauseText | null }
export interface ClaimResult extends RecordResult { phone: string; clause: string; clauseText: ClauseText | null }
export interface DeparturePreview {
  staff: string; name: string | null; at: string;
  policy: { value: string; clause: string; text: ClauseText | null };
  inRoster: boolean; alreadyLeft: boolean;
  customers: { phone: string; name: string | null; before: { owner: string; status: string; protectedUntil: string | null }; after: { owner: string; status: string; outcome: 'pool' | 'stays' }; clause: string; clauseText: ClauseText | null }[];
  counts: { pool: number; stays: number };
  refused: { code: string; zh: string; en: string } | null;
}

const P = (project: string) => `/api/projects/${encodeURIComponent(project)}`;

export const useEntries = (project: string, phone: string | null) =>
  useQuery({ queryKey: [project, 'entries', phone], enabled: !!phone, retry: false, queryFn: () => get<{ phone: string; entries: Entry[] }>(`${P(project)}/customers/${encodeURIComponent(phone!)}/entries`).then((r) => r.entries) });
export const usePool = (project: string) => useQuery({ queryKey: [project, 'pool'], queryFn: () => get<{ at: string; customers: PoolEntry[] }>(`${P(project)}/pool`).then((r) => r.customers) });
export const claimFromPool = (project: string, body: { phone: string; ref: string }) => post<ClaimResult>(`${P(project)}/pool/claim`, body);
export const fetchDeparturePreview = (project: string, staff: string) => get<DeparturePreview>(`${P(project)}/staff/${encodeURIComponent(staff)}/departure-preview`);
