// The demo office: on a fresh machine the first screen offers to load a
// generated month (2 teams, 12 consultants, 3 channel agencies, the
// `standard` policy) so a visitor can try every screen at once.
//
// Demo only when asked. Demo mode is GUISHU_DEMO=1 at start: then anyone may
// load the demo office, the loader creates one account per role with the
// published password `guishu-demo`, and `GET /api/demo` lists those accounts
// for the sign-in page. Without it, loading needs a signed-in admin (the
// password printed at first start, or GUISHU_ADMIN_PASSWORD), the loader
// creates no accounts (the admin gives roles in 账号与授权), and nothing is
// listed. The month ends now: events after the server's clock are not loaded,
// so today's rotation, reports and countdowns are live.
//
// Routes: GET /api/demo (public) → status; POST /api/demo/load (public in
// demo mode; otherwise it asks for the admin's session itself) → starts the
// load (refused once any project exists, unless GUISHU_DEMO=1 and the demo
// project is absent); progress appears in GET /api/demo.
import type { FastifyInstance } from 'fastify';
import { forbidden } from '../auth/errors.ts';
import type { GuishuApp } from '../app/office.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { DEFAULT_TIMEZONE, formatLocalDate, localDay } from '../domain/time.ts';
import { generateTimeline } from '../sim/generate.ts';
import { problem, sendProblem } from './problems.ts';
import { configFromEnv } from '../config.ts';

export const DEMO_PROJECT = 'demo';
export const DEMO_LOADER = 'demo-loader';
/** Password of every demo account (created in demo mode only). */
export const DEMO_PASSWORD = 'guishu-demo';

export interface DemoAccount {
  username: string;
  password: string;
  role: 'admin' | 'manager' | 'frontdesk' | 'consultant' | 'channel' | 'controller';
  staff: string | null;
  label: string;
}

/** The cast of the generated month (ids as src/sim/generate.ts assigns them), plus a controller. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'jl01', password: DEMO_PASSWORD, role: 'manager', staff: 'jl01', label: '案场经理' },
  { username: 'qt01', password: DEMO_PASSWORD, role: 'frontdesk', staff: 'qt01', label: '前台' },
  { username: 'gw01', password: DEMO_PASSWORD, role: 'consultant', staff: 'gw01', label: '置业顾问' },
  { username: 'qd1-1', password: DEMO_PASSWORD, role: 'channel', staff: 'qd1-1', label: '渠道经纪人' },
  { username: 'jf01', password: DEMO_PASSWORD, role: 'controller', staff: 'jf01', label: '甲方监察' },
];

export interface DemoOptions {
  app: GuishuApp;
  /** GUISHU_DEMO=1. */
  enabled?: boolean;
  now?: () => number;
  /** Customers over the month (default 700: about 2,500 events). */
  customers?: number;
  /** Creates the demo accounts once the office exists, in demo mode only (default: src/auth). */
  createAccounts?: (accounts: readonly DemoAccount[], projectId: string) => Promise<void>;
}

/**
 * Creates the demo accounts with src/auth (users + a role in the demo project,
 * linked to the staff id). Loaded on demand; without it the sign-in page acts
 * as the listed people instead ("open" mode, docs/web.md).
 */
async function createDemoAccounts(app: GuishuApp, accounts: readonly DemoAccount[], projectId: string): Promise<void> {
  let mod: { Accounts?: new (store: unknown) => { createUser: (i: object, by: string | null) => Promise<{ id: string }>; setRole: (p: string, u: string, m: object, by: string) => Promise<unknown>; listUsers: () => Promise<{ id: string; username: string }[]> } };
  try {
    mod = (await import('../auth/accounts.ts')) as unknown as typeof mod;
  } catch {
    return;
  }
  if (!mod.Accounts) return;
  const acc = new mod.Accounts(app.store);
  const existing = new Map((await acc.listUsers()).map((u) => [u.username, u.id]));
  for (const a of accounts) {
    if (a.role === 'admin') continue;
    const id = existing.get(a.username) ?? (await acc.createUser({ username: a.username, password: a.password, displayName: a.label }, DEMO_LOADER)).id;
    await acc.setRole(projectId, id, { role: a.role, staff: a.staff }, DEMO_LOADER);
  }
}

interface LoadState {
  running: boolean;
  done: number;
  total: number;
  error: string | null;
  finishedAt: string | null;
}

