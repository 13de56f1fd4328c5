// The web app (web/, built by `npm run build:web` into web/dist) served at `/`,
// with the single-page fallback: any GET outside /api that is not a file
// answers index.html, so /front-desk or /manager/policy survive a reload.
//
// It also registers the few read routes the screens need that the API of
// index.ts does not offer (a consultant's customer list, the chain check);
// they are thin reads over the app layer and the store, behind the same
// authentication hook as every /api route.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, posix, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { GuishuApp } from '../app/office.ts';
import type { EventStore } from '../store/index.js';
import { maskPhone } from '../domain/phone.ts';
import { problem, sendProblem } from './problems.ts';

export const WEB_DIST = resolve(fileURLToPath(new URL('../../web/dist', import.meta.url)));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const PROJECT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface WebOptions {
  app: GuishuApp;
  store: EventStore;
  /** Folder of the built app (default web/dist). */
  root?: string;
}

/** Registers the web app and its support routes (call before `ready()`). */
export function registerWeb(fastify: FastifyInstance, opts: WebOptions): void {
  const root = opts.root ?? WEB_DIST;
  registerWebQueries(fastify, opts);

  const missing = '<!doctype html><meta charset="utf-8"><title>归属 Guishu</title><p>网页尚未构建：请运行 <code>npm run build:web</code>。The web app is not built yet: run <code>npm run build:web</code>.</p>';

  fastify.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const path = safeDecode(request.url.split('?')[0] ?? '/');
    if (path === null || isApiPath(path)) {
      return sendProblem(reply, problem(404, 'not-found', 'Not found', `no route GET ${request.url.slice(0, 200)}`));
    }
    const file = normalize(join(root, path));
    if (file.startsWith(root + sep) && !path.endsWith('/')) {
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) {
        const type = TYPES[extname(file)] ?? 'application/octet-stream';
        // Vite names built assets by content hash: cache them for good.
        const immutable = path.startsWith('/assets/');
        return reply
          .type(type)
          .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
          .send(createReadStream(file));
      }
      if (extname(path) !== '') return sendProblem(reply, problem(404, 'not-found', 'Not found', `no file ${path.slice(0, 200)}`));
    }
    const html = await readFile(join(root, 'index.html'), 'utf8').catch(() => missing);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
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

/** Route roles for the accounts' route check (src/server/auth.ts reads `config.roles`). */
const allow = (...roles: string[]) => ({ roles }) as never;

/** The signed-in principal, when accounts are installed (src/server/auth.ts). */
interface PrincipalLike { admin: boolean; roles: Map<string, { role: string; staffId: string | null }> }
const principalOf = (request: unknown) => (request as { principal?: PrincipalLike | null }).principal ?? null;

/** Reads the screens need beyond the API of index.ts. */
function registerWebQueries(fastify: FastifyInstance, { app, store }: WebOptions): void {
  const projectOf = (params: unknown) => {
    const p = (params as { project?: string }).project ?? '';
    if (!PROJECT.test(p)) throw Object.assign(new Error('bad project id'), { statusCode: 400 });
    return p;
  };

  // A customer list from the projection (owner, status, protection), optionally one owner's.
  // A consultant sees only their own; the front desk sees others' phones masked.
  fastify.get('/api/projects/:project/customers', { config: allow('manager', 'controller', 'frontdesk', 'consultant'), schema: { hide: true } }, async (request) => {
    const project = projectOf(request.params);
    await app.getProject(project); // 404 project-not-found
    const q = { ...(request.query as { owner?: string; status?: string; limit?: string }) };
    const p = principalOf(request);
    const m = p && !p.admin ? p.roles.get(project) : undefined;
    if (m?.role === 'consultant') q.owner = m.staffId ?? '\u0000';
    const masked = m?.role === 'frontdesk';
    let sel = store.db.selectFrom('customers').selectAll().where('project_id', '=', project);
    if (q.owner) sel = sel.where('owner', '=', q.owner);
    if (q.status) sel = sel.where('status', '=', q.status);
    const limit = Math.min(Math.max(Number(q.limit) || 500, 1), 5000);
    const rows = await sel.orderBy('updated_seq', 'desc').limit(limit).execute();
    return {
      customers: rows.map((r) => ({
        phone: masked ? maskPhone(r.phone) : r.phone,
        name: r.name,
        owner: r.owner,
        status: r.status,
        protectedUntil: r.protected_until,
        basis: r.basis_clause,
        updatedSeq: Number(r.updated_seq),
      })),
    };
  });

  // Channel reports with what was filed (name, phone or mask, expected arrival): a channel agent's own only;
  // the front desk sees full phones masked. (GET /reports gives the status alone, /events/:id is not for agents.)
  fastify.get('/api/projects/:project/report-details', { config: allow('manager', 'controller', 'frontdesk', 'channel'), schema: { hide: true } }, async (request) => {
    const project = projectOf(request.params);
    const p = principalOf(request);
    const m = p && !p.admin ? p.roles.get(project) : undefined;
    const all = await app.reports(project);
    const mine = m?.role === 'channel' ? all.filter((r) => r.agent === m.staffId) : all;
    const out = [];
    for (const r of mine.slice(-300)) {
      const e = (await app.event(project, r.id)).event as { customer?: { phone: string; name?: string }; expectedAt?: number };
      const phone = e.customer?.phone ?? '';
      out.push({ ...r, name: e.customer?.name ?? null, phone: m?.role === 'frontdesk' && !phone.includes('*') ? maskPhone(phone) : phone, expectedAt: typeof e.expectedAt === 'number' ? new Date(e.expectedAt).toISOString() : null });
    }
    return { reports: out };
  });

  // The hash chain of the project's log, walked end to end (the evidence badge).
  fastify.get('/api/projects/:project/verify', { config: allow('manager', 'controller'), schema: { hide: true } }, async (request) => {
    const project = projectOf(request.params);
    await app.getProject(project);
    return store.verifyChain(project);
  });
}
