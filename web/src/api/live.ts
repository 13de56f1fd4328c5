// The office's live stream (SSE `/api/projects/:project/live`): the rotation
// arrives in full on connect and on each change; arrivals and alerts nudge
// the cached queries so every open screen shows the same office.
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Arrival, LiveAlert as Alert, LiveRotation } from '../../../src/shared/api-answers.ts';

// The messages' types are the server's own (src/shared/api-answers.ts).
export type { Arrival, LiveAlert as Alert } from '../../../src/shared/api-answers.ts';

export function useLive(project: string | null): { connected: boolean; arrivals: Arrival[]; alerts: Alert[] } {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [arrivals, setArrivals] = useState<Arrival[]>([]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  useEffect(() => {
    if (!project) return undefined;
    const source = new EventSource(`/api/projects/${encodeURIComponent(project)}/live`, { withCredentials: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Many events in a burst (a party, an import) refresh once.
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void qc.invalidateQueries({ queryKey: [project], predicate: (q) => q.queryKey[1] !== 'rotation' && q.queryKey[1] !== 'event' }), 300);
    };
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('rotation', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as LiveRotation;
      qc.setQueryData([project, 'rotation'], data);
      refresh();
    });
    source.addEventListener('arrival', (e) => {
      const a = JSON.parse((e as MessageEvent<string>).data) as Arrival;
      setArrivals((list) => [a, ...list].slice(0, 50));
      refresh();
    });
    source.addEventListener('alert', (e) => {
      const a = JSON.parse((e as MessageEvent<string>).data) as Alert;
      setAlerts((list) => [a, ...list].slice(0, 50));
      refresh();
    });
    return () => {
      clearTimeout(timer);
      source.close();
      setConnected(false);
    };
  }, [project, qc]);
  return { connected, arrivals, alerts };
}
