import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/db';
import { captureIO, prepareDataDir } from './testSupport';
import { main } from './cli';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-store-cli-'));
  dirs.push(d);
  return d;
}

async function dfae(args: string[], dataDir: string) {
  const io = captureIO({});
  const code = await main([...args, '--data-dir', dataDir], io);
  return { code, stdout: io.text('stdout'), stderr: io.text('stderr') };
}

const carriers = (dataDir: string) => {
  const s = openStore({ dataDir });
  try {
    return s.db.prepare('SELECT code FROM carriers ORDER BY code').pluck().all();
  } finally {
    s.close();
  }
};

describe('dfae backup / backups / check / restore', () => {
  it('backs up, checks, and restores a backup, setting the replaced database aside', async () => {
    const dataDir = tempDir();
    await prepareDataDir(dataDir); // audit rows: the backup carries its audit head
    const s = openStore({ dataDir });
    s.db.prepare("INSERT INTO carriers (code, name, own) VALUES ('DF', 'Dfae Air', 1)").run();
    s.close();

    const b = await dfae(['backup', '--json'], dataDir);
    expect(b.code, b.stderr).toBe(0);
    const taken = JSON.parse(b.stdout) as { file: string; headFile: string | null; bytes: number };
    expect(fs.existsSync(taken.file)).toBe(true);
    expect(taken.headFile).not.toBeNull();

    const list = await dfae(['backups'], dataDir);
    expect(list.stdout).toContain(taken.file);
    expect(list.stdout).toMatch(/manual/);

    const c = await dfae(['check', '--full'], dataDir);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/full check ok/);

    // a change after the backup is undone by the restore
    const w = openStore({ dataDir });
    w.db.prepare("DELETE FROM carriers WHERE code = 'DF'").run();
    w.close();
    expect(carriers(dataDir)).toEqual([]);
    const r = await dfae(['restore', taken.file], dataDir);
    expect(r.code, r.stderr).toBe(0);
    const aside = /the replaced database is in (\S+)/.exec(r.stdout)?.[1];
    expect(aside && fs.existsSync(path.join(aside, 'dfae.sqlite'))).toBe(true);
    expect(carriers(dataDir)).toEqual(['DF']);
  });

  it('refuses a missing or damaged backup and changes nothing', async () => {
    const dataDir = tempDir();
    await prepareDataDir(dataDir);
    const missing = await dfae(['restore', path.join(dataDir, 'nope.sqlite')], dataDir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);

    const b = JSON.parse((await dfae(['backup', '--json'], dataDir)).stdout) as { file: string };
    const damaged = path.join(dataDir, 'damaged.sqlite');
    const bytes = fs.readFileSync(b.file);
    bytes.fill(0x5a, 4096, 8192); // overwrite a page in the middle
    fs.writeFileSync(damaged, bytes);
    const before = fs.readFileSync(path.join(dataDir, 'dfae.sqlite'));
    const r = await dfae(['restore', damaged], dataDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dfae restore: .*(integrity|cannot|malformed|not a database)/i);
    expect(fs.readFileSync(path.join(dataDir, 'dfae.sqlite')).equals(before)).toBe(true);
  });
});
