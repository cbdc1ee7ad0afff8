/**
 * The fallback cache: the last good value per key with the instant it was stored. When a live fetch fails,
 * the cached value answers, marked stale with its age; it is never passed off as current.
 *
 * In memory by default; an optional persistence hook (e.g. a table in the store) keeps values across
 * restarts: `load` is consulted when memory has no entry, `save` is called on every `put`.
 */
import { systemClock, type Clock } from '../../engine/domain/time';

export interface FallbackEntry<T> {
  value: T;
  /** when the value was fetched live (UTC ISO-8601) */
  storedAt: string;
}

export interface FallbackPersistence<T> {
  load(key: string): FallbackEntry<T> | undefined | Promise<FallbackEntry<T> | undefined>;
  save(key: string, entry: FallbackEntry<T>): void | Promise<void>;
}

/** A cached value as handed out: always stale, with its age. */
export interface FallbackHit<T> extends FallbackEntry<T> {
  ageMs: number;
  stale: true;
}

export type FetchedOrFallback<T> =
  | { value: T; stale: false; fetchedAt: string }
  | { value: T; stale: true; storedAt: string; ageMs: number; reason: string };

export interface FallbackCacheOptions<T> {
  clock?: Clock;
  persistence?: FallbackPersistence<T>;
  /** entries older than this are not handed out (default: no limit) */
  maxAgeMs?: number;
}

export class FallbackCache<T> {
  private readonly memory = new Map<string, FallbackEntry<T>>();
  private readonly clock: Clock;
  private readonly persistence?: FallbackPersistence<T>;
  private readonly maxAgeMs: number;

  constructor(opts: FallbackCacheOptions<T> = {}) {
    this.clock = opts.clock ?? systemClock;
    this.persistence = opts.persistence;
    this.maxAgeMs = opts.maxAgeMs ?? Number.POSITIVE_INFINITY;
  }

  /** Records a good value fetched now. */
  async put(key: string, value: T): Promise<void> {
    const entry: FallbackEntry<T> = { value, storedAt: this.clock.now().toISOString() };
    this.memory.set(key, entry);
    await this.persistence?.save(key, entry);
  }

  /** The last good value, or undefined when there is none (or it is older than maxAgeMs). */
  async get(key: string): Promise<FallbackHit<T> | undefined> {
    let entry = this.memory.get(key);
    if (!entry && this.persistence) {
      entry = await this.persistence.load(key);
      if (entry) this.memory.set(key, entry);
    }
    if (!entry) return undefined;
    const ageMs = Math.max(0, this.clock.now().getTime() - Date.parse(entry.storedAt));
    if (ageMs > this.maxAgeMs) return undefined;
    return { ...entry, ageMs, stale: true };
  }

  /**
   * Fetches live and caches the value; when the fetch fails, answers with the cached value (stale, with its
   * age and `describe(error)` as the reason). With nothing cached, or when `signal` was aborted (the caller
   * cancelled: nothing failed), the fetch's error is rethrown.
   */
  async fetchOr(key: string, fetch: () => Promise<T>, describe: (error: unknown) => string, signal?: AbortSignal): Promise<FetchedOrFallback<T>> {
    try {
      const value = await fetch();
      await this.put(key, value);
      return { value, stale: false, fetchedAt: this.clock.now().toISOString() };
    } catch (error) {
      if (signal?.aborted) throw error;
      const hit = await this.get(key);
      if (!hit) throw error;
      return { value: hit.value, stale: true, storedAt: hit.storedAt, ageMs: hit.ageMs, reason: describe(error) };
    }
  }
}
