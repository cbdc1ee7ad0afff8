import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { backupStore, backupsDir, inspectBackupFile, type BackupInspection, type BackupInspector } from '../store/backup';
import { AuditLog } from '../workflow/audit';
import { auditHeadPath } from '../workflow/auditHead';
import { workerBackupInspector } from './stageWorker';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function storeWithRows(): Store {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-stage-'));
  dirs.push(dir);
  let t = Date.parse('2026-11-27T08:00:00Z');
  const store = openStore({ dataDir: dir, clock: { now: () => new Date((t += 1000)) } });
  const ins = store.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
  store.db.transaction(() => { for (let i = 0; i < 2000; i++) ins.run(`k${i}`, JSON.stringify({ v: 'x'.repeat(300), i }), store.now()); })();
  const audit = new AuditLog(store.db, store.clock, auditHeadPath(store.file));
  audit.tx(() => audit.append([1, 2, 3].map((i) => ({ actor: 'rita', entity: 'rule' as const, entityId: `r${i}`, from: null, to: 'created', reason: 'test' }))));
  return store;
}

/** the inspector, noting whether this thread ran an event-loop turn (setImmediate) before the check answered */
function noticing(inspect: BackupInspector): { inspect: BackupInspector; turnedDuringCheck: boolean[] } {
  const turnedDuringCheck: boolean[] = [];
  return {
    turnedDuringCheck,
    inspect: (file) => {
      let turned = false;
      setImmediate(() => { turned = true; });
      return inspect(file).then((r) => { turnedDuringCheck.push(turned); return r; });
    },
  };
}

describe('backup check in a stage worker', () => {
  it('checks the copy in another thread, finding what the check in this thread finds, while this thread keeps turning', async () => {
    const store = storeWithRows();
    const worker = noticing(workerBackupInspector());
    const r = await backupStore(store, { reason: 'manual', inspect: worker.inspect });
    expect(r.integrity.ok).toBe(true);
    expect(r.head?.seq).toBe(3);
    expect(worker.turnedDuringCheck).toEqual([true]);
    // the same answer as the check in this thread, which holds the thread for its whole length
    const timeless = ({ integrity: { ms: _ms, ...integrity }, ...rest }: BackupInspection) => ({ integrity, ...rest });
    expect(timeless(await workerBackupInspector()(r.file))).toEqual(timeless(inspectBackupFile(r.file)));
    const inline = noticing((f) => Promise.resolve(inspectBackupFile(f)));
    await backupStore(store, { reason: 'manual', inspect: inline.inspect });
    expect(inline.turnedDuringCheck).toEqual([false]);
    store.close();
  });

  it('discards a copy whose pages are damaged, or that is not a database, with the reason', async () => {
    const store = storeWithRows();
    const damage = (bytes: Buffer, at: number): BackupInspector => (file) => {
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, bytes, 0, bytes.length, at);
      fs.closeSync(fd);
      return workerBackupInspector()(file);
    };
    await expect(backupStore(store, { reason: 'manual', inspect: damage(Buffer.alloc(4096, 0x5a), 4096 * 2) })).rejects.toThrow(/failed its integrity check|cannot be opened/);
    await expect(backupStore(store, { reason: 'manual', inspect: damage(Buffer.from('not a database file at all'), 0) })).rejects.toThrow(/failed its integrity check \(SQLite could not read the database \(SQLITE_NOTADB\)/);
    expect(fs.readdirSync(backupsDir(store.dataDir))).toEqual([]);
    store.close();
  });
});
