import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fixedClock } from '../../engine/domain/time';
import type { RowOf } from './column-spec';
import { DropFolder, RetryLaterError, route, type CsvSink, type DropFolderOptions, type DropOutcome } from './drop-folder';
import { demandSpec } from './test-support/demand-spec';

type DemandRow = RowOf<typeof demandSpec>;
const HEADER = 'origin,destination,departure_date,cabin,dcp,bookings,load_factor,as_of';
const row = (date: string, bookings: number) => `FRA,JFK,${date},Y,30,${bookings},,`;

let dir: string;
let db: Database.Database;
const folders: DropFolder[] = [];
const clock = fixedClock('2025-03-01T12:00:00Z');

/** A real SQLite sink: rows, quarantine and the file hash in one transaction; bookings above 500 violate a CHECK. */
function sqliteSink(opts: { retryLater?: () => boolean } = {}): CsvSink<DemandRow> {
  return {
    alreadyApplied: (sha) => db.prepare('SELECT 1 FROM applied_files WHERE sha256 = ?').get(sha) !== undefined,
    apply: (batch) => {
      if (opts.retryLater?.()) throw new RetryLaterError('database is busy');
      db.transaction(() => {
        const ins = db.prepare('INSERT INTO demand (origin, destination, departure_date, cabin, dcp, bookings) VALUES (?, ?, ?, ?, ?, ?)');
        for (const { value: r } of batch.rows) ins.run(r.origin, r.destination, r.departure_date, r.cabin, r.dcp, r.bookings);
        const q = db.prepare('INSERT INTO quarantine (source, location, field, reason) VALUES (?, ?, ?, ?)');
        for (const x of batch.quarantined) q.run(x.source, x.location, x.field ?? null, x.reason);
        db.prepare('INSERT INTO applied_files (sha256, file) VALUES (?, ?)').run(batch.sha256, batch.file);
      })();
    },
  };
}

function folder(extra: Partial<DropFolderOptions> = {}, sink = sqliteSink()): DropFolder {
  const f = new DropFolder({ dir, routes: [route(demandSpec, sink)], clock, stableMs: 0, ...extra });
  folders.push(f);
  return f;
}

const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const drop = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
const listing = (sub: string) => fs.readdirSync(path.join(dir, sub)).sort();

beforeEach(() => {
  clock.set('2025-03-01T12:00:00Z');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-drop-'));
  db = new Database(path.join(dir, '..', `${path.basename(dir)}.sqlite`));
  db.exec(`CREATE TABLE demand (origin TEXT, destination TEXT, departure_date TEXT, cabin TEXT, dcp INTEGER, bookings INTEGER CHECK (bookings <= 500)) STRICT;
    CREATE TABLE quarantine (source TEXT, location TEXT, field TEXT, reason TEXT) STRICT;
    CREATE TABLE applied_files (sha256 TEXT PRIMARY KEY, file TEXT) STRICT;`);
  fs.mkdirSync(path.join(dir, 'archive'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'rejected'), { recursive: true });
});
afterEach(async () => {
  await Promise.all(folders.splice(0).map((f) => f.stop()));
  const file = db.name;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(file, { force: true });
});

