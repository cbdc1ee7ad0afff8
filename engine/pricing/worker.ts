/**
 * Worker-thread entry of the pricing engine (see pool.ts). Messages:
 * - { id, task: { kind: 'cycle', input } } → runs the cycle in memory and returns its output;
 * - { id, task: { kind: 'partition', ... } } → opens the store, reads the partition's inputs, runs the
 *   cycle streaming its output into the store, and returns the stats and warnings.
 * Replies { id, result } or { id, error: { message, stack } }: no exception crosses the thread.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { openStore } from '../store/db';
import { fixedClock } from '../domain/time';
import { runPricingCycle } from './cycle';
import { cycleChunkWriter, loadCycleInput } from './store';
import { runCheckpointLoop, type CheckpointerResult } from '../store/checkpoints';
import type { PoolTask, PartitionResult } from './pool';
import { writeLockOn } from './writeLock';

// the pool's write lock (absent when this module is started some other way: SQLite's locking alone)
const shared = (workerData as { writeLock?: SharedArrayBuffer } | undefined)?.writeLock;
const writeLock = shared ? writeLockOn(shared, threadId + 1) : undefined;

function run(task: PoolTask): unknown {
  if (task.kind === 'cycle') return runPricingCycle(task.input);
  const t0 = performance.now();
  const store = openStore({ dataDir: task.dataDir, clock: fixedClock(task.now) });
  try {
    const { input } = loadCycleInput(store, { cycleId: task.cycleId, now: task.now, settings: task.settings, flightNumbers: task.flightNumbers, horizonDays: task.horizonDays, historyDays: task.historyDays, demandFeed: task.demandFeed, countCurvesWithOtherDcps: false });
    const readMs = performance.now() - t0;
    // the pool's checkpointer thread copies the log into the database, not this writer's commits
    store.db.pragma('wal_autocheckpoint = 0');
    const w = cycleChunkWriter(store, task.cycleId, { lock: writeLock });
    store.db.pragma('cache_size = -65536');
    let writeMs = 0;
    const sink = (chunk: Parameters<typeof w.write>[0]) => { const s = performance.now(); w.write(chunk); writeMs += performance.now() - s; };
    const out = runPricingCycle(input, { sink, chunkCabins: task.chunkCabins });
    const s = performance.now();
    w.flush();
    writeMs += performance.now() - s;
    const totalMs = performance.now() - t0;
    const result: PartitionResult = { stats: out.stats, warnings: out.warnings, written: { ...w.counts }, readMs, writeMs, insertMs: w.timings.insertMs, lockWaitMs: w.timings.lockWaitMs, computeMs: totalMs - readMs - writeMs, totalMs };
    return result;
  } finally {
    store.close();
  }
}

/**
 * The pool's checkpointer (PricingPool.startCheckpointer): passive checkpoints of the store every
 * `intervalMs` until the stop word is set, then one more; answers their count and time, once.
 */
function runCheckpoints(c: { dataDir: string; stop: SharedArrayBuffer; intervalMs: number }): CheckpointerResult {
  const store = openStore({ dataDir: c.dataDir });
  try {
    return runCheckpointLoop(store.db, { stop: new Int32Array(c.stop), intervalMs: c.intervalMs, minFrames: 0 });
  } finally {
    store.close();
  }
}

const checkpointer = (workerData as { checkpointer?: Parameters<typeof runCheckpoints>[0] } | undefined)?.checkpointer;
if (checkpointer) {
  try {
    parentPort!.postMessage({ result: runCheckpoints(checkpointer) });
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ error: { message: err.message, stack: err.stack } });
  }
} else {
  parentPort!.on('message', (msg: { id: number; task: PoolTask }) => {
    try {
      parentPort!.postMessage({ id: msg.id, result: run(msg.task) });
    } catch (e) {
      const err = e as Error;
      parentPort!.postMessage({ id: msg.id, error: { message: err.message, stack: err.stack } });
    }
  });
}
