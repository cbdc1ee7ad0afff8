import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { fixedClock } from '../domain/time';
import { AuditLog } from '../workflow/audit';
import { AuthError, UserService } from './users';
import { SessionRegistry } from './sessions';
import type { Caller } from '../api/dispatch';

let dir: string;
let store: Store;
let users: UserService;
let audit: AuditLog;
const clock = fixedClock('2026-11-25T08:00:00Z');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-users-'));
  store = openStore({ dataDir: dir, clock });
  audit = new AuditLog(store.db, clock, null);
  users = new UserService({ db: store.db, clock, audit, scrypt: { N: 2 ** 10, r: 8, p: 1 }, maxFailedLogins: 3, lockMinutes: 10 });
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function refused(p: Promise<unknown>, code: AuthError['code'], field?: string): Promise<AuthError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AuthError);
  expect((e as AuthError).code).toBe(code);
  if (field) expect((e as AuthError).field).toBe(field);
  return e as AuthError;
}

describe('users', () => {
  it('creates the first admin at setup, then refuses setup', async () => {
    expect(users.setupRequired()).toBe(true);
    const admin = await users.setup({ login: ' Ada ', displayName: 'Ada Admin', password: 'first-admin-pw' });
    expect(admin).toMatchObject({ login: 'ada', role: 'admin', disabled: false });
    expect(users.setupRequired()).toBe(false);
    await refused(users.setup({ login: 'eve', displayName: 'Eve', password: 'another-password' }), 'setup_done');
    // the stored hash is scrypt with its own salt and parameters, never the password
    const row = store.db.prepare('SELECT * FROM users WHERE login = ?').get('ada') as Record<string, unknown>;
    expect(row).toMatchObject({ scrypt_n: 1024, scrypt_r: 8, scrypt_p: 1 });
    expect(JSON.stringify(row)).not.toContain('first-admin-pw');
    expect(audit.history('user', 'ada')).toEqual([expect.objectContaining({ actor: 'setup', to: 'active', reason: 'first-run setup: first admin' })]);
  });

  it('authenticates, refusing unknown logins, wrong passwords and disabled profiles alike', async () => {
    await users.setup({ login: 'ada', displayName: 'Ada', password: 'first-admin-pw' });
    await users.create('ada', { login: 'rita', displayName: 'Rita RM', password: 'rita-password', role: 'revenue_manager' });
    expect(await users.authenticate('RITA', 'rita-password')).toMatchObject({ login: 'rita', role: 'revenue_manager', lastLoginAt: '2026-11-25T08:00:00.000Z' });
    const a = await refused(users.authenticate('rita', 'wrong-password'), 'invalid_credentials');
    const b = await refused(users.authenticate('nobody', 'rita-password'), 'invalid_credentials');
    expect(a.message).toBe(b.message);
    users.update('ada', 'rita', { disabled: true });
    await refused(users.authenticate('rita', 'rita-password'), 'invalid_credentials');
  });

  it('locks a profile after repeated failures until the lock passes or a reset', async () => {
    await users.setup({ login: 'ada', displayName: 'Ada', password: 'first-admin-pw' });
    for (let i = 0; i < 3; i++) await refused(users.authenticate('ada', 'nope-nope-nope'), 'invalid_credentials');
    const e = await refused(users.authenticate('ada', 'first-admin-pw'), 'locked');
    expect(e.message).toMatch(/locked after 3 failed logins until 2026-11-25T08:10:00.000Z/);
    clock.advanceMs(10 * 60_000 + 1);
    expect((await users.authenticate('ada', 'first-admin-pw')).login).toBe('ada');
  });

  it('validates input, naming the field', async () => {
    await refused(users.setup({ login: 'a', displayName: 'A', password: 'long-enough' }), 'invalid', 'login');
    await refused(users.setup({ login: 'ada', displayName: '  ', password: 'long-enough' }), 'invalid', 'displayName');
    await refused(users.setup({ login: 'ada', displayName: 'Ada', password: 'short' }), 'invalid', 'password');
    await users.setup({ login: 'ada', displayName: 'Ada', password: 'long-enough' });
    await refused(users.create('ada', { login: 'ADA', displayName: 'Again', password: 'long-enough', role: 'analyst' }), 'conflict', 'login');
  });

  it('keeps the last enabled admin, and audits role changes and resets', async () => {
    await users.setup({ login: 'ada', displayName: 'Ada', password: 'first-admin-pw' });
    expect(() => users.update('ada', 'ada', { role: 'analyst' })).toThrow(/last enabled admin/);
    expect(() => users.update('ada', 'ada', { disabled: true })).toThrow(/last enabled admin/);
    await users.create('ada', { login: 'bob', displayName: 'Bob', password: 'bob-password', role: 'analyst' });
    users.update('ada', 'bob', { role: 'revenue_manager' });
    await users.setPassword('ada', 'bob', 'new-bob-password');
    await refused(users.authenticate('bob', 'bob-password'), 'invalid_credentials');
    expect((await users.authenticate('bob', 'new-bob-password')).role).toBe('revenue_manager');
    expect(audit.history('user', 'bob').map((r) => r.reason)).toEqual(['user created with role analyst', 'role analyst → revenue_manager', 'password reset by an admin']);
    expect(audit.verify().ok).toBe(true);
  });

  it('updates every open session of a user whose role changes, and logs out a disabled one', async () => {
    await users.setup({ login: 'ada', displayName: 'Ada', password: 'first-admin-pw' });
    const bob = await users.create('ada', { login: 'bob', displayName: 'Bob', password: 'bob-password', role: 'revenue_manager' });
    const sessions = new SessionRegistry();
    const callers: Record<string, Caller | null> = {};
    const handle = (id: string) => ({ id, setCaller: (c: Caller | null) => { callers[id] = c; } });
    sessions.bind(handle('web-1'), bob);
    sessions.bind(handle('desktop'), bob);
    expect(callers['web-1']).toEqual({ user: 'bob', role: 'revenue_manager' });
    expect(sessions.refresh(users.update('ada', 'bob', { role: 'analyst' }))).toBe(2);
    expect(callers).toEqual({ 'web-1': { user: 'bob', role: 'analyst' }, desktop: { user: 'bob', role: 'analyst' } });
    sessions.refresh(users.update('ada', 'bob', { disabled: true }));
    expect(callers).toEqual({ 'web-1': null, desktop: null });
    expect(sessions.size).toBe(0);
  });
});
