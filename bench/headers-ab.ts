// `node --import tsx bench/headers-ab.ts [ROUNDS]`: security headers by @fastify/helmet (helmet(options) per
// request) against helmet's headers computed once (src/server/security-headers.ts), on the same route
// answering a judge-sized JSON, 50 connections, rounds alternated so the shared machine's load falls on both.
// The load generator runs in its own process (bench/lib/load.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyHelmet from '@fastify/helmet';
import Fastify from 'fastify';
import { CSP } from '../src/server/index.ts';
import { installSecurityHeaders } from '../src/server/security-headers.ts';
import type { LoadResult } from './lib/load.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = { contentSecurityPolicy: { directives: CSP } };
const answer = { receiver: 'gw01', owner: 'gw03', countsAsTurn: false, basis: { clause: 'standard.protection', events: ['e1', 'e2'], text: { zh: '首次到访登记后保护期内', en: 'within protection after the first visit' } }, reason: { zh: '客户归属 gw03（保护期内）', en: 'belongs to gw03 (protected)' }, at: '2026-12-03T10:00:00+08:00' };

async function server(variant: 'fastify-helmet' | 'once'): Promise<{ base: string; close: () => Promise<void> }> {
  const f = Fastify();
  if (variant === 'fastify-helmet') await f.register(fastifyHelmet, options);
  else installSecurityHeaders(f, options);
  f.post('/judge', async () => answer);
  const base = await f.listen({ port: 0, host: '127.0.0.1' });
  return { base, close: () => f.close() };
}

const rounds = Number(process.argv[2] ?? 4);
const servers = { 'fastify-helmet': await server('fastify-helmet'), once: await server('once') };
const rates: Record<string, number[]> = { 'fastify-helmet': [], once: [] };
for (let round = 0; round < rounds; round++) {
  for (const variant of (round % 2 ? ['once', 'fastify-helmet'] : ['fastify-helmet', 'once']) as (keyof typeof servers)[]) {
    const spec = { base: servers[variant].base, kind: 'fixed', paths: ['/judge'], bodies: ['{"customer":{"phone":"13800138000"}}'], connections: 50, seconds: 3, maxRequests: 2_000_000 };
    // Asynchronously: the servers answer from this process's event loop.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/lib/load.ts', JSON.stringify(spec)], { cwd: ROOT, encoding: 'utf8' });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
    rates[variant]!.push(result.rps);
    console.log(`round ${round} ${variant}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99} ms`);
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(`median @fastify/helmet ${med(rates['fastify-helmet']!).toFixed(0)} req/s, computed once ${med(rates.once!).toFixed(0)} req/s, ratio ${(med(rates.once!) / med(rates['fastify-helmet']!)).toFixed(2)}`);
await Promise.all(Object.values(servers).map((s) => s.close()));
