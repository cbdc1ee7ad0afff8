import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../engine/domain/time';
import { FallbackCache, type FallbackEntry } from './fallback-cache';

describe('FallbackCache', () => {
  it('answers live when the fetch works and caches the value', async () => {
    const clock = fixedClock('2025-03-01T12:00:00Z');
    const cache = new FallbackCache<number[]>({ clock });
    const r = await cache.fetchOr('fares:FRA-JFK', async () => [1, 2], String);
    expect(r).toEqual({ value: [1, 2], stale: false, fetchedAt: '2025-03-01T12:00:00.000Z' });
    expect(await cache.get('fares:FRA-JFK')).toEqual({ value: [1, 2], storedAt: '2025-03-01T12:00:00.000Z', ageMs: 0, stale: true });
  });

  it('answers with the last good value, marked stale with its age, when the fetch fails', async () => {
    const clock = fixedClock('2025-03-01T12:00:00Z');
    const cache = new FallbackCache<string>({ clock });
    await cache.put('k', 'good');
    clock.advanceMs(90_000);
    const r = await cache.fetchOr('k', async () => { throw new Error('503'); }, (e) => `live fetch failed: ${(e as Error).message}`);
    expect(r).toEqual({ value: 'good', stale: true, storedAt: '2025-03-01T12:00:00.000Z', ageMs: 90_000, reason: 'live fetch failed: 503' });
  });

  it('rethrows when nothing is cached, when the entry is too old, or when the caller aborted', async () => {
    const clock = fixedClock('2025-03-01T12:00:00Z');
    const cache = new FallbackCache<string>({ clock, maxAgeMs: 60_000 });
    await expect(cache.fetchOr('k', async () => { throw new Error('down'); }, String)).rejects.toThrow('down');
    await cache.put('k', 'v');
    const ac = new AbortController();
    ac.abort();
    await expect(cache.fetchOr('k', async () => { throw new Error('cancelled'); }, String, ac.signal)).rejects.toThrow('cancelled');
    clock.advanceMs(60_001);
    await expect(cache.fetchOr('k', async () => { throw new Error('down'); }, String)).rejects.toThrow('down');
  });

  it('persists through the hook and reloads after a restart', async () => {
    const clock = fixedClock('2025-03-01T12:00:00Z');
    const table = new Map<string, string>();
    const persistence = {
      load: (key: string) => (table.has(key) ? (JSON.parse(table.get(key)!) as FallbackEntry<string>) : undefined),
      save: (key: string, e: FallbackEntry<string>) => { table.set(key, JSON.stringify(e)); },
    };
    await new FallbackCache<string>({ clock, persistence }).put('schedule', 'v1');
    clock.advanceMs(3_600_000);
    const restarted = new FallbackCache<string>({ clock, persistence });
    expect(await restarted.get('schedule')).toEqual({ value: 'v1', storedAt: '2025-03-01T12:00:00.000Z', ageMs: 3_600_000, stale: true });
    expect(await restarted.get('other')).toBeUndefined();
  });
});
