import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createWriteLockBuffer, releaseIfHeldBy, writeLockOn } from './writeLock';

describe('pricing write lock', () => {
  it('is held by one owner at a time and released only by its holder', () => {
    const buf = createWriteLockBuffer();
    const a = writeLockOn(buf, 1);
    const b = writeLockOn(buf, 2);
    expect(a.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    expect(() => b.release()).toThrow(/does not hold it/);
    expect(() => a.acquire()).toThrow(/taken twice/);
    a.release();
    expect(b.tryAcquire()).toBe(true);
    b.release();
    expect(() => writeLockOn(buf, 0)).toThrow(/owner/);
  });

  it('frees the lock of an owner that ended while holding it', () => {
    const buf = createWriteLockBuffer();
    const a = writeLockOn(buf, 7);
    a.acquire();
    expect(releaseIfHeldBy(buf, 8)).toBe(false);
    expect(releaseIfHeldBy(buf, 7)).toBe(true);
    expect(writeLockOn(buf, 8).tryAcquire()).toBe(true);
  });

  it('wakes a thread waiting for the lock when another thread releases it', async () => {
    const buf = createWriteLockBuffer();
    const main = writeLockOn(buf, 1);
    main.acquire();
    const log = new Int32Array(new SharedArrayBuffer(8));
    // the worker waits in acquire() (owner 2), then records that it got the lock and releases it
    const worker = new Worker(`
      const { workerData } = require('node:worker_threads');
      const word = new Int32Array(workerData.buf, 0, 1);
      const log = new Int32Array(workerData.log);
      Atomics.store(log, 0, 1);
      for (;;) { const h = Atomics.compareExchange(word, 0, 0, 2); if (h === 0) break; Atomics.wait(word, 0, h, 1000); }
      Atomics.store(log, 1, Atomics.load(word, 0));
      Atomics.store(word, 0, 0); Atomics.notify(word, 0, 1);
    `, { eval: true, workerData: { buf, log: log.buffer } });
    const exited = new Promise<number>((resolve, reject) => { worker.on('exit', resolve); worker.on('error', reject); });
    const started = Date.now();
    while (Atomics.load(log, 0) === 0) {
      if (Date.now() - started > 10_000) throw new Error('the worker did not start within 10 s');
      await Promise.race([new Promise((r) => setTimeout(r, 5)), exited]);
    }
    expect(Atomics.load(log, 1)).toBe(0); // still waiting: the main thread holds the lock
    main.release();
    expect(await exited).toBe(0);
    expect(Atomics.load(log, 1)).toBe(2); // it held the lock as owner 2
    expect(main.tryAcquire()).toBe(true);
  });
});
