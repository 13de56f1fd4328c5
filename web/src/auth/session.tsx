// Who is signed in, and what they may see. The accounts contract (docs/api.md,
// src/auth/): POST /api/auth/login {username, password} sets an httpOnly
// SameSite=Strict session cookie; GET /api/auth/me answers the user and their
// roles per project; writes carry the CSRF token (client.ts); POST
// /api/auth/logout ends the session.
//
// Until the accounts routes exist on a server (GET /api/auth/me answers 404
// not-found), the app runs in "open" mode: the sign-in page offers the office's
// people to act as, and nothing is enforced by the server. Documented in docs/web.md.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, get, post, setCsrfToken, setOnUnauthorized } from '../api/client.ts';

export type Role = 'admin' | 'manager' | 'frontdesk' | 'consultant' | 'channel' | 'controller';
export const ROLES: Role[] = ['admin', 'manager', 'frontdesk', 'consultant', 'channel', 'controller'];

export interface SessionUser {
  username: string;
  name: string;
  /** The staff id this account acts as in the office's log (consultant gw01, agent qd1-1…); per project when the accounts say so. */
  staff: string | null;
  staffByProject?: Record<string, string | null>;
  /** Roles per project; key '*' = every project. */
  roles: Record<string, Role[]>;
  mode: 'accounts' | 'open';
}

interface SessionCtx {
  user: SessionUser | null;
  loading: boolean;
  /** The server has no accounts routes yet. */
  open: boolean;
  login: (username: string, password: string) => Promise<void>;
  actAs: (user: Omit<SessionUser, 'mode'>) => void;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
}

const Ctx = createContext<SessionCtx | null>(null);
const OPEN_KEY = 'guishu.open-session';

/** Reads the /api/auth/me (or login) answer in any of the shapes the contract allows. */
export function normalizeUser(data: unknown): SessionUser | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Record<string, unknown>;
  const u = (d.user && typeof d.user === 'object' ? d.user : d) as Record<string, unknown>;
  const username = String(u.username ?? u.login ?? u.id ?? '');
  if (!username) return null;
  const roles: Record<string, Role[]> = {};
  const staffByProject: Record<string, string | null> = {};
  const add = (project: string, role: unknown) => {
    if (typeof role !== 'string' || !ROLES.includes(role as Role)) return;
    (roles[project] ??= []).includes(role as Role) || roles[project]!.push(role as Role);
  };
  const source = d.roles ?? u.roles ?? d.grants ?? u.grants ?? d.projects;
  if (Array.isArray(source)) {
    for (const g of source) {
      if (typeof g === 'string') add('*', g);
      else if (g && typeof g === 'object') {
        const r = g as Record<string, unknown>;
        const project = String(r.project ?? r.projectId ?? '*') || '*';
        if (typeof r.staff === 'string' || typeof r.staffId === 'string') staffByProject[project] = String(r.staff ?? r.staffId);
        if (Array.isArray(r.roles)) r.roles.forEach((x) => add(project, x));
        else add(project, r.role);
      }
    }
  } else if (source && typeof source === 'object') {
    for (const [project, rs] of Object.entries(source as Record<string, unknown>)) {
      (Array.isArray(rs) ? rs : [rs]).forEach((x) => add(project, x));
    }
  }
  if (u.admin === true || u.isAdmin === true || u.role === 'admin') add('*', 'admin');
  const staff = (u.staff ?? u.staffId ?? d.staff ?? null) as string | null;
  return { username, name: String(u.displayName ?? u.name ?? username), staff: staff ?? null, staffByProject, roles, mode: 'accounts' };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [loading, setLoading] = useState(true);
  const [open, setOpen] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const me = await get<unknown>('/api/auth/me');
      const tok = (me as { csrfToken?: string } | null)?.csrfToken;
      setCsrfToken(tok);
      setOpen(false);
      setUser(normalizeUser(me));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        // No accounts on this server yet: open mode.
        setOpen(true);
        const saved = localStorage.getItem(OPEN_KEY);
        setUser(saved ? ({ ...(JSON.parse(saved) as SessionUser), mode: 'open' }) : null);
      } else {
        setUser(null);
      }
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
    setOnUnauthorized(() => setUser((u) => (u?.mode === 'accounts' ? null : u)));
    return () => setOnUnauthorized(null);
  }, [refresh]);

  const value = useMemo<SessionCtx>(() => ({
    user,
    loading,
    open,
    refresh,
    login: async (username, password) => {
      const r = await post<unknown>('/api/auth/login', { username, password });
      const fromLogin = normalizeUser(r);
      // The login answer may carry only the user; /me has the roles.
      try {
        const me = await get<unknown>('/api/auth/me');
        setCsrfToken((me as { csrfToken?: string } | null)?.csrfToken);
        setUser(normalizeUser(me) ?? fromLogin);
      } catch {
        setUser(fromLogin);
      }
    },
    actAs: (u) => {
      const s: SessionUser = { ...u, mode: 'open' };
      localStorage.setItem(OPEN_KEY, JSON.stringify(s));
      setUser(s);
    },
    logout: async () => {
      if (user?.mode === 'accounts') await post('/api/auth/logout').catch(() => undefined);
      localStorage.removeItem(OPEN_KEY);
      setUser(null);
    },
  }), [user, loading, open, refresh]);

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('SessionProvider missing');
  return c;
}

/** Roles of the user in a project (global roles included). */
export function rolesIn(user: SessionUser | null, project: string | null): Role[] {
  if (!user) return [];
  const out = new Set<Role>([...(user.roles['*'] ?? []), ...(project ? user.roles[project] ?? [] : [])]);
  return [...out];
}

/** Projects the user has a role in ('*' = all). */
/** The staff id the user acts as in a project. */
export function staffIn(user: SessionUser | null, project: string | null): string | null {
  if (!user) return null;
  return (project ? user.staffByProject?.[project] : undefined) ?? user.staff;
}

export function projectsOf(user: SessionUser | null, all: string[]): string[] {
  if (!user) return [];
  if (user.roles['*']?.length) return all;
  return all.filter((p) => user.roles[p]?.length);
}
