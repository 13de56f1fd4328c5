// The request log holds no customer's phone: not in the URLs of the card,
// export and erase routes, not in error messages. And every answer carries
// the security headers, with a CSP.
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { api, cleanup, signIn, TARGETS } from './harness.ts';
import { buildServer } from '../../src/server/index.ts';
import { createLogger, redactPhones } from '../../src/server/logging.ts';
import { openStore } from '../../src/store/index.js';

afterAll(cleanup);

describe('phones out of the log', () => {
  it('redactPhones masks every spelling of a mainland mobile in free text', () => {
    expect(redactPhones('/api/projects/p/customers/13812345678/erase')).toBe('/api/projects/p/customers/138****5678/erase');
    expect(redactPhones('/c/%2B8613812345678?x=+86 138-1234-5678 and 008613812345678')).not.toMatch(/1234/);
    expect(redactPhones('seq 123456789012 and order 20250301')).toBe('seq 123456789012 and order 20250301');
  });

  it('a server with the production logger writes no phone of a card, export, erasure or refused request', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString('utf8')); cb(); } });
    const store = await openStore(TARGETS[0]!.freshConfig());
    const server = await buildServer({ store, logger: createLogger('info', sink) });
    const base = await server.fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { token } = await signIn(base, 'admin', process.env.GUISHU_ADMIN_PASSWORD!);
      const as = (method: string, path: string, body?: unknown) => api(base, method, path, body, { authorization: `Bearer ${token}` });
      expect((await as('POST', '/api/projects', { id: 'logp', name: 'log', preset: 'standard' })).status).toBe(201);
      expect((await as('POST', '/api/projects/logp/staff', { staff: 'A' })).status).toBe(201);
      expect((await as('POST', '/api/projects/logp/events', { type: 'visit', customer: { phone: '13812345678', name: '冯先生' }, receivedBy: 'A' })).status).toBe(201);
      expect((await as('GET', '/api/projects/logp/customers/13812345678')).status).toBe(200);
      expect((await as('GET', '/api/projects/logp/customers/%2B86%20138%201234%205678')).status).toBe(200);
      expect((await as('GET', '/api/projects/logp/customers/13812345678/export?reason=request')).status).toBe(200);
      expect((await as('GET', '/api/projects/nope/customers/13812345678')).status).toBe(404);
      expect((await as('POST', '/api/projects/logp/customers/13812345678/erase', { reason: 'customer asked' })).status).toBe(200);
      const log = lines.join('');
      expect(log).toContain('138****5678'); // the requests were logged …
      expect(log).not.toMatch(/1234.?5678/); // … without the phone
      expect(log).not.toContain('冯先生');
    } finally {
      await server.close();
      await store.close();
    }
  });

  it('every answer carries the security headers and a CSP that allows only this server’s scripts', async () => {
    const store = await openStore(TARGETS[0]!.freshConfig());
    const server = await buildServer({ store });
    const base = await server.fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      for (const path of ['/', '/api/health', '/api/projects']) {
        const res = await fetch(`${base}${path}`);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp, path).toContain("script-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toContain('upgrade-insecure-requests');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      }
    } finally {
      await server.close();
      await store.close();
    }
  });
});
