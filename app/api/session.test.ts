import { describe, expect, it, vi } from 'vitest';
import { needsRole, sessionInfo } from './session';
import { coalescer, staleAfter } from './hooks';

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
    // a simulation's trials refresh its progress; its end, the stored runs too
    expect(staleAfter({ name: 'simulation.progress', payload: { state: 'running' } as never, at })).toEqual(['simulations.job']);
    expect(staleAfter({ name: 'simulation.progress', payload: { state: 'done' } as never, at })).toEqual(['simulations.']);
    expect(staleAfter({ name: 'feed.run', payload: { status: 'running' } as never, at })).toEqual(['feeds.']);
    expect(staleAfter({ name: 'feed.run', payload: { status: 'ok' } as never, at })).toContain('fares.');
    expect(staleAfter({ name: 'ui.command', payload: { command: 'toggle-theme' }, at })).toEqual([]);
  });
});

describe('stale-query refreshes coalesced', () => {
  it('refreshes the first event at once and gathers the next ones into one refresh per window', () => {
    vi.useFakeTimers();
    try {
      const refreshed: string[][] = [];
      const c = coalescer((p) => refreshed.push([...p]), 500);
      c.add(['decisions.']);
      expect(refreshed).toEqual([['decisions.']]);
      for (let i = 0; i < 50; i++) c.add(['decisions.', 'audit.search']); // a bulk approval's slices
      c.add(['monitoring.alerts']);
      expect(refreshed).toHaveLength(1);
      vi.advanceTimersByTime(500);
      expect(refreshed).toEqual([['decisions.'], ['decisions.', 'audit.search', 'monitoring.alerts']]);
      vi.advanceTimersByTime(500); // a quiet window: nothing more
      expect(refreshed).toHaveLength(2);
      vi.advanceTimersByTime(500);
      c.add(['feeds.']); // after a quiet window, at once again
      expect(refreshed.at(-1)).toEqual(['feeds.']);
      c.add(['fares.']);
      c.stop(); // stopped: what was gathered is dropped with the page
      vi.advanceTimersByTime(1_000);
      expect(refreshed).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
