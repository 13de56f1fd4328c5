// `guishu simulate --server URL`: the same scenario run through the HTTP API.
// Each scenario gets a fresh project (preset/set/timezone from the file), the
// cast is posted as `staff` events, every event is POSTed, and every
// expectation is asked of the server, so the results can be compared with the
// in-process run (`LocalOffice`) line for line.
import { randomUUID } from 'node:crypto';
import { cliConfigFromEnv, type CliConfig } from '../config.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { ScenarioError, type Scenario } from '../scenario/parse.ts';
import { staffEvents, type OfficeProbe } from '../scenario/run.ts';

const INSTANT_KEYS = ['at', 'until', 'appointment', 'expectedAt', 'effectiveAt'] as const;

interface Problem {
  code?: string;
  field?: string;
  detail?: string;
  title?: string;
}

export class HttpError extends Error {
  constructor(readonly status: number, readonly problem: Problem, what: string) {
    super(`${what}: HTTP ${status} ${problem.code ?? ''} ${problem.field ?? ''} ${problem.detail ?? problem.title ?? ''}`.trim());
    this.name = 'HttpError';
  }
}

/** Sign-ins of this process, by server and user: the headers that carry them. */
const SESSIONS = new Map<string, Promise<Record<string, string>>>();

async function signIn(baseUrl: string, username: string, password: string): Promise<Record<string, string>> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status === 404) return {};
  if (!res.ok) throw new HttpError(res.status, (await res.json().catch(() => ({}))) as Problem, 'login');
  const body = (await res.json().catch(() => ({}))) as { token?: string; accessToken?: string };
  const token = body.token ?? body.accessToken;
  if (token) return { authorization: `Bearer ${token}` };
  const cookies = res.headers.getSetCookie?.() ?? [];
  return cookies.length ? { cookie: cookies.map((c) => c.split(';')[0]).join('; ') } : {};
}

/** A small JSON client for the office API, with optional login (GUISHU_USER / GUISHU_PASSWORD: `credentials`). */
export class ApiClient {
  private headers: Record<string, string> = { accept: 'application/json' };
  private loggedIn = false;

  constructor(readonly baseUrl: string, private readonly credentials: Pick<CliConfig, 'user' | 'password'> = cliConfigFromEnv()) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** Logs in when there are credentials; harmless when the server has no accounts yet. One sign-in per server and user for the whole run (the server throttles sign-ins per address). */
  async login(): Promise<void> {
    if (this.loggedIn) return;
    this.loggedIn = true;
    const { user: username, password } = this.credentials;
    if (!username || !password) return;
    const key = `${this.baseUrl}\n${username}`;
    let session = SESSIONS.get(key);
    if (!session) {
      session = signIn(this.baseUrl, username, password);
      SESSIONS.set(key, session);
      session.catch(() => SESSIONS.delete(key));
    }
    Object.assign(this.headers, await session);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    await this.login();
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { detail: text.slice(0, 200) };
    }
    return { status: res.status, body: parsed as T };
  }

  async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.request<T>(method, path, body);
    if (r.status === 401 && !(this.credentials.user && this.credentials.password)) {
      throw new HttpError(401, { ...((r.body ?? {}) as Problem), detail: 'the server needs a sign-in: set GUISHU_USER and GUISHU_PASSWORD' }, `${method} ${path}`);
    }
    if (r.status < 200 || r.status >= 300) throw new HttpError(r.status, (r.body ?? {}) as Problem, `${method} ${path}`);
    return r.body;
  }

  /** The body, or undefined on 404. */
  async maybe<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    const r = await this.request<T>(method, path, body);
    if (r.status === 404) return undefined;
    if (r.status < 200 || r.status >= 300) throw new HttpError(r.status, (r.body ?? {}) as Problem, `${method} ${path}`);
    return r.body;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The 补登 reason a replayed scenario's events carry (they are dated in the past of the server's clock). */
export const REPLAY_REASON = 'simulate: scenario replay';

/** An office event as the API takes it: times as ISO 8601. */
export function eventToHttp(event: OfficeEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event };
  for (const k of INSTANT_KEYS) if (typeof out[k] === 'number') out[k] = iso(out[k] as number);
  if (event.type === 'correction') {
    const set: Record<string, unknown> = { ...event.set };
    for (const k of INSTANT_KEYS) if (typeof set[k] === 'number') set[k] = iso(set[k] as number);
    out.set = set;
  }
  return out;
}

