// The office server: Fastify 5 with zod schemas (validation + OpenAPI at
// /api/docs), problem+json errors mapped in one place (problems.ts), pino
// logs, SSE for the front desk (live.ts). Routes are thin adapters over the
// app layer (src/app); the acting user reaches `recordedBy` via request.actor.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import { addStaff, changePolicy, setRoster, setStatus } from '../app/commands.ts';
import { GuishuApp, type RecordResult } from '../app/office.ts';
import type { OfficeEvent } from '../domain/events.ts';
import type { EventStore } from '../store/index.js';
import { LiveHub } from './live.ts';
import { clientErrorHandler, installProblems, problem, sendProblem } from './problems.ts';
import {
  atQuery, createProjectBody, eventsQuery, eventTimes, httpEvent, idParams, judgeBody, policyBody, projectParams, rosterBody, staffBody,
  statusBody, toInstant, whatifBody,
} from './schemas.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Authentication hook, run on every /api route not marked `config.public`.
     * A no-op for now: the accounts engineer replaces it (sessions/tokens;
     * answers 401 problem+json) and sets `request.actor`.
     */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyRequest {
    /** The acting user (account or staff id), recorded as the event's recorded_by. Null until accounts exist. */
    actor: string | null;
  }
  interface FastifyContextConfig {
    /** Route answers without authentication (health, docs, login). */
    public?: boolean;
  }
}

export interface ServerOptions {
  store: EventStore;
  app?: GuishuApp;
  /** A pino logger, or false for none (tests). */
  logger?: Logger | false;
  bodyLimit?: number;
}

export interface GuishuServer {
  fastify: FastifyInstance;
  app: GuishuApp;
  live: LiveHub;
  close(): Promise<void>;
}

export const VERSION = '0.1.0';

