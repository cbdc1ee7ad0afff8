import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore, DB_FILE_NAME } from './db';
import { HostCheckpointer, runCheckpointLoop, shouldCopy, walFramesWaiting } from './checkpoints';
import { createBackend } from '../backend';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-ckpt-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** writes about `pages` pages of log through a connection that does not copy it at commit */
function writePages(db: import('better-sqlite3').Database, pages: number): void {
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE IF NOT EXISTS ckpt_probe (k INTEGER PRIMARY KEY, v BLOB) STRICT');
  const ins = db.prepare('INSERT INTO ckpt_probe (v) VALUES (randomblob(3500))');
  db.transaction(() => { for (let i = 0; i < pages; i++) ins.run(); })();
}

describe('shouldCopy', () => {
  it('copies at minFrames waiting, or when frames wait and the log has not grown since the last look', () => {
    expect(shouldCopy(1500, 400, -1, 1000)).toBe(true); // 1,100 wait
    expect(shouldCopy(1500, 600, -1, 1000)).toBe(false); // 900 wait, the writer may go on
    expect(shouldCopy(1500, 600, 1400, 1000)).toBe(false); // still growing
    expect(shouldCopy(1500, 600, 1500, 1000)).toBe(true); // idle: copy the rest, so the log can start again
    expect(shouldCopy(1500, 1500, 1500, 1000)).toBe(false); // nothing waits
    expect(shouldCopy(0, 0, 0, 0)).toBe(true); // minFrames 0: every interval (the pricing pool's)
  });
});

describe('runCheckpointLoop', () => {
  it('copies what waits once more when stopped, and answers its count', () => {
    const s = openStore({ dataDir: tmp() });
    try {
      writePages(s.db, 300);
      expect(walFramesWaiting(s.db)).toBeGreaterThanOrEqual(300);
      const stop = new Int32Array(new SharedArrayBuffer(4));
      Atomics.store(stop, 0, 1);
      const r = runCheckpointLoop(s.db, { stop, intervalMs: 10, minFrames: 1000 });
      expect(r.checkpoints).toBe(1);
      expect(walFramesWaiting(s.db)).toBe(0);
    } finally {
      s.close();
    }
  });
});

describe('HostCheckpointer', () => {
  it('starts its thread only once minFrames wait', () => {
    const s = openStore({ dataDir: tmp() });
    const start = vi.fn(() => new Promise<never>(() => undefined));
    const h = new HostCheckpointer({ db: s.db, start, minFrames: 200, checkEveryMs: 60_000 });
    try {
      s.db.pragma('wal_checkpoint(TRUNCATE)'); // the new store's schema
      writePages(s.db, 50);
      h.check();
      expect(h.started).toBe(false);
      writePages(s.db, 200);
      h.check();
      h.check();
      expect(h.started).toBe(true);
      expect(start).toHaveBeenCalledTimes(1);
    } finally {
      void h.stop();
      s.close();
    }
  });

  it('a thread that fails is reported, and the store goes on with its own checkpoints', async () => {
    const s = openStore({ dataDir: tmp() });
    const errors: string[] = [];
    const h = new HostCheckpointer({ db: s.db, start: () => Promise.reject(new Error('no worker here')), minFrames: 10, checkEveryMs: 60_000, onError: (e) => errors.push(e.message) });
    try {
      writePages(s.db, 20);
      h.check();
      expect(await h.stop()).toBeNull();
      expect(errors).toEqual(['no worker here']);
      s.db.prepare('INSERT INTO ckpt_probe (v) VALUES (x\'00\')').run();
    } finally {
      s.close();
    }
  });
});

describe('the backend\'s checkpoint thread', () => {
  it('copies the host\'s log from a thread of its own, and the log is removed when the backend closes', async () => {
    const dir = tmp();
    const b = createBackend({ dataDir: dir, connectors: [], mode: 'live', host: 'headless', version: 'test', backup: false, checkpoints: { minFrames: 100, checkEveryMs: 60_000 } });
    let closed = false;
    try {
      writePages(b.store.db, 400);
      b.checkpointer!.check();
      expect(b.checkpointer!.started).toBe(true);
      // the thread copies the frames waiting (it looks every 50 ms; the first look is after its start)
      await vi.waitFor(() => expect(walFramesWaiting(b.store.db)).toBe(0), { timeout: 20_000, interval: 20 });
      // the next transaction starts the log from the beginning again
      b.store.db.prepare('INSERT INTO ckpt_probe (v) VALUES (x\'00\')').run();
      const c = (b.store.db.pragma('wal_checkpoint(NOOP)') as { log: number }[])[0]!;
      expect(c.log).toBeLessThan(10);
      await b.close();
      closed = true;
      expect(fs.existsSync(path.join(dir, `${DB_FILE_NAME}-wal`))).toBe(false);
    } finally {
      if (!closed) await b.close();
    }
  });
});
