import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveWriter, fileSha256, readArchiveLines } from './archive';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-archive-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('archive files', () => {
  it('reads back every line as written, across gzip members and chunks that split a line and a character', async () => {
    // about 9 MB of lines: three gzip members; lines of many lengths with two- and three-byte characters
    const lines: string[] = [];
    for (let i = 0, bytes = 0; bytes < 9_000_000; i++) {
      const l = JSON.stringify({ i, note: `${'ü€'.repeat(i % 37)}${'x'.repeat((i * 7919) % 401)}` });
      lines.push(l);
      bytes += Buffer.byteLength(l) + 1;
    }
    const w = new ArchiveWriter(path.join(dir, 'x.jsonl.gz'));
    for (const l of lines) w.add(l);
    const f = await w.finish();
    expect(f).toMatchObject({ lines: lines.length, sha256: fileSha256(f.file) });
    const back: string[] = [];
    for await (const l of readArchiveLines(f.file)) back.push(l);
    expect(back.length).toBe(lines.length);
    expect(back).toEqual(lines);
    // the same as a whole-file gunzip reads it
    expect(zlib.gunzipSync(fs.readFileSync(f.file)).toString('utf8')).toBe(`${lines.join('\n')}\n`);
  });

  it('never overwrites a file, and leaves nothing under the final name when abandoned', async () => {
    const a = new ArchiveWriter(path.join(dir, 'd.jsonl.gz'));
    a.add('{"a":1}');
    expect(path.basename((await a.finish()).file)).toBe('d.jsonl.gz');
    const b = new ArchiveWriter(path.join(dir, 'd.jsonl.gz'));
    expect(path.basename(b.file)).toBe('d-2.jsonl.gz');
    b.add('{"b":2}');
    await b.abort();
    expect(fs.readdirSync(dir)).toEqual(['d.jsonl.gz']);
    // abandoned with chunks being compressed: they finish, then the temporary file goes
    const c = new ArchiveWriter(path.join(dir, 'e.jsonl.gz'));
    for (let i = 0; i < 60_000; i++) c.add(JSON.stringify({ i, pad: 'x'.repeat(200) }));
    await c.abort();
    expect(fs.readdirSync(dir)).toEqual(['d.jsonl.gz']);
  });
});
