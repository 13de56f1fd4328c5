// The Guishu server as a child process (`node bin/guishu.js start`), so that
// its RSS and its cold start are its own; loopback only. Every child the
// benchmark starts is registered here and killed when the benchmark exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const children = new Set<ChildProcess>();

function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.pid) try { c.kill('SIGKILL'); } catch { /* gone */ }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { killAll(); process.exit(130); });

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Rss {
  rss: number;
  hwm: number;
}

/** Current and peak RSS of a process (Linux /proc). */
export function rssOf(pid: number): Rss {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

export interface ServerHandle {
  base: string;
  pid: number;
  child: ChildProcess;
  spawnedAt: number;
  /** ms from spawn to /api/health answering. */
  listenMs: number;
  token: string;
  loginMs: number;
  stderrTail(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  databaseUrl?: string;
  password: string;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: string[];
  maxWaitMs: number;
  /** Extra environment (e.g. GUISHU_WARM_PROJECTS). */
  env?: Record<string, string>;
}

/** Starts the server and waits for /api/health; then signs in as admin. */
export async function startServer(o: StartOptions): Promise<ServerHandle> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', GUISHU_ADMIN_PASSWORD: o.password,
    // The load generator is one address: the per-address limits (on by default since GUISHU_ADDRESS_RATE) would answer it 429.
    GUISHU_ADDRESS_RATE: '0', GUISHU_LOGIN_RATE: '0' };
  delete env.DATABASE_URL;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  if (o.dataDir) env.GUISHU_DATA = o.dataDir;
  Object.assign(env, o.env);
  const spawnedAt = performance.now();
  const child = track(spawn(process.execPath, [...(o.nodeFlags ?? []), join(ROOT, 'bin', 'guishu.js'), 'start'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] }));
  let tail = '';
  child.stderr!.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = spawnedAt + o.maxWaitMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering: ${tail}`);
    try {
      const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch { /* not yet */ }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /api/health within ${o.maxWaitMs} ms`);
    }
    await sleep(25);
  }
  const listenMs = performance.now() - spawnedAt;
  const t = performance.now();
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: o.password }) });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const token = ((await login.json()) as { token: string }).token;
  const loginMs = performance.now() - t;
  return {
    base, pid: child.pid!, child, spawnedAt, listenMs, token, loginMs,
    stderrTail: () => tail,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** One authenticated JSON request. */
export async function api<T = unknown>(s: { base: string; token: string }, method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<{ status: number; body: T }> {
  const res = await fetch(`${s.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${s.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
