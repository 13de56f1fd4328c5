// Roles. `admin` is group-wide (a flag on the user); the others are held per
// project — one role per user per project, linked to the project's staff id
// (a consultant's own customers are those whose owner is that staff id; a
// channel agent's own reports are those filed under it).
export const PROJECT_ROLES = ['manager', 'frontdesk', 'consultant', 'channel', 'controller'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];
/** What a route may name as allowed: project roles, plus `admin` (always allowed). */
export type Role = ProjectRole | 'admin';

export interface Membership {
  role: ProjectRole;
  staffId: string | null;
  agency: string | null;
}

/** The signed-in user of a request. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string | null;
  admin: boolean;
  /** project id → role there. */
  roles: Map<string, Membership>;
  session: { kind: 'cookie' | 'bearer'; tokenHash: string; csrf: string | null; expiresAt: string };
}

/** The principal's standing in one project: admin, or a role there, or nothing. */
export interface Standing {
  admin: boolean;
  role: ProjectRole | null;
  staffId: string | null;
  agency: string | null;
}

export function standingIn(p: Principal, projectId: string): Standing {
  const m = p.roles.get(projectId);
  return { admin: p.admin, role: m?.role ?? null, staffId: m?.staffId ?? null, agency: m?.agency ?? null };
}

/** Admin or manager: full view of the project, past registers, no rate limit. */
export const isManagerial = (s: Standing) => s.admin || s.role === 'manager';
/** Admin, manager or controller: every customer in full (audited). */
export const seesAll = (s: Standing) => s.admin || s.role === 'manager' || s.role === 'controller';
