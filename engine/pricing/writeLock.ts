/**
 * A write lock shared by the pricing pool's worker threads (a SharedArrayBuffer word driven by
 * Atomics), taken around each write transaction of a partition's output.
 *
 * SQLite lets one connection write at a time; left to SQLite's busy handler, a waiting worker sleeps
 * and polls (up to 100 ms a try), so a core idles after every release and a worker that keeps
 * re-taking the lock can starve the other until `busy_timeout` fails it with "database is locked".
 * With this lock a waiting worker is woken the moment the lock is released, and a worker that finds
 * the lock taken can go on pricing and write its rows later (`tryAcquire`). SQLite's own locking and
 * busy timeout still guard against writers outside the pool.
 */
export interface WriteLock {
  /** takes the lock if it is free; true when taken */
  tryAcquire(): boolean;
  /** takes the lock, waiting (blocking the thread) while another holds it */
  acquire(): void;
  release(): void;
}

/** The shared word of a lock: pass it to the workers (postMessage / workerData share it, not copy it). */
export function createWriteLockBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

const FREE = 0;

/**
 * A lock over a buffer made by createWriteLockBuffer (the same buffer in every thread). `owner` (a
 * thread id + 1, never 0) is what the word holds while this thread has the lock, so the pool can free
 * the lock of a worker that died holding it (`releaseIfHeldBy`).
 */
export function writeLockOn(buffer: SharedArrayBuffer, owner: number): WriteLock {
  if (!Number.isInteger(owner) || owner <= FREE) throw new RangeError(`pricing write lock: owner must be a whole number > 0, got ${owner}`);
  const word = new Int32Array(buffer, 0, 1);
  return {
    tryAcquire: () => Atomics.compareExchange(word, 0, FREE, owner) === FREE,
    acquire: () => {
      for (;;) {
        const holder = Atomics.compareExchange(word, 0, FREE, owner);
        if (holder === FREE) return;
        if (holder === owner) throw new Error('pricing write lock: taken twice by the same thread');
        Atomics.wait(word, 0, holder, 1000);
      }
    },
    release: () => {
      if (Atomics.compareExchange(word, 0, owner, FREE) !== owner) throw new Error('pricing write lock: released by a thread that does not hold it');
      Atomics.notify(word, 0, 1);
    },
  };
}

/** Frees the lock if `owner` holds it (a worker that ended while writing); true when it did. */
export function releaseIfHeldBy(buffer: SharedArrayBuffer, owner: number): boolean {
  const word = new Int32Array(buffer, 0, 1);
  if (Atomics.compareExchange(word, 0, owner, FREE) !== owner) return false;
  Atomics.notify(word, 0, 1);
  return true;
}
