/**
 * Copying the write-ahead log into the database on a thread of its own, so that no writer's commit does
 * it. A connection in WAL mode copies the log at the end of the commit that makes it pass
 * wal_autocheckpoint pages, fsyncs included: on the host's connection that held its event loop for
 * 0.15-0.5 s each time (the soak's push of 20,000 fare changes waited 150-169 ms in a bulk approval, the
 * PSS sync of 200,000 bookings 138-159 ms; 28-49 ms with no copy at all).
 *
 * - `runCheckpointLoop` is the thread's loop over its own connection: every `intervalMs` it reads how many
 *   frames the log holds and how many are already in the database (`wal_checkpoint(NOOP)`, which copies
 *   nothing), and copies them (`wal_checkpoint(PASSIVE)`, which never waits for a reader or the writer)
 *   when `minFrames` wait, or when frames wait and the log has not grown since the last look (the writer
 *   is idle: with every frame copied, its next transaction starts the log from the beginning again).
 * - `HostCheckpointer` is the host's side: it looks at the log through the host's connection every
 *   `checkEveryMs`, and starts the thread (through `start`, which the backend points at a stage worker)
 *   the first time `minFrames` wait, so that a store that is hardly written (most tests) never starts
 *   one; `stop()` ends the loop before the host closes its connection (the last one to close removes the
 *   log).
 *
 * The host's connection keeps its own wal_autocheckpoint (db.ts) as a backstop: while a writer writes
 * without a pause, the log is never wholly copied between two of its transactions and so never starts
 * again; when it reaches that size the commit copies what the thread has not (a few pages) and the log
 * starts again. Without the thread (it failed to start), the store works as before.
 */
import type Database from 'better-sqlite3';

export interface CheckpointerResult { checkpoints: number; ms: number }

export interface CheckpointLoopOptions {
  /** cell 0 set to non-zero (and notified) stops the loop; it then copies what waits, once */
  stop: Int32Array;
  intervalMs: number;
  /** copy when this many frames wait (0: copy at every interval, what the pricing pool's writers want) */
  minFrames: number;
}

interface WalCounts { busy: number; log: number; checkpointed: number }

function walCounts(db: Database.Database, mode: 'NOOP' | 'PASSIVE'): WalCounts {
  const r = (db.pragma(`wal_checkpoint(${mode})`) as WalCounts[])[0];
  return r ?? { busy: 0, log: 0, checkpointed: 0 };
}

/** Frames of the log not yet in the database (0 when the store is not in WAL mode). */
export function walFramesWaiting(db: Database.Database): number {
  const c = walCounts(db, 'NOOP');
  return c.log > c.checkpointed ? c.log - c.checkpointed : 0;
}

/**
 * Whether the loop copies now: `minFrames` wait, or some wait and the log holds as many frames as at the
 * last look (`lastLog`; −1 before the first), so the writer is idle.
 */
export function shouldCopy(log: number, checkpointed: number, lastLog: number, minFrames: number): boolean {
  const waiting = log - checkpointed;
  return waiting >= minFrames || (waiting > 0 && log === lastLog);
}

/** The checkpoint thread's loop (see the module comment); answers the copies made and their wall time. */
export function runCheckpointLoop(db: Database.Database, o: CheckpointLoopOptions): CheckpointerResult {
  let checkpoints = 0;
  let ms = 0;
  let lastLog = -1;
  for (;;) {
    const stopping = Atomics.load(o.stop, 0) !== 0;
    let copy = stopping || o.minFrames <= 0;
    if (!copy) {
      const c = walCounts(db, 'NOOP');
      copy = shouldCopy(c.log, c.checkpointed, lastLog, o.minFrames);
      lastLog = c.log;
    }
    if (copy) {
      const t0 = performance.now();
      walCounts(db, 'PASSIVE');
      ms += performance.now() - t0;
      checkpoints++;
    }
    if (stopping) return { checkpoints, ms };
    Atomics.wait(o.stop, 0, 0, o.intervalMs);
  }
}

export interface HostCheckpointerOptions {
  /** the host's connection (only read: how many frames wait) */
  db: Database.Database;
  /** starts the thread running runCheckpointLoop with this stop word; settles when the loop ends */
  start: (stop: SharedArrayBuffer) => Promise<CheckpointerResult>;
  /** frames waiting that start the thread, and that it copies at (default 1,000: 4 MB of 4 KB pages) */
  minFrames?: number;
  /** how often the host looks before the thread runs (default 1 s) */
  checkEveryMs?: number;
  /** the thread failed: the host's own checkpoints carry on */
  onError?: (e: Error) => void;
}

export const HOST_CHECKPOINT_MIN_FRAMES = 1_000;
/** how often the thread looks at the log */
export const CHECKPOINT_THREAD_INTERVAL_MS = 50;

export class HostCheckpointer {
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopWord: SharedArrayBuffer | null = null;
  private running: Promise<CheckpointerResult | null> | null = null;
  private stopped = false;
  private readonly minFrames: number;

  constructor(private readonly o: HostCheckpointerOptions) {
    this.minFrames = o.minFrames ?? HOST_CHECKPOINT_MIN_FRAMES;
    this.timer = setInterval(() => this.check(), o.checkEveryMs ?? 1_000);
    this.timer.unref?.();
  }

  /** whether the thread has been started */
  get started(): boolean { return this.running !== null; }

  /** Starts the thread when enough frames wait (the timer calls this; tests may too). */
  check(): void {
    if (this.stopped || this.running || !this.o.db.open) return;
    if (walFramesWaiting(this.o.db) < this.minFrames) return;
    this.clearTimer();
    this.stopWord = new SharedArrayBuffer(4);
    this.running = this.o.start(this.stopWord).catch((e: unknown) => {
      this.o.onError?.(e instanceof Error ? e : new Error(String(e)));
      return null;
    });
  }

  /** Ends the thread's loop (it copies what waits, once) and answers its figures; null if it never ran or failed. */
  async stop(): Promise<CheckpointerResult | null> {
    this.stopped = true;
    this.clearTimer();
    if (!this.running || !this.stopWord) return null;
    const word = new Int32Array(this.stopWord);
    Atomics.store(word, 0, 1);
    Atomics.notify(word, 0);
    return this.running;
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
