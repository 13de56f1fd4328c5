// The dispute queue and the reminders (docs/api.md, Disputes and reminders):
//   GET  /api/projects/:project/disputes            manager, controller — full phones, audited
//   GET  /api/projects/:project/notifications       everyone — my reminders, phones masked
//   POST /api/projects/:project/notifications/read  everyone — mark mine read
//   GET  /api/projects/:project/notifications/live  everyone — SSE: only `notification` events, only mine
// Thin adapters over src/app/disputes.ts and src/app/notifications.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DISPUTE_KINDS, DisputeIndex, type DisputeKind } from '../app/disputes.ts';
import { markRead, notificationsFor } from '../app/notifications.ts';
import type { GuishuApp } from '../app/office.ts';
import type { Role } from '../auth/roles.ts';
import type { EventStore } from '../store/index.js';
import type { DisputeList, MarkedRead, NotificationList } from '../shared/api-answers.ts';
import type { Guard } from './auth.ts';
import { serveStream, type LiveHub } from './live.ts';

/** The reminders stream carries reminders (and the shutdown's goodbye), nothing else of the office. */
const REMINDERS_ONLY: ReadonlySet<string> = new Set(['notification', 'bye']);
import { projectParams, readBody } from './schemas.ts';

export interface DisputeRouteOptions {
  app: GuishuApp;
  store: EventStore;
  guard: Guard;
  live: LiveHub;
}

const ALL: Role[] = ['manager', 'controller', 'frontdesk', 'consultant', 'channel'];

const disputesQuery = z.object({
  kind: z.string().max(400).optional().refine((v) => v === undefined || v.split(',').every((k) => (DISPUTE_KINDS as readonly string[]).includes(k)), { message: `comma-separated, each one of ${DISPUTE_KINDS.join(', ')}` }),
  open: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
const notificationsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });

/** Registers the routes; the dispute index lives as long as the server (closed with it). */
export function registerDisputes(fastify: FastifyInstance, { app, store, guard, live }: DisputeRouteOptions): DisputeIndex {
  const index = new DisputeIndex(app, store);
  fastify.addHook('onClose', async () => index.close());
  const r = fastify.withTypeProvider<ZodTypeProvider>();

  r.get('/api/projects/:project/disputes', {
    config: { roles: ['manager', 'controller'] },
    schema: { tags: ['disputes'], summary: 'The dispute queue, newest first: reports against visits, parties that swallowed a report, recognitions after another’s reception, two consultants the same day, lapses re-registered by another, complaints, overrides, objections — each with the staff involved, the evidence event ids and the clause of the current decision (full phones, audited)', params: projectParams, querystring: disputesQuery },
  }, async (request): Promise<DisputeList> => {
    const { project } = request.params;
    const q = request.query;
    const disputes = await index.disputes(project, { kinds: q.kind ? (q.kind.split(',') as DisputeKind[]) : undefined, open: q.open === 'true', limit: q.limit ?? 200 });
    if (disputes.length) await guard.record(request, project, 'read-phone', { detail: { disputes: disputes.length } });
    return { disputes, at: new Date(app.now()).toISOString() };
  });

  const reader = (request: Parameters<Guard['principal']>[0], project: string) => {
    const s = guard.standing(request, project);
    return { userId: guard.principal(request).userId, staffId: s.staffId, role: s.role, admin: s.admin };
  };

  r.get('/api/projects/:project/notifications', {
    config: { roles: ALL },
    schema: { tags: ['notifications'], summary: 'My reminders, newest first: protection ending on my customers, my reports’ status, rulings on my customers (managers: open disputes too); phones masked; `read` per reminder and the unread count', params: projectParams, querystring: notificationsQuery },
  }, async (request): Promise<NotificationList> => {
    const { project } = request.params;
    return notificationsFor(app, index, store, project, reader(request, project), { limit: request.query.limit ?? 100 });
  });

  r.post('/api/projects/:project/notifications/read', {
    config: { roles: ALL },
    schema: { tags: ['notifications'], summary: 'Mark my reminders read: `ids`, or `all: true` for every one listed now', params: projectParams, body: readBody },
  }, async (request): Promise<MarkedRead> => {
    const { project } = request.params;
    const who = reader(request, project);
    let ids = request.body.ids ?? [];
    if (request.body.all) ids = (await notificationsFor(app, index, store, project, who, { limit: 500 })).notifications.map((n) => n.id);
    else await app.timezone(project); // 404 for an unknown project
    const marked = await markRead(store, project, who.userId, ids, app.now()); // the server's clock, as for every record
    return { marked };
  });

  r.get('/api/projects/:project/notifications/live', {
    config: { roles: ALL },
    schema: { tags: ['notifications'], summary: 'Server-Sent Events: `notification`, each only to its addressee (the stream of every role, channel agents included; nothing else of the office)', params: projectParams },
  }, async (request, reply) => {
    const { project } = request.params;
    await app.timezone(project); // 404 before the stream opens
    // Only reminders: this stream is open to channel agents, who see nothing else of the office live.
    serveStream(request, reply, live, project, guard.standing(request, project), { only: REMINDERS_ONLY });
  });

  return index;
}
