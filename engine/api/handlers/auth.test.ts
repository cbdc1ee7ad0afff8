import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../backend';
import { fixedClock } from '../../domain/time';
import type { Caller, CallContext } from '../dispatch';
import { seed, fareRec, FIRST_DAY } from '../../workflow/__tests__/fixtures';

let dir: string;
let backend: Backend;

/** A transport session as the bridge and IPC keep one: the caller changes with login and logout. */
function session(id: string, transport: CallContext['transport'] = 'http') {
  const s = { caller: { user: 'anonymous', role: null } as Caller };
  const ctx = (): CallContext => ({ caller: s.caller, transport, session: { id, setCaller: (c) => { s.caller = c ?? { user: 'anonymous', role: null }; } } });
  return { call: (method: string, input: unknown = {}) => backend.dispatcher.call(method, input, ctx()), get caller() { return s.caller; } };
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-auth-api-'));
  backend = createBackend({
    dataDir: dir, clock: fixedClock('2026-11-25T08:00:00Z'), connectors: [], mode: 'sandbox', host: 'test', version: '0.0.0-test',
    decisions: { scrypt: { N: 2 ** 10, r: 8, p: 1 }, expiryIntervalMs: 0 },
  });
  seed(backend.store, 3);
});
afterEach(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('auth API', () => {
  it('runs first-run setup once, logging the session in, then refuses it', async () => {
    const web = session('web-1');
    expect(await web.call('auth.status')).toMatchObject({ ok: true, result: { setupRequired: true, user: null } });
    expect(await web.call('decisions.list')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await web.call('auth.setup', { login: 'ada', displayName: 'Ada', password: 'first-admin-pw' })).toMatchObject({ ok: true, result: { login: 'ada', role: 'admin' } });
    expect(web.caller).toEqual({ user: 'ada', role: 'admin' });
    const other = session('web-2');
    expect(await other.call('auth.setup', { login: 'eve', displayName: 'Eve', password: 'eve-password!' }))
      .toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/setup is done/) } });
    expect(other.caller.role).toBeNull();
  });

  it('logs in and out per session, with one answer for wrong logins and wrong passwords', async () => {
    await backend.decisions.users.setup({ login: 'ada', displayName: 'Ada', password: 'first-admin-pw' });
    const web = session('web-1');
    const wrongPw = await web.call('auth.login', { login: 'ada', password: 'nope-nope' });
    const wrongLogin = await web.call('auth.login', { login: 'zed', password: 'first-admin-pw' });
    expect(wrongPw).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'wrong login or password' } });
    expect(wrongLogin).toEqual(wrongPw);
    expect(await web.call('auth.login', { login: 'Ada', password: 'first-admin-pw' })).toMatchObject({ ok: true, result: { login: 'ada', displayName: 'Ada', role: 'admin' } });
    expect(await web.call('auth.status')).toMatchObject({ result: { setupRequired: false, user: { login: 'ada' } } });
    expect(await web.call('auth.logout')).toEqual({ ok: true, result: { loggedOut: true } });
    expect(await web.call('users.list')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    // in-process callers have no session to log in to
    const inproc = await backend.dispatcher.call('auth.login', { login: 'ada', password: 'first-admin-pw' }, { caller: { user: 'system:headless', role: 'admin' }, transport: 'inproc' });
    expect(inproc).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/no session/) } });
  });

  it('enforces roles on every method: an analyst may propose and override but not approve, push or manage users', async () => {
    const u = backend.decisions.users;
    await u.setup({ login: 'ada', displayName: 'Ada', password: 'first-admin-pw' });
    await u.create('ada', { login: 'ann', displayName: 'Ann Analyst', password: 'analyst-pw', role: 'analyst' });
    await u.create('ada', { login: 'rita', displayName: 'Rita RM', password: 'manager-pw', role: 'revenue_manager' });
    const { ids } = backend.decisions.workflow.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 42_000)]);
    const ann = session('ipc-ann', 'ipc');
    await ann.call('auth.login', { login: 'ann', password: 'analyst-pw' });
    const denied = await ann.call('decisions.approve', { ids });
    expect(denied).toEqual({ ok: false, error: { code: 'forbidden', message: 'Your role (analyst) may not do this; it needs revenue_manager or admin.' } });
    for (const m of ['decisions.reject', 'decisions.pushNow', 'decisions.requeue', 'users.create', 'users.list', 'audit.verify']) {
      const env = await ann.call(m, {});
      expect(env.ok ? 'ok' : env.error.code, m).toBe('forbidden');
    }
    expect(await ann.call('decisions.override', { id: ids[0], mode: 'replace', value: 41_000, expiresAt: '2026-12-01T00:00:00Z', reason: 'sale on' })).toMatchObject({ ok: true, result: { source: 'override', createdBy: 'ann' } });
    const rita = session('web-rita');
    await rita.call('auth.login', { login: 'rita', password: 'manager-pw' });
    expect(await rita.call('users.create', { login: 'x1', displayName: 'X', password: 'xxxxxxxx', role: 'admin' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await rita.call('decisions.approve', { filter: { origin: 'FRA' } })).toMatchObject({ ok: true, result: { changed: 1 } });
    expect(backend.decisions.workflow.audit.search({ actor: 'rita', limit: 5 }).map((r) => r.to)).toEqual(['queued', 'approved']);
  });

  it('lets an admin manage users; a role change reaches the user\'s open session at once', async () => {
    await backend.decisions.users.setup({ login: 'ada', displayName: 'Ada', password: 'first-admin-pw' });
    const admin = session('a');
    await admin.call('auth.login', { login: 'ada', password: 'first-admin-pw' });
    expect(await admin.call('users.create', { login: 'bob', displayName: 'Bob', password: 'bob-password', role: 'revenue_manager' })).toMatchObject({ ok: true, result: { login: 'bob', role: 'revenue_manager' } });
    const bob = session('b');
    await bob.call('auth.login', { login: 'bob', password: 'bob-password' });
    expect(bob.caller.role).toBe('revenue_manager');
    expect(await admin.call('users.update', { login: 'bob', role: 'analyst' })).toMatchObject({ ok: true, result: { role: 'analyst' } });
    expect(bob.caller.role).toBe('analyst');
    expect(await bob.call('decisions.approve', { ids: [1] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await admin.call('users.update', { login: 'ada', role: 'analyst' })).toMatchObject({ ok: false, error: { code: 'conflict', field: 'role' } });
    expect(await admin.call('users.create', { login: 'b', displayName: 'B', password: 'short', role: 'analyst' }))
      .toMatchObject({ ok: false, error: { code: 'validation', field: 'login' } });
    expect(await bob.call('auth.changePassword', { currentPassword: 'wrong-one', newPassword: 'bob-new-password' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'currentPassword' } });
    expect(await bob.call('auth.changePassword', { currentPassword: 'bob-password', newPassword: 'bob-new-password' })).toEqual({ ok: true, result: { changed: true } });
    // a system caller (the headless CLI, a host's own calls) is no profile: refused, not a bad input
    expect(await backend.dispatcher.call('auth.changePassword', { currentPassword: 'whatever-it-is', newPassword: 'a-new-password' }, { caller: { user: 'cli', role: 'admin' }, transport: 'inproc' }))
      .toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('"cli" is a system caller') } });
    expect(await admin.call('users.resetPassword', { login: 'bob', password: 'reset-by-admin' })).toEqual({ ok: true, result: { reset: true } });
    expect(await session('c').call('auth.login', { login: 'bob', password: 'reset-by-admin' })).toMatchObject({ ok: true });
  });
});