describe('DropFolder', () => {
  it('applies a file (valid rows and quarantined rows together) and archives it with a time stamp', async () => {
    drop('demand_2025-03-01.csv', [HEADER, row('2025-06-01', 10), row('2025-06-02', 20), 'FRA,JFK,2025-06-31,Y,30,5,,', row('2025-06-03', 30)].join('\n'));
    const [o] = await folder().scan();
    expect(o).toMatchObject({ status: 'applied', kind: 'test-demand', file: 'demand_2025-03-01.csv', rowsIn: 4, rowsApplied: 3, quarantined: 1, at: '2025-03-01T12:00:00.000Z' });
    expect(count('demand')).toBe(3);
    expect(db.prepare('SELECT source, location, field FROM quarantine').all()).toEqual([{ source: 'file demand_2025-03-01.csv', location: 'line 4', field: 'departure_date' }]);
    expect(listing('archive')).toEqual(['2025-03-01T12-00-00-000Z_demand_2025-03-01.csv']);
    expect(o!.movedTo).toBe(path.join(dir, 'archive', '2025-03-01T12-00-00-000Z_demand_2025-03-01.csv'));
    expect(fs.existsSync(path.join(dir, 'demand_2025-03-01.csv'))).toBe(false);
  });

  it('applies a file whole or not at all: a row the store refuses rolls the whole file back', async () => {
    drop('demand_b.csv', [HEADER, row('2025-06-01', 10), row('2025-06-02', 20), row('2025-06-03', 900)].join('\n'));
    const [o] = await folder().scan();
    expect(o).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^refused when applying: CHECK constraint failed/) });
    expect(count('demand')).toBe(0);
    expect(count('quarantine')).toBe(0);
    expect(count('applied_files')).toBe(0);
    expect(listing('rejected')).toEqual(['2025-03-01T12-00-00-000Z_demand_b.csv', '2025-03-01T12-00-00-000Z_demand_b.csv.reason.txt']);
  });

  it('rejects an unreadable file with a reason file, applying nothing', async () => {
    drop('demand_c.csv', 'when,what\n2025-06-01,lots\n');
    drop('prices.csv', `${HEADER}\n${row('2025-06-01', 1)}\n`);
    const outcomes = await folder().scan();
    expect(outcomes.map((o) => [o.file, o.status]).sort()).toEqual([['demand_c.csv', 'rejected'], ['prices.csv', 'rejected']]);
    const reason = fs.readFileSync(path.join(dir, 'rejected', '2025-03-01T12-00-00-000Z_demand_c.csv.reason.txt'), 'utf8');
    expect(reason).toMatch(/^demand_c\.csv was rejected at 2025-03-01T12:00:00\.000Z\nkind: test-demand\nreason: wrong header for a test-demand file: missing required column\(s\) origin, destination/);
    expect(fs.readFileSync(path.join(dir, 'rejected', '2025-03-01T12-00-00-000Z_prices.csv.reason.txt'), 'utf8')).toMatch(/no column specification matches the file name "prices\.csv"; known kinds: test-demand/);
    expect(count('demand')).toBe(0);
  });

  it('archives a file whose content was applied before without applying it again (crash between commit and move)', async () => {
    const text = [HEADER, row('2025-06-01', 10)].join('\n');
    drop('demand_d.csv', text);
    const f = folder();
    await f.scan();
    drop('demand_d.csv', text); // as if the move had not happened
    clock.advanceMs(1_000);
    const [o] = await f.scan();
    expect(o).toMatchObject({ status: 'duplicate' });
    expect(count('demand')).toBe(1);
    expect(listing('archive')).toEqual(['2025-03-01T12-00-00-000Z_demand_d.csv', '2025-03-01T12-00-01-000Z_demand_d.csv']);
  });

  it('leaves files being written alone until they are renamed', async () => {
    drop('demand_e.csv.tmp', [HEADER, row('2025-06-01', 10)].join('\n'));
    const f = folder();
    expect(await f.scan()).toEqual([]);
    fs.renameSync(path.join(dir, 'demand_e.csv.tmp'), path.join(dir, 'demand_e.csv'));
    expect((await f.scan()).map((o) => o.status)).toEqual(['applied']);
  });

  it('takes a file only once its size has been stable for stableMs', async () => {
    const f = folder({ stableMs: 2_000 });
    drop('demand_f.csv', `${HEADER}\n${row('2025-06-01', 10)}\n`);
    expect(await f.scan()).toEqual([]);
    clock.advanceMs(1_500);
    fs.appendFileSync(path.join(dir, 'demand_f.csv'), `${row('2025-06-02', 11)}\n`); // still being written
    expect(await f.scan()).toEqual([]);
    clock.advanceMs(1_999);
    expect(await f.scan()).toEqual([]);
    clock.advanceMs(1);
    const [o] = await f.scan();
    expect(o).toMatchObject({ status: 'applied', rowsApplied: 2 });
  });

  it('leaves the file in place when the sink asks to retry later', async () => {
    let busy = true;
    const f = folder({}, sqliteSink({ retryLater: () => busy }));
    drop('demand_g.csv', [HEADER, row('2025-06-01', 10)].join('\n'));
    expect((await f.scan()).map((o) => [o.status, o.movedTo])).toEqual([['retry_later', null]]);
    expect(fs.existsSync(path.join(dir, 'demand_g.csv'))).toBe(true);
    busy = false;
    expect((await f.scan()).map((o) => o.status)).toEqual(['applied']);
    expect(count('demand')).toBe(1);
  });

  for (const mode of ['fs.watch', 'polling'] as const) {
    it(`picks up a dropped file by ${mode}`, async () => {
      let resolve!: (o: DropOutcome) => void;
      const outcome = new Promise<DropOutcome>((r) => { resolve = r; });
      const f = folder(mode === 'fs.watch' ? { pollIntervalMs: 3_600_000, onOutcome: resolve } : { watch: false, pollIntervalMs: 25, onOutcome: resolve });
      await f.start();
      fs.writeFileSync(path.join(dir, 'demand_h.csv.part'), [HEADER, row('2025-06-01', 10)].join('\n'));
      fs.renameSync(path.join(dir, 'demand_h.csv.part'), path.join(dir, 'demand_h.csv'));
      expect(await outcome).toMatchObject({ status: 'applied', file: 'demand_h.csv' });
      expect(count('demand')).toBe(1);
    });
  }
});