export async function buildServer(opts: ServerOptions): Promise<GuishuServer> {
  const app = opts.app ?? new GuishuApp({ store: opts.store });
  const fastify = Fastify({
    loggerInstance: opts.logger || undefined,
    logger: opts.logger === undefined ? false : undefined,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    // Long params reach the zod schemas (a 400 naming the field) rather than the router's bare 414.
    routerOptions: { maxParamLength: 16_384 },
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, problem(400, 'bad-url', 'Bad request', String(error.message).slice(0, 200))),
    clientErrorHandler,
    requestIdHeader: 'x-request-id',
  } as never) as unknown as FastifyInstance;
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  installProblems(fastify);

  const live = new LiveHub(app, opts.store);

  await fastify.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Guishu 归属 office API', description: 'Customer attribution (客户归属) for sales offices: events, rulings, rotation, reports, deals. Errors are application/problem+json with a stable `code`.', version: VERSION },
      tags: [
        { name: 'projects' }, { name: 'staff' }, { name: 'events' }, { name: 'queries' }, { name: 'live' }, { name: 'system' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await fastify.register(swaggerUi, { routePrefix: '/api/docs' });

  // Accounts hook: a no-op that the next engineer fills in.
  fastify.decorate('authenticate', async (_request: FastifyRequest, _reply: FastifyReply) => {});
  fastify.decorateRequest('actor', null);
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs') || request.routeOptions.config?.public) return;
    await fastify.authenticate(request, reply);
  });

  const r = fastify.withTypeProvider<ZodTypeProvider>();
  const ctx = (request: FastifyRequest) => ({ recordedBy: request.actor });
  const sendRecorded = (reply: FastifyReply, result: RecordResult) => reply.code(result.repeated ? 200 : 201).send(result);
  const at = async (project: string, value: string | number | undefined, field = 'at') => (value === undefined ? undefined : toInstant(value, await app.timezone(project), field));

  r.get('/api/health', { config: { public: true }, schema: { tags: ['system'], summary: 'Liveness and database check' } }, async () => {
    await opts.store.listProjects();
    return { ok: true, version: VERSION, database: opts.store.dialect };
  });

  // -------------------------------------------------------------- projects
  r.post('/api/projects', { schema: { tags: ['projects'], summary: 'Create a project (sales office) and its first policy version', body: createProjectBody } }, async (request, reply) => {
    const { project, policy } = await app.createProject(request.body, ctx(request));
    return reply.code(201).send({ ...project, policy });
  });
  r.get('/api/projects', { schema: { tags: ['projects'], summary: 'List projects' } }, async () => ({ projects: await app.listProjects() }));
  r.get('/api/projects/:project', { schema: { tags: ['projects'], summary: 'One project', params: projectParams } }, async (request) => app.getProject(request.params.project));

  // -------------------------------------------------------------- staff, roster, status, policies
  r.post('/api/projects/:project/staff', { schema: { tags: ['staff'], summary: 'Add (or update) a staff member: a `staff` event', params: projectParams, body: staffBody } }, async (request, reply) => {
    const { project } = request.params;
    const b = request.body;
    return sendRecorded(reply, await addStaff(app, project, { ...b, role: b.role ?? 'consultant', at: await at(project, b.at) }, ctx(request)));
  });
  r.get('/api/projects/:project/staff', { schema: { tags: ['staff'], summary: 'Staff of the project', params: projectParams } }, async (request) => ({ staff: await app.staff(request.params.project) }));
  r.post('/api/projects/:project/roster', { schema: { tags: ['staff'], summary: "Set the day's rotation roster (a `duty` event)", params: projectParams, body: rosterBody } }, async (request, reply) => {
    const { project } = request.params;
    return sendRecorded(reply, await setRoster(app, project, { ...request.body, at: await at(project, request.body.at) }, ctx(request)));
  });
  r.post('/api/projects/:project/status', { schema: { tags: ['staff'], summary: 'Set a consultant’s presence (a `status` event)', params: projectParams, body: statusBody } }, async (request, reply) => {
    const { project } = request.params;
    const b = request.body;
    return sendRecorded(reply, await setStatus(app, project, { ...b, at: await at(project, b.at), until: await at(project, b.until, 'until') }, ctx(request)));
  });
  r.get('/api/projects/:project/policies', { schema: { tags: ['projects'], summary: 'Policy versions', params: projectParams } }, async (request) => ({ policies: await app.policies(request.params.project) }));
  r.post('/api/projects/:project/policies', { schema: { tags: ['projects'], summary: 'A new policy version taking effect at effectiveAt (a `policy` event)', params: projectParams, body: policyBody } }, async (request, reply) => {
    const { project } = request.params;
    const b = request.body;
    return sendRecorded(reply, await changePolicy(app, project, { ...b, at: await at(project, b.at), effectiveAt: await at(project, b.effectiveAt, 'effectiveAt') }, ctx(request)));
  });

  // -------------------------------------------------------------- events
  r.post('/api/projects/:project/events', {
    schema: { tags: ['events'], summary: 'Record an office event. 201 with status accepted or rejected (a refused event is recorded too); 400 for a malformed request; a repeated id with identical content answers 200 with the original result, with other content 409.', params: projectParams, body: httpEvent },
  }, async (request, reply) => {
    const { project } = request.params;
    const event = eventTimes(request.body as Record<string, unknown>, await app.timezone(project));
    return sendRecorded(reply, await app.recordEvent(project, event as unknown as OfficeEvent, ctx(request)));
  });
  r.get('/api/projects/:project/events', { schema: { tags: ['events'], summary: 'The log, paged by seq (afterSeq, limit ≤ 1000)', params: projectParams, querystring: eventsQuery } }, async (request) => app.events(request.params.project, request.query));
  r.get('/api/projects/:project/events/:id', { schema: { tags: ['events'], summary: 'One event as recorded, with its current outcome (after corrections)', params: idParams } }, async (request) => app.event(request.params.project, request.params.id));

  // -------------------------------------------------------------- queries
  r.post('/api/projects/:project/judge', { schema: { tags: ['queries'], summary: 'Who receives this arriving customer and whose customer they are (records nothing)', params: projectParams, body: judgeBody } }, async (request) => {
    const { project } = request.params;
    const b = request.body;
    return app.judge(project, { phone: b.customer.phone, party: b.party?.map((p) => p.phone), says: b.says, at: await at(project, b.at), purpose: b.purpose, recognizedBy: b.recognizedBy });
  });
  r.get('/api/projects/:project/customers/:phone', { schema: { tags: ['queries'], summary: 'Customer card: owner, status, protection left, basis in words, timeline', params: z.object({ project: projectParams.shape.project, phone: z.string().min(1).max(64) }), querystring: atQuery } }, async (request) => {
    const { project, phone } = request.params;
    return app.customer(project, phone, await at(project, request.query.at));
  });
  r.get('/api/projects/:project/rotation', { schema: { tags: ['queries'], summary: 'Rotation: next up, order, presence, make-ups, turns', params: projectParams, querystring: atQuery } }, async (request) => {
    const { project } = request.params;
    return app.rotation(project, await at(project, request.query.at));
  });
  r.get('/api/projects/:project/reports', { schema: { tags: ['queries'], summary: 'Channel reports and their status', params: projectParams, querystring: atQuery } }, async (request) => {
    const { project } = request.params;
    return { reports: await app.reports(project, await at(project, request.query.at)) };
  });
  r.get('/api/projects/:project/reports/:id', { schema: { tags: ['queries'], summary: 'One report’s status at a time', params: idParams, querystring: atQuery } }, async (request) => {
    const { project, id } = request.params;
    return app.report(project, id, await at(project, request.query.at));
  });
  r.get('/api/projects/:project/deals', { schema: { tags: ['queries'], summary: 'Deals ledger with performance and commission splits', params: projectParams } }, async (request) => ({ deals: await app.deals(request.params.project) }));
  r.get('/api/projects/:project/deals/:id', { schema: { tags: ['queries'], summary: 'One deal', params: idParams } }, async (request) => app.deal(request.params.project, request.params.id));
  r.post('/api/projects/:project/whatif', { schema: { tags: ['queries'], summary: 'Replay the log under another preset/set: customers whose owner and deals whose split change', params: projectParams, body: whatifBody } }, async (request) => {
    const { project } = request.params;
    const b = request.body;
    return app.whatIf(project, { preset: b.preset, set: b.set, at: await at(project, b.at) });
  });

  // -------------------------------------------------------------- live
  r.get('/api/projects/:project/live', { schema: { tags: ['live'], summary: 'Server-Sent Events: arrival, rotation, alert', params: projectParams } }, async (request, reply) => {
    const { project } = request.params;
    const first = await app.rotation(project); // 404 before the stream opens
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    let closed = false;
    const send = (event: string, data: unknown) => {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
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
    const unsubscribe = live.subscribe(project, { send, end });
    send('rotation', first);
    request.raw.on('close', end);
  });

  await fastify.ready();
  return {
    fastify,
    app,
    live,
    async close() {
      live.close();
      await fastify.close();
    },
  };
}