export class RemoteOffice implements OfficeProbe {
  private readonly byName = new Map<string, string[]>();
  private readonly base: string;

  private constructor(private readonly client: ApiClient, readonly projectId: string, scenario: Scenario) {
    this.base = `/api/projects/${encodeURIComponent(projectId)}`;
    for (const { event, name } of scenario.events) {
      const list = this.byName.get(name) ?? [];
      list.push(event.id);
      this.byName.set(name, list);
    }
  }

  /** `cli`: whom to sign in as (GUISHU_USER / GUISHU_PASSWORD). */
  static async open(baseUrl: string, scenario: Scenario, cli: CliConfig = cliConfigFromEnv()): Promise<RemoteOffice> {
    const client = new ApiClient(baseUrl, cli);
    const id = `sim-${randomUUID().slice(0, 12)}`;
    const created = await client.request<Problem>('POST', '/api/projects', { id, name: scenario.title.slice(0, 200) || scenario.file.slice(-200), timezone: scenario.timezone, preset: scenario.preset, set: scenario.set });
    if (created.status === 400) {
      const field = (created.body.field ?? 'policy').replace(/^set\./, '');
      throw new ScenarioError(scenario.file, field, created.body.detail ?? 'invalid policy');
    }
    if (created.status !== 201) throw new HttpError(created.status, created.body ?? {}, 'POST /api/projects');
    const office = new RemoteOffice(client, id, scenario);
    for (const e of staffEvents(scenario)) await office.apply(e);
    return office;
  }

  async apply(event: OfficeEvent): Promise<void> {
    // A scenario's events lie in the past of the server's clock: registered after the fact (补登), with the reason.
    await this.client.ok('POST', `${this.base}/events`, { ...eventToHttp(event), lateReason: REPLAY_REASON });
  }

  async owner(phone: string, at: number) {
    const r = await this.client.ok<{ owner: string; status: string; basis: { clause: string } | null }>('GET', `${this.base}/customers/${encodeURIComponent(phone)}?at=${encodeURIComponent(iso(at))}`);
    return { is: r.owner, status: r.status, basis: r.basis?.clause };
  }

  async judge(input: { phone: string; party: string[]; says: Record<string, unknown>; at: number; names?: Record<string, string> }) {
    const r = await this.client.ok<{ receiver: string; owner: string; countsAsTurn: boolean; basis: { clause: string }; receiverBasis: { clause: string } }>('POST', `${this.base}/judge`, {
      customer: { phone: input.phone, ...(input.names?.[input.phone] ? { name: input.names[input.phone] } : {}) },
      party: input.party.map((phone) => ({ phone, ...(input.names?.[phone] ? { name: input.names[phone] } : {}) })),
      says: input.says,
      at: iso(input.at),
    });
    return { receiver: r.receiver, owner: r.owner, countsAsTurn: r.countsAsTurn, basis: r.basis.clause, receiverBasis: r.receiverBasis.clause };
  }

  async deal(id: string) {
    const r = await this.client.maybe<{ performance: Record<string, number>; commission: Record<string, number>; basis: string; commissionBasis: string; stage: string }>('GET', `${this.base}/deals/${encodeURIComponent(id)}`);
    if (!r) return undefined;
    return { performance: r.performance, commission: r.commission, basis: r.basis, commissionBasis: r.commissionBasis, stage: r.stage };
  }

  async rotation(at: number) {
    const r = await this.client.ok<{ next: string; makeUps: Record<string, number> }>('GET', `${this.base}/rotation?at=${encodeURIComponent(iso(at))}`);
    return { next: r.next, makeups: r.makeUps };
  }

  async rejected(name: string) {
    for (const id of this.byName.get(name) ?? []) {
      const r = await this.client.maybe<{ current: { status: string; rejection?: { code: string } } }>('GET', `${this.base}/events/${encodeURIComponent(id)}`);
      if (r?.current.status === 'rejected' && r.current.rejection) return r.current.rejection.code;
    }
    return null;
  }

  async report(name: string, at: number) {
    for (const id of this.byName.get(name) ?? []) {
      const r = await this.client.maybe<{ status: string }>('GET', `${this.base}/reports/${encodeURIComponent(id)}?at=${encodeURIComponent(iso(at))}`);
      if (r) return r.status;
    }
    return null;
  }
}
