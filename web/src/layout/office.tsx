// The office (project) the user is working in, their roles there and the
// staff id they act as. Every screen reads it from here.
import { createContext, useContext } from 'react';
import type { Role, SessionUser } from '../auth/session.tsx';

export interface Office {
  project: string;
  projectName: string;
  /** The project's IANA time zone (every time a person reads is in it), when known. */
  timezone: string | null;
  roles: Role[];
  user: SessionUser;
  /** The staff id this user acts as (recorded as `staff` of follow-ups, reports…). */
  me: string | null;
  can: (...roles: Role[]) => boolean;
}

export const OfficeCtx = createContext<Office | null>(null);
export function useOffice(): Office {
  const o = useContext(OfficeCtx);
  if (!o) throw new Error('no office');
  return o;
}
