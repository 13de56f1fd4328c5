// Server-Sent Events for the front-desk screens: arrivals, rotation changes
// and alerts. Fed by the app's 'applied' notices (every event a process learns
// of, after commit); on PostgreSQL the store's LISTEN tells each process of
// other processes' appends, and catching up the cache emits those too.
import type { GuishuApp, AppliedNotice } from '../app/office.ts';
import { maskPhone, normalizePhone } from '../domain/phone.ts';
import type { EventStore, Unlisten } from '../store/index.js';

export type Send = (event: string, data: unknown) => void;
export interface LiveClient {
  send: Send;
  end: () => void;
}

export class LiveHub {
  private readonly clients = new Map<string, Set<LiveClient>>();
  private readonly unlisten = new Map<string, Promise<Unlisten | undefined>>();
  private readonly onApplied = (n: AppliedNotice) => this.dispatch(n);

  constructor(private readonly app: GuishuApp, private readonly store: EventStore) {
    app.on('applied', this.onApplied);
  }

  subscribe(projectId: string, client: LiveClient): () => void {
    let set = this.clients.get(projectId);
    if (!set) {
      set = new Set();
      this.clients.set(projectId, set);
      if (this.store.dialect === 'postgres') {
        this.unlisten.set(projectId, this.store.listen(projectId, () => void this.app.sync(projectId).catch(() => {})).catch(() => undefined));
      }
    }
    set.add(client);
    return () => {
      const s = this.clients.get(projectId);
      if (!s) return;
      s.delete(client);
      if (s.size === 0) {
        this.clients.delete(projectId);
        const u = this.unlisten.get(projectId);
        this.unlisten.delete(projectId);
        void u?.then((f) => f?.()).catch(() => {});
      }
    };
  }

  private broadcast(projectId: string, event: string, data: unknown): void {
    for (const client of this.clients.get(projectId) ?? []) {
      try {
        client.send(event, data);
      } catch {
        // a closed screen is removed by its own close handler
      }
    }
  }

  private dispatch(n: AppliedNotice): void {
    if (!this.clients.has(n.projectId)) return;
    const { event, outcome } = n;
    if (event.type === 'visit') {
      const phone = normalizePhone(event.customer.phone);
      const base = { seq: n.seq, id: event.id, at: new Date(event.at).toISOString(), customer: phone ? maskPhone(phone) : null, name: event.customer.name ?? null };
      if (outcome.accepted) {
        const contact = outcome.changes.find((c) => c.kind === 'contact');
        const ownership = outcome.changes.find((c) => c.kind === 'ownership');
        const turn = outcome.changes.find((c) => c.kind === 'turn');
        this.broadcast(n.projectId, 'arrival', {
          ...base,
          status: 'accepted',
          receiver: contact?.kind === 'contact' ? (contact.receiver ?? contact.contact.staff) : (event.receivedBy ?? null),
          owner: ownership?.kind === 'ownership' ? ownership.ownership.owner : null,
          countsAsTurn: turn !== undefined,
        });
      } else {
        this.broadcast(n.projectId, 'arrival', { ...base, status: 'rejected', rejection: { code: outcome.rejection.code, field: outcome.rejection.field, message: outcome.rejection.messageZh } });
      }
    }
    if (n.rows.some((r) => r.table === 'rotation')) {
      void this.app.rotation(n.projectId).then((r) => this.broadcast(n.projectId, 'rotation', { seq: n.seq, ...r }), () => {});
    }
    for (const r of n.rows) {
      if (r.table === 'alerts' && r.row) this.broadcast(n.projectId, 'alert', { seq: n.seq, ...r.row, payload: JSON.parse(String(r.row.payload)) as unknown });
    }
  }

  /** Ends every stream (shutdown). */
  close(): void {
    this.app.off('applied', this.onApplied);
    for (const [projectId, set] of this.clients) {
      for (const client of set) {
        try {
          client.send('bye', {});
          client.end();
        } catch {
          // ignore
        }
      }
      void this.unlisten.get(projectId)?.then((f) => f?.()).catch(() => {});
    }
    this.clients.clear();
    this.unlisten.clear();
  }
}
