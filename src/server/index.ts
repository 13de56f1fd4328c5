// The office server: Fastify 5 with zod schemas (validation + OpenAPI at
// /api/docs), problem+json errors mapped in one place (problems.ts), pino
// logs, SSE for the front desk (live.ts). Routes are thin adapters over the
// app layer (src/app); the acting user reaches `recordedBy` via request.actor.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import { addStaff, changePolicy, setRoster, setStatus } from '../app/commands.ts';
import { GuishuApp, type RecordResult } from '../app/office.ts';
import type { OfficeEvent } from '../domain/events.ts';
import type { EventStore } from '../store/index.js';
import { LiveHub, serveStream } from './live.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { clientErrorHandler, installProblems, problem, sendProblem } from './problems.ts';
import { checkEventRole, installAuth, type AuthOptions, type Guard } from './auth.ts';
import { customerRefs } from '../app/codec.ts';
import { forbidden } from '../auth/errors.ts';
import { channelCard, channelJudge, dealInvolves, maskedCard, maskedDeal, maskedEvent } from '../auth/redact.ts';
import { isManagerial, seesAll, type Role } from '../auth/roles.ts';
import { InvalidInputError } from '../app/errors.ts';
import { DEFAULT_RECORD_TIME, timeOfRecord, type RecordTimeRule } from '../domain/time-of-record.ts';
import { localDay } from '../domain/time.ts';
import type {
  CustomerCard, DealList, DealSummary, EventDetail, EventsPage, Judgement, PolicyList, ProjectDetail, ProjectList, ReportList, Rotation, StaffList, WhatIf,
} from '../shared/api-answers.ts';
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
    /** The acting user's id (set by `authenticate`), recorded as the event's recorded_by. */
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
  /** Accounts: admin bootstrap password, session lifetimes, argon2 cost, judge rate (src/server/auth.ts). */
  auth?: AuthOptions;
  /** How far a client's `at` may stray from the server's clock (default 2 min ahead, 10 min behind). */
  recordTime?: RecordTimeRule;
  /** Folder of the built web app (default web/dist). */
  webRoot?: string;
  /** Fastify's trustProxy: behind a reverse proxy, the client's address comes from X-Forwarded-For (GUISHU_TRUST_PROXY). */
  trustProxy?: number | boolean | string;
}

export interface GuishuServer {
  fastify: FastifyInstance;
  app: GuishuApp;
  live: LiveHub;
  /** Access decisions, accounts and the audit log. */
  guard: Guard;
  /** Every route registered (method, url, config): the role × route matrix test walks it. */
  routes: { method: string; url: string; config: Record<string, unknown> }[];
  close(): Promise<void>;
}

export const VERSION = '0.1.0';
const DOCS_PREFIX = '/api/docs';

/** Content Security Policy: scripts only from this server; inline styles for antd's CSS-in-JS; no framing; no upgrade (offices run on plain HTTP inside their LAN too). */
export const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/**
 * Every route declares who may call it: `config.public` (health, sign-in, the web app's files, the API docs)
 * or `config.roles`. A route without a declaration stops the server at start, so none is open by omission.
 */
