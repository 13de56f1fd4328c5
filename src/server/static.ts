// The web app (web/, built by `npm run build:web` into web/dist) served at `/`,
// with the single-page fallback: any GET outside /api that is not a file
// answers index.html, so /front-desk or /manager/policy survive a reload.
// Files go out through @fastify/static: the build's precompressed twin
// (`.br`, `.gz`, written by web/vite.config.ts) when the client takes it,
// ETag / Last-Modified, ranges. Other answers are compressed on the fly by
// @fastify/compress (registered in index.ts).
//
// It also registers the few read routes the screens need that the API of
// index.ts does not offer (a consultant's customer list, the chain check);
// they are thin reads over the app layer and the store, behind the same
// authentication hook as every /api route.
import { stat } from 'node:fs/promises';
import { extname, join, normalize, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { GuishuApp } from '../app/office.ts';
import type { EventStore } from '../store/index.js';
import { maskPhone } from '../domain/phone.ts';
import { maskAny } from '../auth/redact.ts';
import { seesAll } from '../auth/roles.ts';
import type { ChainCheck, CustomerList, ReportDetail, ReportDetailList } from '../shared/api-answers.ts';
import type { Guard } from './auth.ts';
import { problem, sendProblem } from './problems.ts';

export const WEB_DIST = resolve(fileURLToPath(new URL('../../web/dist', import.meta.url)));

const PROJECT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface WebOptions {
  app: GuishuApp;
  store: EventStore;
  /** Who is who, and the audit log (src/server/auth.ts). */
  guard: Guard;
  /** Folder of the built app (default web/dist). */
  root?: string;
}

/** Registers the web app and its support routes (call before `ready()`). */
export function registerWeb(fastify: FastifyInstance, opts: WebOptions): void {
  const root = resolve(opts.root ?? WEB_DIST);
  registerWebQueries(fastify, opts);

  const missing = '<!doctype html><meta charset="utf-8"><title>归属 Guishu</title><p>网页尚未构建：请运行 <code>npm run build:web</code>。The web app is not built yet: run <code>npm run build:web</code>.</p>';

  // `serve: false`: the plugin adds `reply.sendFile` and no route of its own — the one route below decides
  // what a path is (and declares itself public), so the API's 404 rule stays in one place.
  void fastify.register(fastifyStatic, { root, serve: false, preCompressed: true, index: false, dotfiles: 'ignore' });

  fastify.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const path = safeDecode(request.url.split('?')[0] ?? '/');
    if (path === null || isApiPath(path)) {
      return sendProblem(reply, problem(404, 'not-found', 'Not found', `no route GET ${request.url.slice(0, 200)}`));
    }
    const file = normalize(join(root, path));
    // A path with an extension names a file of the build (a missing one is a 404 problem); any other path is a
    // page of the app. Vite's build has no file without an extension.
    if (file.startsWith(root + sep) && !path.endsWith('/') && extname(path) !== '') {
      const name = relative(root, file).split(sep).join('/');
      // Vite names built assets by content hash: cache them for good; anything else is revalidated (ETag).
      const immutable = name.startsWith('assets/');
      if (!immutable) reply.header('cache-control', 'no-cache');
      return reply.sendFile(`/${name}`, immutable ? { maxAge: 31_536_000_000, immutable: true } : { cacheControl: false });
    }
    const built = await stat(join(root, 'index.html')).then((s) => s.isFile(), () => false);
    if (!built) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(missing);
    return reply.header('cache-control', 'no-cache').sendFile('/index.html', { cacheControl: false });
  });
}

/** The path decoded, or null when it does not decode (a stray `%`). */
function safeDecode(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/**
 * Whether a path that reached the web app's fallback is an API path spelled another way (`//api/…`, `/api/./…`,
 * `/API/…`, a trailing slash): it answers 404, never the app's page, so no spelling of an API path answers 2xx.
 */
export function isApiPath(decoded: string): boolean {
  const p = posix.normalize(decoded.replace(/\\/g, '/')).replace(/\/+/g, '/').toLowerCase();
  return p === '/api' || p === '/api/' || p.startsWith('/api/');
}

/** Reads the screens need beyond the API of index.ts, scoped and audited like the customer card. */
function registerWebQueries(fastify: FastifyInstance, { app, store, guard }: WebOptions): void {
  const projectOf = (params: unknown) => {
    const p = (params as { project?: string }).project ?? '';
    if (!PROJECT.test(p)) throw Object.assign(new Error('bad project id'), { statusCode: 400 });
    return p;
  };

  // A customer list from the projection (owner, status, protection), optionally one owner's. Like the card:
  // managers, controllers and admins in full, audited; a consultant their own customers, in full, audited;
  // the front desk masked phones and no names.
  fastify.get('/api/projects/:project/customers', { config: { roles: ['manager', 'controller', 'frontdesk', 'consultant'] }, schema: { hide: true } }, async (request): Promise<CustomerList> => {
    const project = projectOf(request.params);
    await app.getProject(project); // 404 project-not-found
    const q = { ...(request.query as { owner?: string; status?: string; limit?: string }) };
    const s = guard.standing(request, project);
    if (!seesAll(s) && s.role === 'consultant') q.owner = s.staffId ?? '\u0000';
    const full = seesAll(s) || s.role === 'consultant';
    const limit = Math.min(Math.max(Number(q.limit) || 500, 1), 5000);
    const rows = await store.customerList(project, { owner: q.owner || undefined, status: q.status || undefined, limit });
    if (full && rows.length) await guard.record(request, project, 'read-phone', { detail: { customers: rows.length } });
    return { customers: rows.map((r) => (full ? r : { ...r, phone: maskPhone(r.phone), name: null })) };
  });

  // Channel reports with what was filed (name, phone or mask, expected arrival): a channel agent's own only, as
  // they filed them; the front desk masked phones and no names; full phones are audited.
  // (GET /reports gives the status alone, /events/:id is not for agents.)
  fastify.get('/api/projects/:project/report-details', { config: { roles: ['manager', 'controller', 'frontdesk', 'channel'] }, schema: { hide: true } }, async (request): Promise<ReportDetailList> => {
    const project = projectOf(request.params);
    const s = guard.standing(request, project);
    const all = await app.reports(project);
    const channel = !s.admin && s.role === 'channel';
    const desk = !seesAll(s) && s.role === 'frontdesk';
    const mine = channel ? all.filter((r) => r.agent === s.staffId) : all;
    const out: ReportDetail[] = [];
    let unmasked = 0;
    for (const r of mine.slice(-300)) {
      const e = (await app.event(project, r.id)).event as { customer?: { phone: string; name?: string }; expectedAt?: number };
      const phone = e.customer?.phone ?? '';
      const shown = desk ? maskAny(phone) : phone;
      if (!shown.includes('*') && shown !== '') unmasked++;
      out.push({ ...r, name: desk ? null : (e.customer?.name ?? null), phone: shown, expectedAt: typeof e.expectedAt === 'number' ? new Date(e.expectedAt).toISOString() : null });
    }
    if (unmasked) await guard.record(request, project, 'read-phone', { detail: { reports: unmasked } });
    return { reports: out };
  });

  // The hash chain of the project's log, walked end to end (the evidence badge).
  fastify.get('/api/projects/:project/verify', { config: { roles: ['manager', 'controller'] }, schema: { hide: true } }, async (request): Promise<ChainCheck> => {
    const project = projectOf(request.params);
    await app.getProject(project);
    return store.verifyChain(project);
  });
}
