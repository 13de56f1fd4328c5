// The dispute queue (manager, controller) and every user's reminders (提醒):
// the list, read marks, and the reminders-only stream
// (`/api/projects/:project/notifications/live`, open to every role, channel
// agents included), which refreshes the list when a reminder arrives.
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from './client.ts';

const P = (project: string) => `/api/projects/${encodeURIComponent(project)}`;

export type { Dispute, DisputeKind, Notification } from '../../../src/shared/office-answers.ts';
import type { DisputeList, MarkedRead, NotificationList } from '../../../src/shared/api-answers.ts';
import type { ReadBody } from './bodies.ts';

export const useDisputes = (project: string, enabled = true) =>
  useQuery({ queryKey: [project, 'disputes'], enabled, queryFn: () => get<DisputeList>(`${P(project)}/disputes?limit=500`).then((r) => r.disputes), refetchInterval: 60_000 });

export const useNotifications = (project: string | null) =>
  useQuery({ queryKey: [project, 'notifications'], enabled: project !== null, queryFn: () => get<NotificationList>(`${P(project!)}/notifications`), refetchInterval: 60_000 });

export function useMarkRead(project: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReadBody) => post<MarkedRead>(`${P(project)}/notifications/read`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: [project, 'notifications'] }),
  });
}

/** Listens for reminders addressed to me; each one refreshes the list (and the screens' data). */
export function useNotificationStream(project: string | null): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (!project) return undefined;
    const source = new EventSource(`${P(project)}/notifications/live`, { withCredentials: true });
    source.addEventListener('notification', () => {
      void qc.invalidateQueries({ queryKey: [project], predicate: (q) => q.queryKey[1] !== 'rotation' && q.queryKey[1] !== 'event' });
    });
    return () => source.close();
  }, [project, qc]);
}
