/**
 * People and roles: first-run setup, login and logout per session, own password, and user admin.
 * An analyst reviews, drafts overrides and proposes; a revenue manager also approves, rejects and
 * pushes; an admin also manages users.
 */
import { z } from 'zod';
import { method, ROLES, type Role } from './define';

export interface UserRow {
  login: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  lockedUntil: string | null;
}

export interface SessionUser {
  login: string;
  displayName: string;
  role: Role;
}

export interface AuthStatus {
  /** true while no user exists: auth.setup creates the first admin */
  setupRequired: boolean;
  /** who this session is, or null before login */
  user: SessionUser | null;
  /** system callers (headless, local host) that are not a profile */
  caller: { user: string; role: Role | null };
}

const login = z.string().trim().min(2, 'a login has at least 2 characters').max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a login has letters, digits, ".", "_" or "-", starting with a letter or digit');
const password = z.string().min(8, 'a password needs at least 8 characters').max(1024);
const displayName = z.string().trim().min(1, 'a display name is required').max(120);
const role = z.enum(ROLES as unknown as [Role, ...Role[]]);

export const authContract = {
  'auth.status': method<AuthStatus>()({
    description: 'Whether first-run setup is needed, and who this session is.',
    access: 'public',
    input: z.object({}).strict(),
  }),
  'auth.setup': method<SessionUser>()({
    description: 'First run only: creates the first admin and logs this session in. Refused once any user exists.',
    access: 'public',
    writes: ['users', 'audit_log'],
    input: z.object({ login, displayName, password }).strict(),
  }),
  'auth.login': method<SessionUser>()({
    description: 'Logs this session in.',
    access: 'public',
    input: z.object({ login: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).strict(),
  }),
  'auth.logout': method<{ loggedOut: boolean }>()({
    description: 'Logs this session out.',
    access: 'public',
    input: z.object({}).strict(),
  }),
  'auth.changePassword': method<{ changed: true }>()({
    description: 'Changes the signed-in user\'s own password (the current one is checked).',
    access: 'read',
    writes: ['users', 'audit_log'],
    input: z.object({ currentPassword: z.string().min(1).max(1024), newPassword: password }).strict(),
  }),
  'users.list': method<UserRow[]>()({
    description: 'All user profiles.',
    access: ['admin'],
    input: z.object({}).strict(),
  }),
  'users.create': method<UserRow>()({
    description: 'Creates a user with a role and an initial password.',
    access: ['admin'],
    writes: ['users', 'audit_log'],
    input: z.object({ login, displayName, password, role }).strict(),
  }),
  'users.update': method<UserRow>()({
    description: 'Changes a user\'s display name, role or disabled flag (open sessions follow at once).',
    access: ['admin'],
    writes: ['users', 'audit_log'],
    input: z.object({ login: z.string().min(1).max(64), displayName: displayName.optional(), role: role.optional(), disabled: z.boolean().optional() }).strict()
      .refine((v) => v.displayName !== undefined || v.role !== undefined || v.disabled !== undefined, { message: 'change at least one of displayName, role, disabled', path: ['role'] }),
  }),
  'users.resetPassword': method<{ reset: true }>()({
    description: 'Sets a new password for a user (and lifts a lock).',
    access: ['admin'],
    writes: ['users', 'audit_log'],
    input: z.object({ login: z.string().min(1).max(64), password }).strict(),
  }),
};
