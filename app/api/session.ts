/** Who is signed in, and what their role lets them do (the API enforces it; the UI only explains it). */
import type { Role } from '../../engine/api/contract';
import { useApi } from './hooks';

export interface SessionInfo {
  login: string | null;
  displayName: string;
  role: Role | null;
  canDecide: boolean;
  isAdmin: boolean;
}

export function sessionInfo(status: { user: { login: string; displayName: string; role: Role } | null; caller: { user: string; role: Role | null } } | undefined): SessionInfo {
  const role = status?.user?.role ?? status?.caller.role ?? null;
  return {
    login: status?.user?.login ?? null,
    displayName: status?.user?.displayName ?? status?.caller.user ?? '',
    role,
    canDecide: role === 'revenue_manager' || role === 'admin',
    isAdmin: role === 'admin',
  };
}

export function useSession(): SessionInfo {
  const status = useApi('auth.status', {}, { staleTime: 60_000 });
  return sessionInfo(status.data);
}

/** Why a control is disabled for this role, or undefined when it is allowed. */
export function needsRole(s: SessionInfo, what: 'decide' | 'admin'): string | undefined {
  if (what === 'decide' && !s.canDecide) return `Only a revenue manager may do this (you are ${s.role ?? 'not signed in'}).`;
  if (what === 'admin' && !s.isAdmin) return `Only an administrator may do this (you are ${s.role ?? 'not signed in'}).`;
  return undefined;
}