export function registerDemo(fastify: FastifyInstance, opts: DemoOptions): void {
  const { app } = opts;
  const now = opts.now ?? Date.now;
  const enabled = opts.enabled ?? configFromEnv().demo;
  const state: LoadState = { running: false, done: 0, total: 0, error: null, finishedAt: null };
  let loaderProject: boolean | undefined;

  const demoProjectByLoader = async (): Promise<boolean> => {
    if (loaderProject) return true;
    const projects = await app.listProjects();
    if (!projects.some((p) => p.projectId === DEMO_PROJECT)) return false;
    const first = await app.events(DEMO_PROJECT, { limit: 1 });
    loaderProject = first.events[0]?.recordedBy === DEMO_LOADER;
    return loaderProject;
  };

  fastify.get('/api/demo', { config: { public: true }, schema: { tags: ['system'], summary: 'Demo office: demo mode (GUISHU_DEMO=1), load progress, whether loading needs the admin, the demo accounts (listed in demo mode only)' } }, async () => {
    const projects = await app.listProjects();
    const loaded = await demoProjectByLoader();
    return {
      demo: enabled,
      projects: projects.length,
      project: loaded ? DEMO_PROJECT : null,
      canLoad: !state.running && !loaded && (projects.length === 0 || enabled),
      /** Loading needs a signed-in admin (not demo mode). */
      loadNeedsAdmin: !enabled,
      /** Whether the sign-in page lists demo accounts (demo mode only). */
      accountsListed: enabled,
      loading: state,
      accounts: enabled ? DEMO_ACCOUNTS : [],
    };
  });

  // Public in demo mode; otherwise the route asks for the admin's session itself (the authenticate hook, then the admin flag).
  fastify.post('/api/demo/load', { config: { public: true }, schema: { tags: ['system'], summary: 'Load the demo office (a generated month): a signed-in admin on an empty server, or anyone with GUISHU_DEMO=1' } }, async (request, reply) => {
    if (!enabled) {
      await fastify.authenticate(request, reply);
      if (!request.principal?.admin) throw forbidden('loading the demo office needs the admin (or a server started with GUISHU_DEMO=1)', 'admin-required');
    }
    const projects = await app.listProjects();
    if (state.running) return reply.code(202).send({ started: false, loading: state });
    if (projects.some((p) => p.projectId === DEMO_PROJECT)) return sendProblem(reply, problem(409, 'project-exists', 'Conflict', 'the demo office is already loaded', 'id'));
    if (projects.length > 0 && !enabled) return sendProblem(reply, problem(409, 'demo-refused', 'Conflict', 'this server already has offices; the demo loads only on an empty server or with GUISHU_DEMO=1'));
    state.running = true;
    state.error = null;
    state.done = 0;
    state.total = 0;
    void loadDemo(app, { now: now(), customers: opts.customers ?? 700, progress: (done, total) => Object.assign(state, { done, total }) })
      .then(async () => {
        loaderProject = true;
        // Accounts with the published password only when the server was started for a demo.
        if (enabled) await (opts.createAccounts ?? ((a, p) => createDemoAccounts(app, a, p)))(DEMO_ACCOUNTS, DEMO_PROJECT);
        state.finishedAt = new Date(now()).toISOString();
      })
      .catch((e: unknown) => {
        fastify.log.error({ err: e }, 'demo load failed');
        state.error = e instanceof Error ? e.message : String(e);
      })
      .finally(() => {
        state.running = false;
      });
    return reply.code(202).send({ started: true, loading: state });
  });
}

/**
 * Creates the project `demo` and records a generated month ending at `now`
 * through the app layer (every event decided by the engine, hash-chained).
 */
export async function loadDemo(app: GuishuApp, opts: { now: number; customers: number; progress?: (done: number, total: number) => void }): Promise<{ events: number }> {
  const ctx = { recordedBy: DEMO_LOADER };
  const tz = DEFAULT_TIMEZONE;
  const days = 30;
  const start = formatLocalDate(localDay(opts.now, tz) - (days - 1));
  const events: OfficeEvent[] = [];
  for (const e of generateTimeline({ customers: opts.customers, days, consultants: 12, seed: 20250301, start, timezone: tz, agencies: 3, teams: 2, preset: 'standard' })) {
    if (e.at > opts.now) break;
    if (e.type === 'policy') continue; // the project's own first policy event is `standard`
    events.push(e);
  }
  await app.createProject({ id: DEMO_PROJECT, name: '示范案场（演示）', timezone: tz, preset: 'standard' }, ctx);
  const first = events[0]?.at ?? opts.now;
  // The client's 甲方 controller is not part of the generated cast.
  events.splice(1, 0, { id: 'demo-controller', at: first, type: 'staff', staff: 'jf01', name: '甲方监察', role: 'controller' });
  const total = events.length;
  opts.progress?.(0, total);
  let done = 0;
  for (const event of events) {
    await app.recordEvent(DEMO_PROJECT, event, ctx);
    done++;
    if (done % 50 === 0 || done === total) {
      opts.progress?.(done, total);
      // SQLite writes settle without a turn of the event loop: let the server answer (the progress, the first-run screen) between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { events: total };
}
