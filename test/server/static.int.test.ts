// The web app's files (src/server/static.ts, @fastify/static + @fastify/compress) over a small built app of
// our own in a temp folder: the precompressed twin the client asks for, hashed assets cached for good, the
// single-page fallback with no-cache, a missing file and every spelling of an API path a 404 problem.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type GuishuServer } from '../../src/server/index.ts';
import { openStore, type EventStore } from '../../src/store/index.js';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/app-AbC123.js"></script></head><body><div id="root"></div></body></html>\n'.repeat(20);
const APP = `console.log(${JSON.stringify('归属 '.repeat(2000))});\n`;

describe('the web app’s files', () => {
  let dir: string;
  let store: EventStore;
  let server: GuishuServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guishu-static-'));
    const web = join(dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    const put = (name: string, body: string) => {
      writeFileSync(join(web, name), body);
      writeFileSync(join(web, `${name}.br`), brotliCompressSync(body));
      writeFileSync(join(web, `${name}.gz`), gzipSync(body));
    };
    put('index.html', INDEX);
    put('assets/app-AbC123.js', APP);
    writeFileSync(join(web, 'assets', 'tiny-Zz9.css'), 'body{margin:0}'); // no twin: too small to compress
    store = await openStore({ kind: 'sqlite', dataDir: join(dir, 'data') });
    server = await buildServer({ store, webRoot: web, auth: { adminPassword: 'static-test-password', argon: { memoryCost: 4096, timeCost: 1 } } });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, encoding?: string) => server.fastify.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });

  it('sends an asset’s brotli twin when asked, cached for good', async () => {
    const res = await get('/assets/app-AbC123.js', 'gzip, deflate, br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(String(res.headers['content-type'])).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(res.rawPayload).toString('utf8')).toBe(APP);
    expect(res.rawPayload.length).toBeLessThan(Buffer.byteLength(APP) / 4);
  });

  it('sends the gzip twin to a client without brotli, and the plain file to one that takes neither', async () => {
    const gz = await get('/assets/app-AbC123.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(APP);
    const plain = await get('/assets/app-AbC123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(APP);
  });

  it('answers a conditional request with 304', async () => {
    const first = await get('/assets/app-AbC123.js', 'br');
    const again = await server.fastify.inject({ method: 'GET', url: '/assets/app-AbC123.js', headers: { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('answers any page of the app with index.html, no-cache', async () => {
    for (const url of ['/', '/login', '/front-desk', '/manager/policy?tab=2', '/assets']) {
      const res = await get(url, 'br');
      expect(res.statusCode, url).toBe(200);
      expect(String(res.headers['content-type']), url).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['content-encoding'], url).toBe('br');
      expect(brotliDecompressSync(res.rawPayload).toString('utf8'), url).toBe(INDEX);
    }
    const plain = await get('/front-desk');
    expect(plain.body).toBe(INDEX);
    const direct = await get('/index.html');
    expect(direct.headers['cache-control']).toBe('no-cache');
  });

  it('a missing file is a 404 problem, not the page', async () => {
    for (const url of ['/assets/gone-123.js', '/favicon.ico', '/.env.js']) {
      const res = await get(url, 'br');
      expect(res.statusCode, url).toBe(404);
      expect(String(res.headers['content-type']), url).toMatch(/^application\/problem\+json/);
      expect(res.json().code, url).toBe('not-found');
    }
  });

  it('any path that normalises to /api/… is a 404 problem, never the page', async () => {
    for (const url of ['/api/nothing', '/API/nothing', '//api/nothing', '/api/./nothing', '/x/../api/nothing', '/%61pi/nothing', '/api%2Fnothing', '/api', '/api/']) {
      const res = await get(url, 'br');
      expect(res.statusCode, url).toBe(404);
      expect(String(res.headers['content-type']), url).toMatch(/^application\/problem\+json/);
    }
  });

  it('compresses an API answer of 1 KiB or more on the fly, and a small one not at all', async () => {
    const docs = await get('/api/docs/json', 'br');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(docs.rawPayload).toString('utf8')).openapi).toMatch(/^3\./);
    const health = await get('/api/health', 'br');
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(health.json().ok).toBe(true);
  });
});
