import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/db';
import { acquireCycleLock } from '../../engine/cycle/lock';
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

describe('dfae archive', () => {
  it('moves audit rows past their age to archive/, verifies them, and finds a changed archive file', async () => {
    const dataDir = tempDir();
    await prepareDataDir(dataDir); // two audit rows (the alert thresholds and the rule), written now
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 19) + 'Z';
    const none = await dfae(['archive', '--json'], dataDir);
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ settings: { auditDays: 30, decisionsDays: 30, departedDays: 400 }, audit: null, decisions: null });

    const a = await dfae(['archive', '--audit-days', '1', '--now', later], dataDir);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/audit rows 1\.\.1 \(1\) → .*archive\/audit-000000000001-000000000001\.jsonl\.gz/);
    const file = path.join(dataDir, 'archive', 'audit-000000000001-000000000001.jsonl.gz');
    expect(fs.existsSync(file)).toBe(true);

    const v = await dfae(['archive', '--verify'], dataDir);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/audit chain in the store: ok \(2 rows\)/);
    expect(v.stdout).toContain(`${file}: ok (1 rows)`);
    expect(v.stdout).toContain('no decision archive files yet');

    // the archived row, searched
    const found = await dfae(['archived', '--audit', '--json'], dataDir);
    expect(found.code, found.stderr).toBe(0);
    const out = JSON.parse(found.stdout) as { rows: { seq: number; file: string }[]; progress: { filesRead: number; nextFile: number | null } };
    expect(out.rows.map((r) => [r.seq, r.file])).toEqual([[1, 'audit-000000000001-000000000001.jsonl.gz']]);
    expect(out.progress).toMatchObject({ filesRead: 1, nextFile: null });
    const text = await dfae(['archived', '--audit', '--actor', 'nobody'], dataDir);
    expect(text.stdout).toMatch(/^0 found; 1 of 1 file\(s\) read \(1 line, \d+ ms\), every file read\n$/);
    expect(JSON.parse((await dfae(['archived', '--json'], dataDir)).stdout)).toMatchObject({ rows: [], progress: { filesTotal: 0 } });
    const refused = await dfae(['archived', '--origin', 'fra'], dataDir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('dfae archived: --origin: expected a three-letter IATA airport code\n');
    expect((await dfae(['archived', '--from', '2026-12-05', '--to', '2026-12-01'], dataDir)).stderr).toBe('dfae archived: --from: travelFrom is after travelTo\n');

    fs.appendFileSync(file, Buffer.from([0x1f, 0x8b])); // bytes added to the file afterwards
    const bad = await dfae(['archive', '--verify', '--json'], dataDir);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, archives: [{ ok: false, problems: expect.arrayContaining([expect.stringMatching(/SHA-256 differs/)]) }] });
    // searched, the damaged file still gives its row, is named, and the exit says so
    const damaged = await dfae(['archived', '--audit'], dataDir);
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toMatch(/^1 {2}\S+ {2}\S+ {2}\S+ \S+ {2}/);
    expect(damaged.stderr).toMatch(/^dfae archived: audit-000000000001-000000000001\.jsonl\.gz: cannot be read after line 1: unexpected end of file/);
  });

  it("waits for no cycle: with the data folder's lock held it changes nothing and exits 3", async () => {
    const dataDir = tempDir();
    await prepareDataDir(dataDir);
    const lock = acquireCycleLock(dataDir, { host: 'desktop', command: 'manual (rita)' });
    try {
      const r = await dfae(['archive', '--audit-days', '1', '--now', '2030-01-01T00:00:00Z'], dataDir);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/dfae archive: a cycle is running on .*\(desktop manual \(rita\), pid \d+/);
      expect(fs.existsSync(path.join(dataDir, 'archive'))).toBe(false);
    } finally {
      lock.release();
    }
    expect((await dfae(['archive', '--audit-days', '1', '--now', '2030-01-01T00:00:00Z'], dataDir)).code).toBe(0);
  });

  it('names a bad number of days', async () => {
    const r = await dfae(['archive', '--audit-days', 'soon'], tempDir());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/expected a whole number of days \(0: keep all\), got "soon"/);
  });
});
