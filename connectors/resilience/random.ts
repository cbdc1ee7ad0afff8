/**
 * Injectable randomness and sleeping, so retry timing is deterministic in tests and real in production.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { mulberry32 } from '../../engine/domain/random';

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** Waits `ms` milliseconds; rejects with the signal's reason when it aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A small seeded generator (mulberry32): the same seed gives the same sequence. */
export const seededRandom: (seed: number) => Random = mulberry32;

/** Real waiting on the event loop's timers. */
export const realSleep: Sleep = async (ms, signal) => {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  await delay(ms, undefined, { signal });
};
