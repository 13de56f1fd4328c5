// Shared set-up for the server integration tests: a server started in
// process on port 0 over a fresh SQLite folder or a fresh PostgreSQL schema.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { AuthOptions } from '../../src/server/auth.ts';
import { buildServer, type GuishuServer } from '../../src/server/index.ts';
import { openStore, type EventStore, type StoreConfig } from '../../src/store/index.js';

export const PG_URL = process.env.DATABASE_URL;

/** Every test server starts with this admin password; `simulate --server` signs in with it (GUISHU_USER / GUISHU_PASSWORD). */
export const ADMIN_PASSWORD = 'test-admin-password-1';
process.env.GUISHU_ADMIN_PASSWORD = ADMIN_PASSWORD;
process.env.GUISHU_USER = 'admin';
process.env.GUISHU_PASSWORD = ADMIN_PASSWORD;
/** base URL → the admin's bearer token, sent by `api()`. */
const tokens = new Map<string, string>();

export interface Target {
  name: 'sqlite' | 'postgres';
  skipReason: string | null;
  freshConfig(): StoreConfig;
}

const tmpDirs: string[] = [];
const pgSchemas: string[] = [];

export const TARGETS: Target[] = [
  {
    name: 'sqlite',
    skipReason: null,
    freshConfig() {
      const dir = mkdtempSync(join(tmpdir(), 'guishu-server-'));
      tmpDirs.push(dir);
      return { kind: 'sqlite', dataDir: dir };
    },
  },
  {
    name: 'postgres',
    skipReason: PG_URL ? null : 'DATABASE_URL is not set',
    freshConfig() {
      const schema = `guishu_s_${process.pid}_${randomBytes(4).toString('hex')}`;
      pgSchemas.push(schema);
      return { kind: 'postgres', url: PG_URL ?? '', schema, maxConnections: 8 };
    },
  },
];

export function warnSkips(suite: string): void {
  if (!PG_URL) console.warn(`[${suite}] PostgreSQL cases SKIPPED: DATABASE_URL is not set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)`);
}

export interface Running {
  url: string;
  server: GuishuServer;
  store: EventStore;
  close(): Promise<void>;
}

export async function startServer(config: StoreConfig, auth?: AuthOptions): Promise<Running> {
  const store = await openStore(config);
  const server = await buildServer({ store, auth });
  const address = await server.fastify.listen({ port: 0, host: '127.0.0.1' });
  const signedIn = await signIn(address, 'admin', ADMIN_PASSWORD);
  tokens.set(address, signedIn.token);
  return {
    url: address,
    server,
    store,
    async close() {
      await server.close();
      await store.close();
    },
  };
}

export async function cleanup(): Promise<void> {
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  if (PG_URL && pgSchemas.length > 0) {
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    for (const schema of pgSchemas.splice(0)) await admin.unsafe(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }
}

/** The admin's Authorization header for a server of `startServer`. */
export function authHeaders(base: string): Record<string, string> {
  const token = tokens.get(base);
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Signs in; the bearer token, the session cookie and its CSRF token. */
export async function signIn(base: string, username: string, password: string, cookie?: string): Promise<{ token: string; cookie: string; csrf: string; status: number }> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ username, password }) });
  const body = (await res.json()) as { token?: string; csrfToken?: string };
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  return { status: res.status, token: body.token ?? '', csrf: body.csrfToken ?? '', cookie: cookies.join('; ') };
}

/** A JSON request as the admin (bearer token of `startServer`), unless `headers` says otherwise. */
export async function api<T = Record<string, unknown>>(base: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; type: string; body: T; headers: Headers }> {
  const token = tokens.get(base);
  const auth: Record<string, string> = headers ?? (token ? { authorization: `Bearer ${token}` } : {});
  const res = await fetch(`${base}${path}`, { method, headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: parsed as T, headers: res.headers };
}
