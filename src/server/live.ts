// Server-Sent Events for the front-desk screens: arrivals, rotation changes
// and alerts. Fed by the app's 'applied' notices (every event a process learns
// of, after commit); on PostgreSQL the store's LISTEN tells each process of
// other processes' appends, and catching up the cache emits those too.
//
// The stream is scoped like the customer card (src/auth/redact.ts): it never
// carries a full phone (the card, audited, gives it); names go to those who
// see every customer (manager, controller, admin) and to the consultant who
// received or owns the customer; alerts go to those who see everything and
// to the staff member an alert names (the front desk also gets all-busy);
// a reminder (`notification`) only to the staff member it is addressed to.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GuishuApp, AppliedNotice } from '../app/office.ts';
import { seesAll, type Standing } from '../auth/roles.ts';
import { maskAny } from '../auth/redact.ts';
import { liveNotifications, notificationFor } from '../app/notifications.ts';
import { maskPhone, normalizePhone } from '../domain/phone.ts';
import type { Arrival, LiveAlert, LiveRotation } from '../shared/api-answers.ts';
import type { EventStore, Unlisten } from '../store/index.js';

export type Send = (event: string, data: unknown) => void;
export interface LiveClient {
  send: Send;
  end: () => void;
  /** Who watches: decides what of each message they receive. */
  viewer: Standing;
}

/** What one viewer may receive of an arrival: the masked phone always; the name only as the card would show it. */
export function arrivalFor(viewer: Standing, arrival: { name: string | null; receiver?: string | null; owner?: string | null }): typeof arrival {
  if (seesAll(viewer)) return arrival;
  const own = viewer.role === 'consultant' && viewer.staffId !== null && (arrival.receiver === viewer.staffId || arrival.owner === viewer.staffId);
  return own ? arrival : { ...arrival, name: null };
}

/** An alert for one viewer, or null when it is not theirs: the customer masked for everyone. */
export function alertFor(viewer: Standing, alert: { kind: string; customer: string | null; payload: { staff?: string | null } }): typeof alert | null {
  const masked = { ...alert, customer: alert.customer === null ? null : maskAny(alert.customer) };
  if (seesAll(viewer)) return masked;
  if (viewer.staffId !== null && alert.payload.staff === viewer.staffId) return masked;
  if (viewer.role === 'frontdesk' && alert.kind === 'all-busy') return masked;
  return null;
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
      if (this.store.hearsOtherProcesses) {
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

  /** Sends each client of the project its own view of a message (`view` returns null: not for that client). */
  private broadcast<T>(projectId: string, event: string, data: T, view: (viewer: Standing, data: T) => unknown = (_v, d) => d): void {
    for (const client of this.clients.get(projectId) ?? []) {
      try {
        const scoped = view(client.viewer, data);
        if (scoped !== null) client.send(event, scoped);
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
        const arrival: Arrival = {
          ...base,
          status: 'accepted',
          receiver: contact?.kind === 'contact' ? (contact.receiver ?? contact.contact.staff) : (event.receivedBy ?? null),
          owner: ownership?.kind === 'ownership' ? ownership.ownership.owner : null,
          countsAsTurn: turn !== undefined,
        };
        this.broadcast(n.projectId, 'arrival', arrival, arrivalFor);
      } else {
        const arrival: Arrival = { ...base, receiver: event.receivedBy ?? null, status: 'rejected', rejection: { code: outcome.rejection.code, field: outcome.rejection.field, message: outcome.rejection.messageZh } };
        this.broadcast(n.projectId, 'arrival', arrival, arrivalFor);
      }
    }
    if (n.rows.some((r) => r.table === 'rotation')) {
      void this.app.rotation(n.projectId).then((r) => this.broadcast(n.projectId, 'rotation', { seq: n.seq, ...r } satisfies LiveRotation), () => {});
    }
    for (const r of n.rows) {
      if (r.table === 'alerts' && r.row) {
        const alert = { seq: n.seq, ...r.row, kind: String(r.row.kind), customer: r.row.customer === null || r.row.customer === undefined ? null : String(r.row.customer), payload: JSON.parse(String(r.row.payload)) as { staff?: string | null } } satisfies LiveAlert;
        this.broadcast(n.projectId, 'alert', alert, alertFor);
      }
    }
    // Reminders (a ruling on my customer, my report converted): each only to its addressee (src/app/notifications.ts).
    if (n.outcome.accepted && (n.event.type === 'ruling' || n.outcome.changes.some((c) => c.kind === 'report-converted'))) {
      void liveNotifications(this.app, n).then((list) => list.forEach((words) => this.broadcast(n.projectId, 'notification', words, notificationFor)), () => {});
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

/**
 * Serves one SSE stream on a route: hijacks the reply, subscribes the viewer to the project's hub, pings every
 * 20 s, and ends with the request. `only`: the event names this stream carries (others are not written).
 */
export function serveStream(request: FastifyRequest, reply: FastifyReply, hub: LiveHub, project: string, viewer: Standing, opts: { only?: ReadonlySet<string>; first?: [string, unknown] } = {}): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let closed = false;
  const send = (event: string, data: unknown) => {
    if (!closed && (!opts.only || opts.only.has(event))) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const end = () => {
    if (closed) return;
    closed = true;
    clearInterval(ping);
    unsubscribe();
    res.end();
  };
  const ping = setInterval(() => !closed && res.write(': ping\n\n'), 20_000);
  ping.unref();
  const unsubscribe = hub.subscribe(project, { send, end, viewer });
  if (opts.first) send(...opts.first);
  else res.write(': open\n\n');
  request.raw.on('close', end);
}
