/**
 * Local user profiles: login, display name, role and a scrypt password hash. The first admin is created
 * by `setup` while no user exists; afterwards only admins manage users. Failed logins are counted and
 * lock the profile for a while after too many, and every change to a profile is an audit row.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../domain/time';
import type { Role } from '../api/contract/define';
import type { UserRow } from '../api/contract/auth';
import type { AuditLog } from '../workflow/audit';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, passwordProblem, verifyPassword, type ScryptParams } from './password';


/** Why an account operation was refused; `field` names the input at fault. */
export class AuthError extends Error {
  constructor(
    readonly code: 'invalid_credentials' | 'locked' | 'setup_done' | 'not_found' | 'conflict' | 'invalid' | 'last_admin',
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export const LOGIN_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;

interface UserDbRow {
  login: string; display_name: string; role: Role; password_salt: Buffer; password_hash: Buffer;
  scrypt_n: number; scrypt_r: number; scrypt_p: number; disabled: number; failed_logins: number;
  locked_until: string | null; created_at: string; updated_at: string; last_login_at: string | null;
}

function toProfile(r: UserDbRow): UserRow {
  return {
    login: r.login, displayName: r.display_name, role: r.role, disabled: r.disabled === 1,
    createdAt: r.created_at, updatedAt: r.updated_at, lastLoginAt: r.last_login_at, lockedUntil: r.locked_until,
  };
}

export interface UserServiceOptions {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  scrypt?: ScryptParams;
  /** failed logins in a row before the profile locks */
  maxFailedLogins?: number;
  lockMinutes?: number;
}

/** Normalises a login: trimmed, lower case. */
export function normaliseLogin(login: string): string {
  return login.trim().toLowerCase();
}

function checkLogin(login: string): string {
  const l = normaliseLogin(login);
  if (!LOGIN_RE.test(l)) throw new AuthError('invalid', 'a login has 2 to 64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit', 'login');
  return l;
}

function checkPassword(password: string, field = 'password'): void {
  const p = passwordProblem(password);
  if (p) throw new AuthError('invalid', p, field);
}

export class UserService {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly audit: AuditLog;
  private readonly params: ScryptParams;
  private readonly maxFailed: number;
  private readonly lockMs: number;
  /** a hash to verify against for unknown logins, so a wrong login costs as much time as a wrong password */
  private dummy: Promise<Awaited<ReturnType<typeof hashPassword>>> | null = null;

  constructor(opts: UserServiceOptions) {
    this.db = opts.db;
    this.clock = opts.clock;
    this.audit = opts.audit;
    this.params = opts.scrypt ?? DEFAULT_SCRYPT;
    this.maxFailed = opts.maxFailedLogins ?? 5;
    this.lockMs = (opts.lockMinutes ?? 15) * 60_000;
  }

  private now(): string { return this.clock.now().toISOString(); }

  count(): number {
    return (this.db.prepare('SELECT count(*) FROM users').pluck().get() as number);
  }

  setupRequired(): boolean { return this.count() === 0; }

  get(login: string): UserRow | null {
    const r = this.db.prepare('SELECT * FROM users WHERE login = ?').get(normaliseLogin(login)) as UserDbRow | undefined;
    return r ? toProfile(r) : null;
  }

  list(): UserRow[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY login').all() as UserDbRow[]).map(toProfile);
  }

  /** Creates the first admin; refused once any user exists. */
  async setup(input: { login: string; displayName: string; password: string }): Promise<UserRow> {
    if (!this.setupRequired()) throw new AuthError('setup_done', 'setup is done: users exist already; an admin creates further users');
    return this.insert({ ...input, role: 'admin' }, 'setup', true);
  }

  async create(actor: string, input: { login: string; displayName: string; password: string; role: Role }): Promise<UserRow> {
    return this.insert(input, actor, false);
  }

  private async insert(input: { login: string; displayName: string; password: string; role: Role }, actor: string, firstRun: boolean): Promise<UserRow> {
    const login = checkLogin(input.login);
    checkPassword(input.password);
    const displayName = input.displayName.trim();
    if (!displayName) throw new AuthError('invalid', 'a display name is required', 'displayName');
    const h = await hashPassword(input.password, this.params);
    const at = this.now();
    return this.audit.tx(() => {
      // checked again inside the transaction: two setups racing must not both win
      if (firstRun && this.count() > 0) throw new AuthError('setup_done', 'setup is done: users exist already; an admin creates further users');
      if (this.db.prepare('SELECT 1 FROM users WHERE login = ?').get(login)) throw new AuthError('conflict', `the login "${login}" is taken`, 'login');
      this.db.prepare(`INSERT INTO users (login, display_name, role, password_salt, password_hash, scrypt_n, scrypt_r, scrypt_p, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(login, displayName, input.role, h.salt, h.hash, h.N, h.r, h.p, at, at);
      this.audit.append([{ actor, entity: 'user', entityId: login, from: null, to: 'active', reason: firstRun ? 'first-run setup: first admin' : `user created with role ${input.role}`, detail: { role: input.role, displayName } }], at);
      return this.get(login)!;
    });
  }

  /**
   * Checks a login and password. Unknown logins, disabled profiles and wrong passwords answer the same
   * `invalid_credentials`; a locked profile says until when.
   */
  async authenticate(loginInput: string, password: string): Promise<UserRow> {
    const login = normaliseLogin(loginInput);
    const r = this.db.prepare('SELECT * FROM users WHERE login = ?').get(login) as UserDbRow | undefined;
    const invalid = () => new AuthError('invalid_credentials', 'wrong login or password');
    if (!r) {
      this.dummy ??= hashPassword('not a password of anyone', this.params);
      await verifyPassword(password, await this.dummy);
      throw invalid();
    }
    const now = this.clock.now();
    if (r.locked_until && Date.parse(r.locked_until) > now.getTime()) {
      throw new AuthError('locked', `this profile is locked after ${this.maxFailed} failed logins until ${r.locked_until}; an admin can reset the password`);
    }
    const stored = { N: r.scrypt_n, r: r.scrypt_r, p: r.scrypt_p, salt: r.password_salt, hash: r.password_hash };
    const good = await verifyPassword(password, stored);
    if (!good || r.disabled === 1) {
      if (!good) {
        const failed = r.failed_logins + 1;
        const lock = failed >= this.maxFailed ? new Date(now.getTime() + this.lockMs).toISOString() : null;
        this.db.prepare('UPDATE users SET failed_logins = ?, locked_until = ? WHERE login = ?').run(lock ? 0 : failed, lock, login);
      }
      throw invalid();
    }
    const at = now.toISOString();
    this.db.prepare('UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE login = ?').run(at, login);
    if (needsRehash(stored, this.params)) {
      const h = await hashPassword(password, this.params);
      this.db.prepare('UPDATE users SET password_salt = ?, password_hash = ?, scrypt_n = ?, scrypt_r = ?, scrypt_p = ? WHERE login = ?').run(h.salt, h.hash, h.N, h.r, h.p, login);
    }
    return this.get(login)!;
  }

  /** Changes role, display name or the disabled flag; the last enabled admin cannot be demoted or disabled. */
  update(actor: string, loginInput: string, change: { displayName?: string; role?: Role; disabled?: boolean }): UserRow {
    const login = normaliseLogin(loginInput);
    return this.audit.tx(() => {
      const before = this.get(login);
      if (!before) throw new AuthError('not_found', `no user "${login}"`, 'login');
      const role = change.role ?? before.role;
      const disabled = change.disabled ?? before.disabled;
      const displayName = change.displayName?.trim() ?? before.displayName;
      if (!displayName) throw new AuthError('invalid', 'a display name is required', 'displayName');
      if (before.role === 'admin' && !before.disabled && (role !== 'admin' || disabled) && this.enabledAdmins() <= 1) {
        throw new AuthError('last_admin', `"${login}" is the last enabled admin; make another admin first`, change.role ? 'role' : 'disabled');
      }
      const at = this.now();
      this.db.prepare('UPDATE users SET display_name = ?, role = ?, disabled = ?, updated_at = ? WHERE login = ?').run(displayName, role, disabled ? 1 : 0, at, login);
      const changes: string[] = [];
      if (role !== before.role) changes.push(`role ${before.role} → ${role}`);
      if (disabled !== before.disabled) changes.push(disabled ? 'disabled' : 'enabled');
      if (displayName !== before.displayName) changes.push('display name changed');
      if (changes.length) {
        this.audit.append([{ actor, entity: 'user', entityId: login, from: before.disabled ? 'disabled' : 'active', to: disabled ? 'disabled' : 'active', reason: changes.join(', '), detail: { role, displayName } }], at);
      }
      return this.get(login)!;
    });
  }

  /** Sets a new password (an admin's reset, or the user's own change after checking the current one). */
  async setPassword(actor: string, loginInput: string, password: string, field = 'password'): Promise<void> {
    const login = normaliseLogin(loginInput);
    checkPassword(password, field);
    if (!this.get(login)) throw new AuthError('not_found', `no user "${login}"`, 'login');
    const h = await hashPassword(password, this.params);
    const at = this.now();
    this.audit.tx(() => {
      this.db.prepare(`UPDATE users SET password_salt = ?, password_hash = ?, scrypt_n = ?, scrypt_r = ?, scrypt_p = ?, failed_logins = 0, locked_until = NULL, updated_at = ?
        WHERE login = ?`).run(h.salt, h.hash, h.N, h.r, h.p, at, login);
      this.audit.append([{ actor, entity: 'user', entityId: login, from: 'active', to: 'active', reason: actor === login ? 'password changed by the user' : 'password reset by an admin' }], at);
    });
  }

  private enabledAdmins(): number {
    return this.db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck().get() as number;
  }
}
