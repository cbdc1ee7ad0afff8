import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { bulkInserter } from './bulkInsert';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function db(): BetterSqlite3.Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-bulk-'));
  dirs.push(dir);
  const d = new BetterSqlite3(path.join(dir, 'x.sqlite'));
  d.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, name TEXT NOT NULL, v REAL) STRICT');
  return d;
}

describe('bulkInserter', () => {
  it('inserts every row in order, whole statements and the remainder alike', () => {
    for (const n of [0, 1, 7, 8, 9, 23, 24]) {
      const d = db();
      const rows = Array.from({ length: n }, (_, i) => [i + 1, `r${i}`, i % 3 === 0 ? null : i / 4]);
      bulkInserter(d, 't', ['k', 'name', 'v'], 8)(rows);
      expect(d.prepare('SELECT k, name, v FROM t ORDER BY rowid').raw().all()).toEqual(rows);
      d.close();
    }
  });

  it('names the table and row of a row with the wrong number of values, and stops at a constraint like a single insert', () => {
    const d = db();
    const insert = bulkInserter(d, 't', ['k', 'name', 'v'], 4);
    expect(() => insert([[1, 'a', 1], [2, 'b']])).toThrow(/bulkInserter\(t\): row 1 has 2 values for 3 columns/);
    expect(() => insert([[1, 'a', 1], [2, null, 1], [3, 'c', 1], [4, 'd', 1]])).toThrow(/NOT NULL constraint failed: t.name/);
    expect(d.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0); // a statement is atomic
    expect(() => bulkInserter(d, 't', ['k'], 0)).toThrow(/perStatement must be a whole number >= 1/);
    d.close();
  });
});
