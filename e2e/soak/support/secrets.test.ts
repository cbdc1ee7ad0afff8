import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { searchFolder } from './secrets';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('the soak\'s secret search', () => {
  it('finds a secret in a plain file and inside a compressed one (backups, archive files), in each encoding', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-secrets-'));
    dirs.push(dir);
    const secret = { name: 'pss.clientSecret', value: 's3cr3t-value!', clientId: 'dfae' };
    fs.mkdirSync(path.join(dir, 'backups'));
    fs.writeFileSync(path.join(dir, 'log.txt'), 'nothing here');
    fs.writeFileSync(path.join(dir, 'backups', 'dfae-manual.sqlite.gz'), zlib.gzipSync(Buffer.from(`...${secret.value}...`)));
    fs.writeFileSync(path.join(dir, 'archive.jsonl.gz'), zlib.gzipSync(Buffer.from(`{"auth":"Basic ${Buffer.from(`dfae:${secret.value}`).toString('base64')}"}`)));
    const r = searchFolder(dir, [secret]);
    expect(r.files).toBe(3);
    expect(r.hits).toHaveLength(2);
    expect(r.hits).toEqual(expect.arrayContaining([
      { where: path.join('archive.jsonl.gz') + ' (decompressed)', secret: 'pss.clientSecret', encoding: 'basic-auth' },
      { where: path.join('backups', 'dfae-manual.sqlite.gz') + ' (decompressed)', secret: 'pss.clientSecret', encoding: 'text' },
    ]));
    // the compressed bytes alone do not show it: without decompressing, the search would miss both
    expect(fs.readFileSync(path.join(dir, 'backups', 'dfae-manual.sqlite.gz')).includes(Buffer.from(secret.value))).toBe(false);
  });
});