export function declaredAccess(method: string | string[], url: string, config: { public?: boolean; roles?: unknown }): void {
  if (config.public === true || config.roles === 'any' || Array.isArray(config.roles)) return;
  throw new Error(`route ${[method].flat().join(',')} ${url} declares no access: give it config.public or config.roles`);
}

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
    ...(opts.trustProxy === undefined ? {} : { trustProxy: opts.trustProxy }),
  } as never) as unknown as FastifyInstance;
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  installProblems(fastify);
  // Security headers on every answer (helmet's, computed once: security-headers.ts); the CSP is the one the web app needs (antd writes its styles at run time).
  installSecurityHeaders(fastify, { contentSecurityPolicy: { directives: CSP } });
  // Answers of 1 KiB or more in brotli or gzip when the client takes them (the web app's files come precompressed,
  // static.ts; the live stream is never compressed). Request bodies are not decompressed.
  await fastify.register(compress, { encodings: ['br', 'gzip'], globalDecompression: false });
  const routes: GuishuServer['routes'] = [];
  fastify.addHook('onRoute', (route) => {
    const config = (route.config ??= {}) as { public?: boolean; roles?: unknown };
    // The OpenAPI document and its viewer, registered by @fastify/swagger-ui under its prefix, are public.
    if (route.url === DOCS_PREFIX || route.url.startsWith(`${DOCS_PREFIX}/`)) config.public = true;
    declaredAccess(route.method, route.url, config);
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url, config: config as Record<string, unknown> });
  });

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
  await fastify.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true });

  // Accounts (src/server/auth.ts): `authenticate` resolves the session or token, checks CSRF and the route's `config.roles`.
  fastify.decorateRequest('actor', null);
  const guard = await installAuth(fastify, { store: opts.store, app, options: opts.auth });
  const ALL: Role[] = ['manager', 'controller', 'frontdesk', 'consultant', 'channel'];
  const STAFF: Role[] = ['manager', 'controller', 'frontdesk', 'consultant'];
  const isToday = async (project: string, ms: number) => {
    const tz = await app.timezone(project);
    return localDay(ms, tz) === localDay(app.now(), tz);
  };
  // Access is decided on the route the router matched, never on the URL's text: `/%61pi/…`, `/api/./…` and
  // every other spelling that reaches a route meets that route's declaration. No route matched: the 404 answers.
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.is404 || request.routeOptions.config?.public === true) return;
    await fastify.authenticate(request, reply);
  });

  const r = fastify.withTypeProvider<ZodTypeProvider>();
  const ctx = (request: FastifyRequest) => ({ recordedBy: request.actor });
  const sendRecorded = (reply: FastifyReply, result: RecordResult) => reply.code(result.repeated ? 200 : 201).send(result);
  const at = async (project: string, value: string | number | undefined, field = 'at') => (value === undefined ? undefined : toInstant(value, await app.timezone(project), field));
  const recordTime = opts.recordTime ?? DEFAULT_RECORD_TIME;
  /**
   * The time of record of an event a request registers: the server's clock, a client's `at` within the skew,
   * or a manager's 补登 with its reason. `at` stays absent when the client sent none (the app dates it now).
   */
  const recorded = (request: FastifyRequest, project: string, when: number | undefined, lateReason: unknown, effectiveAt?: number) => {
    const recorder = isManagerial(guard.standing(request, project)) ? 'manager' : 'staff';
    const now = app.now();
    const reason = typeof lateReason === 'string' ? lateReason : undefined;
    const r = timeOfRecord({ at: when, now, recorder, lateReason: reason, rule: recordTime });
    if (!r.ok) throw new InvalidInputError(r.refusal.field, `${r.refusal.messageEn}（${r.refusal.messageZh}）`, r.refusal.code);
    // A policy version taking effect in the past rewrites past rulings: the same 补登 rule as a past event.
    if (effectiveAt !== undefined && effectiveAt < now - recordTime.behindMs && !r.late) {
      const past = timeOfRecord({ at: effectiveAt, now, recorder, lateReason: reason, rule: recordTime });
      if (!past.ok) throw new InvalidInputError(past.refusal.field === 'at' ? 'effectiveAt' : past.refusal.field, `effectiveAt: ${past.refusal.messageEn}（${past.refusal.messageZh}）`, past.refusal.code);
      return { at: when, lateReason: past.lateReason };
    }
    return { at: when, lateReason: r.late ? r.lateReason : undefined };
  };
  /** An event's times in the project's zone, its `at` as recorded (see `recorded`). */
  const recordedTimes = async <T extends { at?: string | number; lateReason?: unknown }>(request: FastifyRequest, project: string, body: T) => {
    const when = await at(project, body.at);
    const { lateReason, ...rest } = body;
    const r = recorded(request, project, when, lateReason);
    return { ...rest, at: r.at, ...(r.lateReason ? { lateReason: r.lateReason } : {}) };
  };

  r.get('/api/health', { config: { public: true }, schema: { tags: ['system'], summary: 'Liveness and database check' } }, async () => {
    await opts.store.listProjects();
    return { ok: true, version: VERSION, database: opts.store.dialect };
  });

  // -------------------------------------------------------------- projects
  r.post('/api/projects', { config: { roles: [] }, schema: { tags: ['projects'], summary: 'Create a project (sales office) and its first policy version', body: createProjectBody } }, async (request, reply) => {
    const { project, policy } = await app.createProject(request.body, ctx(request));
    return reply.code(201).send({ ...project, policy });
  });
  r.get('/api/projects', { config: { roles: 'any' }, schema: { tags: ['projects'], summary: 'List projects (those where one holds a role; admins: all)' } }, async (request): Promise<ProjectList> => {
    const p = guard.principal(request);
    return { projects: (await app.listProjects()).filter((x) => p.admin || p.roles.has(x.projectId)) };
  });
  r.get('/api/projects/:project', { config: { roles: ALL }, schema: { tags: ['projects'], summary: 'One project', params: projectParams } }, async (request): Promise<ProjectDetail> => app.getProject(request.params.project));

  // -------------------------------------------------------------- staff, roster, status, policies
  r.post('/api/projects/:project/staff', { config: { roles: ['manager'] }, schema: { tags: ['staff'], summary: 'Add (or update) a staff member: a `staff` event', params: projectParams, body: staffBody } }, async (request, reply) => {
    const { project } = request.params;
    const b = request.body;
    return sendRecorded(reply, await addStaff(app, project, { ...(await recordedTimes(request, project, b)), role: b.role ?? 'consultant' }, ctx(request)));
  });
  r.get('/api/projects/:project/staff', { config: { roles: STAFF }, schema: { tags: ['staff'], summary: 'Staff of the project', params: projectParams } }, async (request): Promise<StaffList> => ({ staff: await app.staff(request.params.project) }));
  r.post('/api/projects/:project/roster', { config: { roles: ['manager', 'frontdesk'] }, schema: { tags: ['staff'], summary: "Set the day's rotation roster (a `duty` event)", params: projectParams, body: rosterBody } }, async (request, reply) => {
    const { project } = request.params;
    return sendRecorded(reply, await setRoster(app, project, await recordedTimes(request, project, request.body), ctx(request)));
  });
  r.post('/api/projects/:project/status', { config: { roles: ['manager', 'frontdesk', 'consultant'] }, schema: { tags: ['staff'], summary: 'Set a consultant’s presence (a `status` event; a consultant sets only their own)', params: projectParams, body: statusBody } }, async (request, reply) => {
    const { project } = request.params;
    const b = request.body;
    checkEventRole(guard.standing(request, project), { type: 'status', staff: b.staff });
    return sendRecorded(reply, await setStatus(app, project, { ...(await recordedTimes(request, project, b)), until: await at(project, b.until, 'until') }, ctx(request)));
  });
  r.get('/api/projects/:project/policies', { config: { roles: ALL }, schema: { tags: ['projects'], summary: 'Policy versions', params: projectParams } }, async (request): Promise<PolicyList> => ({ policies: await app.policies(request.params.project) }));
  r.post('/api/projects/:project/policies', { config: { roles: ['manager'] }, schema: { tags: ['projects'], summary: 'A new policy version taking effect at effectiveAt (a `policy` event)', params: projectParams, body: policyBody } }, async (request, reply) => {
    const { project } = request.params;
    const b = request.body;
    const effectiveAt = await at(project, b.effectiveAt, 'effectiveAt');
    const { lateReason, ...rest } = b;
    const r = recorded(request, project, await at(project, b.at), lateReason, effectiveAt);
    return sendRecorded(reply, await changePolicy(app, project, { ...rest, at: r.at, ...(r.lateReason ? { lateReason: r.lateReason } : {}), effectiveAt }, ctx(request)));
  });

  // -------------------------------------------------------------- events
  r.post('/api/projects/:project/events', {
    config: { roles: ['manager', 'frontdesk', 'consultant', 'channel'] },
    schema: { tags: ['events'], summary: 'Record an office event. 201 with status accepted or rejected (a refused event is recorded too); 400 for a malformed request; a repeated id with identical content answers 200 with the original result, with other content 409.', params: projectParams, body: httpEvent },
  }, async (request, reply) => {
    const { project } = request.params;
    checkEventRole(guard.standing(request, project), request.body as { type: string });
    const { lateReason, ...event } = eventTimes(request.body as Record<string, unknown>, await app.timezone(project));
    const r = recorded(request, project, event.at as number | undefined, lateReason, event.type === 'policy' ? (event.effectiveAt as number | undefined) : undefined);
    const timed = { ...event, at: r.at, ...(r.lateReason ? { lateReason: r.lateReason } : {}) };
    return sendRecorded(reply, await app.recordEvent(project, timed as unknown as OfficeEvent, ctx(request)));
  });
  r.get('/api/projects/:project/events', { config: { roles: ['manager', 'controller'] }, schema: { tags: ['events'], summary: 'The log, paged by seq (afterSeq, limit ≤ 1000); the register of every day: manager, or a grant (audited)', params: projectParams, querystring: eventsQuery } }, async (request): Promise<EventsPage<OfficeEvent>> => {
    const { project } = request.params;
    await app.timezone(project);
    await guard.pastAccess(request, project);
    const page = await app.events(project, request.query);
    if (page.events.length) await guard.record(request, project, 'read-log', { detail: { fromSeq: page.events[0]!.seq, toSeq: page.events.at(-1)!.seq } });
    return page;
  });
  r.get('/api/projects/:project/events/:id', { config: { roles: ['manager', 'controller', 'frontdesk'] }, schema: { tags: ['events'], summary: 'One event as recorded, with its current outcome (after corrections); a day before today needs manager or a grant; the front desk sees customers masked', params: idParams } }, async (request): Promise<EventDetail<OfficeEvent>> => {
    const { project, id } = request.params;
    const e = await app.event(project, id);
    await guard.past(request, project, Date.parse(e.at));
    if (!seesAll(guard.standing(request, project))) return { ...e, event: maskedEvent(e.event) };
    if (customerRefs(e.event).length) await guard.record(request, project, 'read-phone', { detail: { event: id, seq: e.seq } });
    return e;
  });

  // -------------------------------------------------------------- queries
  r.post('/api/projects/:project/judge', { config: { roles: ALL }, schema: { tags: ['queries'], summary: 'Who receives this arriving customer and whose customer they are (records nothing); rate-limited per user except managers; a channel agent sees the owner only of customers they reported', params: projectParams, body: judgeBody } }, async (request): Promise<Judgement> => {
    const { project } = request.params;
    const b = request.body;
    guard.lookup(request, project);
    const when = await at(project, b.at);
    await guard.past(request, project, when);
    const answer = await app.judge(project, { phone: b.customer.phone, name: b.customer.name, party: b.party?.map((p) => p.phone), partyNames: b.party?.map((p) => p.name), says: b.says, at: when, purpose: b.purpose, recognizedBy: b.recognizedBy });
    const s = guard.standing(request, project);
    if (!s.admin && s.role === 'channel' && !(s.staffId && (answer.owner === s.staffId || (await app.reportedBy(project, s.staffId, b.customer.phone)).length))) return channelJudge({ ...answer });
    // A channel agent never learns whose the companions are.
    if (!s.admin && s.role === 'channel') return { ...answer, party: [] };
    return answer;
  });
  r.get('/api/projects/:project/customers/:phone', { config: { roles: ALL }, schema: { tags: ['queries'], summary: 'Customer card: owner, status, protection left, basis in words, timeline. In full (audited) for managers, controllers and the owning consultant; masked phone, no name and no history for other consultants; the front desk sees today’s history; a channel agent only customers they reported', params: z.object({ project: projectParams.shape.project, phone: z.string().min(1).max(64) }), querystring: atQuery } }, async (request): Promise<CustomerCard> => {
    const { project, phone } = request.params;
    guard.lookup(request, project);
    const when = await at(project, request.query.at);
    await guard.past(request, project, when);
    const s = guard.standing(request, project);
    const card = await app.customer(project, phone, when);
    if (seesAll(s) || (s.role === 'consultant' && s.staffId !== null && card.owner === s.staffId)) {
      await guard.record(request, project, 'read-phone', { phone: card.phone });
      return card;
    }
    if (s.role === 'channel') {
      const reports = s.staffId ? await app.reportedBy(project, s.staffId, phone) : [];
      if (!reports.length) throw forbidden('a channel agent sees only customers they reported', 'not-your-customer');
      return channelCard(card, reports);
    }
    if (s.role === 'frontdesk') {
      const today = new Set<string>();
      for (const e of card.timeline) if (await isToday(project, Date.parse(e.at))) today.add(e.at);
      return maskedCard(card, (e) => today.has(e.at));
    }
    return maskedCard(card);
  });
  r.get('/api/projects/:project/rotation', { config: { roles: STAFF }, schema: { tags: ['queries'], summary: 'Rotation: next up, order, presence, make-ups, turns', params: projectParams, querystring: atQuery } }, async (request): Promise<Rotation> => {
    const { project } = request.params;
    const when = await at(project, request.query.at);
    await guard.past(request, project, when);
    return app.rotation(project, when);
  });
  r.get('/api/projects/:project/reports', { config: { roles: ['manager', 'controller', 'frontdesk', 'channel'] }, schema: { tags: ['queries'], summary: 'Channel reports and their status (a channel agent: their own)', params: projectParams, querystring: atQuery } }, async (request): Promise<ReportList> => {
    const { project } = request.params;
    const when = await at(project, request.query.at);
    await guard.past(request, project, when);
    const s = guard.standing(request, project);
    const reports = await app.reports(project, when);
    return { reports: !s.admin && s.role === 'channel' ? reports.filter((x) => x.agent === s.staffId) : reports };
  });
  r.get('/api/projects/:project/reports/:id', { config: { roles: ['manager', 'controller', 'frontdesk', 'channel'] }, schema: { tags: ['queries'], summary: 'One report’s status at a time (a channel agent: their own)', params: idParams, querystring: atQuery } }, async (request) => {
    const { project, id } = request.params;
    const when = await at(project, request.query.at);
    await guard.past(request, project, when);
    const s = guard.standing(request, project);
    const report = await app.report(project, id, when);
    if (!s.admin && s.role === 'channel' && report.agent !== s.staffId) throw forbidden('a channel agent sees only their own reports', 'not-your-report');
    return report;
  });
  r.get('/api/projects/:project/deals', { config: { roles: ['manager', 'controller', 'consultant'] }, schema: { tags: ['queries'], summary: 'Deals ledger with performance and commission splits (a consultant: deals they take part in, customers masked)', params: projectParams } }, async (request): Promise<DealList> => {
    const { project } = request.params;
    const s = guard.standing(request, project);
    const deals = await app.deals(project);
    if (!seesAll(s)) return { deals: deals.filter((d) => dealInvolves(d, s.staffId)).map(maskedDeal) };
    if (deals.length) await guard.record(request, project, 'read-phone', { detail: { deals: deals.length } });
    return { deals };
  });
  r.get('/api/projects/:project/deals/:id', { config: { roles: ['manager', 'controller', 'consultant'] }, schema: { tags: ['queries'], summary: 'One deal (a consultant: one they take part in, customers masked)', params: idParams } }, async (request): Promise<DealSummary> => {
    const { project, id } = request.params;
    const s = guard.standing(request, project);
    const deal = await app.deal(project, id);
    if (!seesAll(s)) {
      if (!dealInvolves(deal, s.staffId)) throw forbidden('a consultant sees only deals they take part in', 'not-your-deal');
      return maskedDeal(deal);
    }
    await guard.record(request, project, 'read-phone', { detail: { deal: id } });
    return deal;
  });
  r.post('/api/projects/:project/whatif', { config: { roles: ['manager', 'controller'] }, schema: { tags: ['queries'], summary: 'Replay the log under another preset/set: customers whose owner and deals whose split change', params: projectParams, body: whatifBody } }, async (request): Promise<WhatIf> => {
    const { project } = request.params;
    const b = request.body;
    const result = await app.whatIf(project, { preset: b.preset, set: b.set, at: await at(project, b.at) });
    if (result.customers.length) await guard.record(request, project, 'read-phone', { detail: { whatif: b.preset, customers: result.customers.length } });
    return result;
  });

  // -------------------------------------------------------------- live
  r.get('/api/projects/:project/live', { config: { roles: STAFF }, schema: { tags: ['live'], summary: 'Server-Sent Events: arrival, rotation, alert', params: projectParams } }, async (request, reply) => {
    const { project } = request.params;
    const first = await app.rotation(project); // 404 before the stream opens
    serveStream(request, reply, live, project, guard.standing(request, project), { first: ['rotation', first] });
  });

  (await import('./demo.ts')).registerDemo(fastify, { app }); // demo office loader (docs/web.md)
  (await import('./people.ts')).registerPeople(fastify, { app, guard }); // the consultant's customer page and pool, the departure preview (docs/web.md)
  (await import('./witness.ts')).registerWitness(fastify, { app, store: opts.store, signing: opts.signing }); // signed chain heads (docs/verify.md)
  (await import('./deals.ts')).registerDeals(fastify, { app, guard }); // deals, commission rates, the ledger and statements (docs/api.md)
  (await import('./disputes.ts')).registerDisputes(fastify, { app, store: opts.store, guard, live }); // dispute queue and reminders (docs/api.md)
  (await import('./static.ts')).registerWeb(fastify, { app, store: opts.store, guard, root: opts.webRoot }); // the web app at / (docs/web.md)
  await fastify.ready();
  return {
    fastify,
    app,
    live,
    guard,
    routes,
    async close() {
      live.close();
      await fastify.close();
    },
  };
}
