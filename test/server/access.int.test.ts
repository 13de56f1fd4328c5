// Access is declared per route and checked on the route the router matched.
// Every route the server registers (the web app's hidden ones too) is called
// without a session under many spellings of its path — percent-encoded
// letters, dot segments, doubled slashes, a trailing slash, upper case,
// encoded slashes — and none answers 2xx. Raw HTTP (node:http), because
// fetch would tidy the spellings away before they reach the server.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, TARGETS, warnSkips } from './harness.ts';
import { openOffice, P1, PA, type Office } from '../auth/fixture.ts';
import { declaredAccess } from '../../src/server/index.ts';

warnSkips('route access');
afterAll(cleanup);

/** The routes that answer without a session, by declaration. Adding one is a decision this list records. */
const PUBLIC = ['GET /*', 'GET /api/demo', 'GET /api/health', 'GET /api/keys', 'POST /api/auth/login', 'POST /api/demo/load'];

/** A concrete path for a route pattern, with values that exist in the fixture office. */
export function concretePath(url: string): string {
  const values: Record<string, string> = { project: P1, phone: PA, id: 'va', user: 'conA' };
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) => values[name] ?? 'x').replace(/\*$/, 'x');
}

const encodeLetter = (c: string) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Other ways of writing one path that a careless check could read differently from the router. */
export function spellings(path: string): string[] {
  const segments = path.split('/').slice(1);
  const out = new Set<string>([
    path,
    path.replace('/api/', '/%61pi/'),
    path.replace('/api/', '/%41pi/'),
    '/' + segments.map((s) => (s ? encodeLetter(s[0]!) + s.slice(1) : s)).join('/'),
    '/' + segments.map((s) => [...s].map((c) => (/[a-z]/i.test(c) ? encodeLetter(c) : c)).join('')).join('/'),
    path.replace('/api/', '/api/./'),
    `/.${path}`,
    `/x/..${path}`,
    `/api/projects/..${path.slice(4)}`,
    path.replace('/api/', '/api/%2e/'),
    path.replace('/api/', '/x/%2e%2e/api/'),
    `/${path}`,
    path.replace('/api/', '/api//'),
    path.replace(/\/([^/]+)$/, '//$1'),
    `${path}/`,
    `${path}//`,
    path.toUpperCase(),
    path.replace('/api/', '/API/'),
    path.replaceAll('/', '%2F'),
    path.replace('/api/', '/api%2F'),
    path.replace('/api/', '/api\\'),
    `${path};x`,
    `${path}%20`,
    `${path}?`,
    `${path}#x`,
  ]);
  return [...out];
}

function raw(base: string, method: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {} }, (res) => {
      const chunks: Buffer[] = [];
      // The live stream would hold the connection open: a status is all this test needs.
      if (res.headers['content-type']?.startsWith('text/event-stream')) {
        req.destroy();
        return resolve({ status: res.statusCode ?? 0, body: '(stream)' });
      }
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 300) }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout ${method} ${path}`)));
    if (body) req.write(body);
    req.end();
  });
}

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`route access on ${target.name}`, () => {
    let office: Office;
    beforeAll(async () => {
      office = await openOffice(target.freshConfig(), { argon: { memoryCost: 4096, timeCost: 1 } });
    });
    afterAll(async () => office?.running.close());

    it('a route without a declaration stops the server at start', () => {
      expect(() => declaredAccess('GET', '/api/new', {})).toThrow(/declares no access/);
      expect(() => declaredAccess('GET', '/api/new', { roles: 'manager' })).toThrow(/declares no access/);
      expect(() => declaredAccess('GET', '/api/new', { roles: [] })).not.toThrow();
    });

    it('every route declares who may call it, and only the listed ones are public', () => {
      const routes = office.running.server.routes;
      expect(routes.length).toBeGreaterThan(40);
      for (const r of routes) expect(r.config.public === true || r.config.roles === 'any' || Array.isArray(r.config.roles), `${r.method} ${r.url}`).toBe(true);
      const open = routes.filter((r) => r.config.public === true && !r.url.startsWith('/api/docs')).map((r) => `${r.method} ${r.url}`);
      expect([...new Set(open)].sort()).toEqual(PUBLIC);
    });

    it('no route answers 2xx without a session, however its path is spelled', async () => {
      const routes = office.running.server.routes.filter((r) => r.config.public !== true);
      const answered: string[] = [];
      let tried = 0;
      for (const r of routes) {
        for (const path of spellings(concretePath(r.url))) {
          const res = await raw(office.base, r.method, path);
          tried++;
          if (res.status >= 200 && res.status < 300) answered.push(`${res.status} ${r.method} ${path} ${res.body}`);
        }
      }
      expect(tried).toBeGreaterThan(routes.length * 15);
      expect(answered).toEqual([]);
    });

    it('the plain spelling with a session still answers (the spellings test can fail)', async () => {
      const res = await office.as('mgr', 'GET', `/api/projects/${P1}/customers`);
      expect(res.status).toBe(200);
      const encoded = await raw(office.base, 'GET', `/%61pi/projects/${P1}/customers`);
      expect(encoded.status).toBe(401);
    });

    it('the web app still answers its own pages, and API-looking paths get a 404 problem, not the page', async () => {
      expect((await raw(office.base, 'GET', '/front-desk')).status).toBe(200);
      for (const p of ['//api/projects', '/API/health/', '/api/./nothing', '/x/../api/projects/alpha/customers/']) {
        const res = await raw(office.base, 'GET', p);
        expect(res.status, p).toBe(404);
      }
    });
  });
}
