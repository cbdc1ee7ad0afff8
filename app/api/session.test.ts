import { describe, expect, it } from 'vitest';
import { needsRole, sessionInfo } from './session';
import { staleAfter } from './hooks';

describe('session', () => {
  it('takes the role from the signed-in profile, else from a system caller', () => {
    expect(sessionInfo({ user: { login: 'rita', displayName: 'Rita', role: 'revenue_manager' }, caller: { user: 'rita', role: 'revenue_manager' } }))
      .toEqual({ login: 'rita', displayName: 'Rita', role: 'revenue_manager', canDecide: true, isAdmin: false });
    expect(sessionInfo({ user: null, caller: { user: 'local', role: 'admin' } })).toMatchObject({ login: null, displayName: 'local', isAdmin: true, canDecide: true });
    expect(sessionInfo({ user: null, caller: { user: 'anonymous', role: null } })).toMatchObject({ role: null, canDecide: false });
  });

  it('says why a control is disabled for a role', () => {
    const ann = sessionInfo({ user: { login: 'ann', displayName: 'Ann', role: 'analyst' }, caller: { user: 'ann', role: 'analyst' } });
    expect(needsRole(ann, 'decide')).toBe('Only a revenue manager may do this (you are analyst).');
    expect(needsRole(ann, 'admin')).toBe('Only an administrator may do this (you are analyst).');
    expect(needsRole(sessionInfo({ user: null, caller: { user: 'local', role: 'admin' } }), 'decide')).toBeUndefined();
  });
});

describe('push events → stale queries', () => {
  const at = '2026-11-25T00:00:00Z';
  it('refreshes what an event changed, and only that', () => {
    expect(staleAfter({ name: 'decisions.changed', payload: { count: 1, ids: [1], to: 'approved', by: 'rita' }, at })).toEqual(['decisions.', 'analytics.reviewSummary', 'audit.search']);
    expect(staleAfter({ name: 'alert.raised', payload: {} as never, at })).toEqual(['monitoring.alerts']);
    expect(staleAfter({ name: 'feed.run', payload: { status: 'running' } as never, at })).toEqual(['feeds.']);
    expect(staleAfter({ name: 'feed.run', payload: { status: 'ok' } as never, at })).toContain('fares.');
    expect(staleAfter({ name: 'ui.command', payload: { command: 'toggle-theme' }, at })).toEqual([]);
  });
});
