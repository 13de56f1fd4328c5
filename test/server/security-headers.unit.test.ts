// The server computes helmet's headers once (src/server/security-headers.ts)
// instead of registering @fastify/helmet, which recomputes them per request.
// Given the same options, a route must answer with exactly the headers
// @fastify/helmet would set — for the server's own CSP and for helmet's defaults.
import fastifyHelmet from '@fastify/helmet';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { CSP } from '../../src/server/index.ts';
import { helmetHeaders, installSecurityHeaders } from '../../src/server/security-headers.ts';

const HELMET_NAMES = new Set(Object.keys(helmetHeaders({})));

async function headersOf(install: (f: ReturnType<typeof Fastify>) => Promise<void> | void): Promise<Record<string, string>> {
  const f = Fastify();
  await install(f);
  f.get('/x', async () => ({ ok: true }));
  const res = await f.inject({ method: 'GET', url: '/x' });
  await f.close();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (HELMET_NAMES.has(k) || k === 'content-security-policy') out[k] = String(v);
  return out;
}

describe('security headers, computed once', () => {
  for (const [name, options] of [['the server CSP', { contentSecurityPolicy: { directives: CSP } }], ['helmet defaults', {}]] as const) {
    it(`equal @fastify/helmet's for ${name}`, async () => {
      const ours = await headersOf((f) => installSecurityHeaders(f, options));
      const theirs = await headersOf((f) => f.register(fastifyHelmet, options));
      expect(Object.keys(ours).length).toBeGreaterThan(8);
      expect(ours).toEqual(theirs);
    });
  }

  it('carry the CSP the web app needs', () => {
    const h = helmetHeaders({ contentSecurityPolicy: { directives: CSP } });
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['content-security-policy']).not.toContain('unsafe-eval');
    expect(h['x-content-type-options']).toBe('nosniff');
  });

  it('refuse options helmet refuses', () => {
    expect(() => helmetHeaders({ contentSecurityPolicy: { directives: { 'default-src': ["'self'", 'bad value;'] } } })).toThrow();
  });
});
