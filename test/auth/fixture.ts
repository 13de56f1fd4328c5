// One office with a user per role, for the accounts tests: project `alpha`
// (everyone's), project `beta` (nobody's but the admin's), customers owned by
// consultants A and B, channel reports by X and Y, a deal closed by A.
import { expect } from 'vitest';
import { api, signIn, startServer, type Running } from '../server/harness.ts';
import type { StoreConfig } from '../../src/store/index.js';
import type { AuthOptions } from '../../src/server/auth.ts';

export const P1 = 'alpha';
export const P2 = 'beta';
export const PASSWORD = 'role-password-1';
/** Customers: PA owned by A, PB by B, PX reported by X, PY reported by Y. */
export const PA = '13800138000';
export const PB = '13900139000';
export const PX = '13700137000';
export const PY = '13600136000';
export const NAMES = { PA: '王先生', PB: '李女士', PX: '张三', PY: '孙四' };

export const USERS = {
  mgr: { role: 'manager', staff: 'M' },
  ctl: { role: 'controller', staff: 'C' },
  desk: { role: 'frontdesk', staff: 'F' },
  conA: { role: 'consultant', staff: 'A' },
  chan: { role: 'channel', staff: 'X' },
} as const;
export type UserName = keyof typeof USERS | 'admin';

export interface Office {
  running: Running;
  base: string;
  /** user → bearer token */
  tokens: Map<UserName, string>;
  as(user: UserName | null, method: string, path: string, body?: unknown): ReturnType<typeof api>;
}

/** An office server; its tests sign in more often than the per-address sign-in limit allows, so it is lifted unless `auth` sets one. */
export async function openOffice(config: StoreConfig, auth?: AuthOptions): Promise<Office> {
  const running = await startServer(config, { loginRate: 0, ...auth });
  const base = running.url;
  const admin = (method: string, path: string, body?: unknown) => api(base, method, path, body);
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await admin(method, path, body);
    expect(r.status, `${method} ${path} ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r;
  };
  for (const id of [P1, P2]) {
    await ok('POST', '/api/projects', { id, name: id, preset: 'standard' });
    for (const [staff, role] of [['A', 'consultant'], ['B', 'consultant'], ['M', 'manager'], ['F', 'frontdesk'], ['C', 'controller'], ['X', 'channel'], ['Y', 'channel']] as const) {
      await ok('POST', `/api/projects/${id}/staff`, { staff, role, at: Date.now() - 86_400_000 * 3, lateReason: 'the office as it stood three days ago' });
    }
    await ok('POST', `/api/projects/${id}/roster`, { order: ['A', 'B'] });
  }
  await ok('POST', `/api/projects/${P1}/events`, { id: 'rx', type: 'report', customer: { phone: PX, name: NAMES.PX }, staff: 'X', expectedAt: Date.now() + 3_600_000 });
  await ok('POST', `/api/projects/${P1}/events`, { id: 'ry', type: 'report', customer: { phone: PY, name: NAMES.PY }, staff: 'Y', expectedAt: Date.now() + 3_600_000 });
  await ok('POST', `/api/projects/${P1}/events`, { id: 'va', type: 'visit', customer: { phone: PA, name: NAMES.PA }, receivedBy: 'A', says: { firstVisit: true } });
  await ok('POST', `/api/projects/${P1}/events`, { id: 'vb', type: 'visit', customer: { phone: PB, name: NAMES.PB }, receivedBy: 'B', says: { firstVisit: true } });
  await ok('POST', `/api/projects/${P1}/events`, { type: 'deal', deal: 'd1', customers: [{ phone: PA }], closedBy: 'A', stage: 'deposit' });

  const tokens = new Map<UserName, string>();
  tokens.set('admin', (await signIn(base, 'admin', process.env.GUISHU_ADMIN_PASSWORD!)).token);
  for (const [name, u] of Object.entries(USERS)) {
    await ok('POST', '/api/users', { username: name, password: PASSWORD });
    await ok('PUT', `/api/projects/${P1}/roles/${name}`, { role: u.role, staff: u.staff });
    const s = await signIn(base, name, PASSWORD);
    expect(s.status).toBe(200);
    tokens.set(name as UserName, s.token);
  }
  return {
    running,
    base,
    tokens,
    as(user, method, path, body) {
      return api(base, method, path, body, user ? { authorization: `Bearer ${tokens.get(user)}` } : {});
    },
  };
}

/** Every row of every project table for one project, as text (a leak check). */
export async function dumpProject(running: Running, project: string): Promise<string> {
  const { PROJECT_TABLES } = await import('../../src/store/index.js');
  const out: string[] = [];
  for (const t of PROJECT_TABLES) {
    const rows = await running.store.db.selectFrom(t as never).selectAll().where('project_id' as never, '=', project as never).execute();
    out.push(`${t}: ${JSON.stringify(rows)}`);
  }
  return out.join('\n');
}
