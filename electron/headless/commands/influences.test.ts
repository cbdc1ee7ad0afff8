import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../engine/store/db';
import { fixedClock } from '../../../engine/domain/time';
import type { DemandInfluence } from '../../../engine/api/contract/influences';
import { captureIO } from '../testSupport';
import { main } from '../cli';
import { parseImport, parseMarket } from './influences';

let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-influences-cli-'));
  const store = openStore({ dataDir, clock: fixedClock('2026-11-25T08:00:00Z') });
  store.db.prepare(`INSERT INTO airports (code, name, time_zone, lat, lon, country) VALUES
    ('FRA', 'Frankfurt', 'Europe/Berlin', 50.03, 8.56, 'DE'), ('CDG', 'Paris CDG', 'Europe/Paris', 49.0, 2.55, 'FR'), ('JFK', 'New York JFK', 'America/New_York', 40.64, -73.78, 'US')`).run();
  store.close();
});
afterAll(() => { fs.rmSync(dataDir, { recursive: true, force: true }); });

async function run(args: string[]) {
  const io = captureIO({});
  const code = await main(['influences', ...args, '--data-dir', dataDir], io);
  return { code, out: io.text('stdout'), err: io.text('stderr') };
}

describe('dfae influences', () => {
  it('adds, lists and deletes, audited as the shell user or --by', async () => {
    const a = await run(['add', '--name', 'Strike at CDG', '--market', 'FRA-CDG', '--from', '2027-03-03', '--to', '2027-03-05', '--change', '-30', '--by', 'ann', '--json']);
    expect(a.code, a.err).toBe(0);
    const saved = JSON.parse(a.out) as DemandInfluence;
    expect(saved).toMatchObject({ name: 'Strike at CDG', origin: 'FRA', destination: 'CDG', factor: 0.7, createdBy: 'ann' });
    const b = await run(['add', '--name', 'Fair', '--market', '*-JFK', '--cabin', 'j', '--from', '2027-04-01', '--to', '2027-04-02', '--change', '15']);
    expect(b.code, b.err).toBe(0);
    expect(b.out).toMatch(/^added +\d+  any-JFK cabin J +2027-04-01 to 2027-04-02 +\+15 %  Fair  by headless:/);
    const list = await run([]);
    expect(list.out.trim().split('\n').map((l) => l.replace(/^\s*\d+\s+/, '').replace(/\s+by .*$/, ''))).toEqual([
      'FRA-CDG           2027-03-03 to 2027-03-05     −30 %  Strike at CDG',
      'any-JFK cabin J   2027-04-01 to 2027-04-02     +15 %  Fair',
    ]);
    expect((await run(['--market', 'FRA-JFK', '--json'])).out).toContain('"Fair"');
    expect(await run(['delete', String(saved.id)])).toMatchObject({ code: 0, out: `deleted demand influence ${saved.id}\n` });
    expect(JSON.parse((await run(['--json'])).out).map((i: DemandInfluence) => i.name)).toEqual(['Fair']);
  });

  it('refuses a bad argument with the option and the reason, exit 2', async () => {
    expect(await run(['add', '--name', 'x', '--market', 'FRA_CDG', '--from', '2027-03-03', '--to', '2027-03-05', '--change', '-30'])).toMatchObject({ code: 2, err: expect.stringContaining('--market must be like FRA-CDG') });
    expect(await run(['add', '--name', 'x', '--market', 'FRA-CDG', '--from', '2027-03-03', '--to', '2027-03-05', '--change', 'minus 30'])).toMatchObject({ code: 2, err: expect.stringContaining('--change must be a change in per cent') });
    expect(await run(['add', '--name', 'x', '--market', 'FRA-CDG', '--from', '2027-03-03', '--to', '2027-03-05', '--change', '-90'])).toMatchObject({ code: 2, err: expect.stringContaining('factor: the factor must be at least 0.2') });
    expect(await run(['add', '--name', 'x', '--market', 'FRA-XXX', '--from', '2027-03-03', '--to', '2027-03-05', '--change', '-30'])).toMatchObject({ code: 2, err: expect.stringContaining('destination: destination XXX is not an airport the workbench knows') });
    expect(await run(['delete', '99999'])).toMatchObject({ code: 2, err: expect.stringContaining('demand influence 99999 was not found') });
  });

  it('imports a CSV file whole, or saves nothing and names every bad row', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-influences-csv-'));
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'name,origin,destination,from,to,change_pct,note\nEaster,,,2027-03-26,2027-04-05,12,school holidays\nStrike,FRA,CDG,2027-05-10,2027-05-09,-40,\nFair,FRA,JFK,2027-06-01,2027-06-03,lots,\n');
    const before = JSON.parse((await run(['--all', '--json'])).out).length;
    const r = await run(['import', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}: nothing saved, 2 problem(s):`);
    expect(r.err).toContain('line 4, change_pct: a change in per cent, e.g. -30 or 15, got "lots"');
    expect(r.err).toContain('line 3: to: to must be on or after from');
    expect(JSON.parse((await run(['--all', '--json'])).out)).toHaveLength(before);
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, 'name,origin,destination,from,to,change_pct,note,cabin\nEaster,*,*,2027-03-26,2027-04-05,12,school holidays,\n"Strike, pilots",FRA,CDG,2027-05-10,2027-05-12,-40,,y\n');
    const ok = await run(['import', good, '--json']);
    expect(ok.code, ok.err).toBe(0);
    expect((JSON.parse(ok.out) as DemandInfluence[]).map((i) => [i.name, i.origin, i.destination, i.cabin, i.factor, i.note])).toEqual([['Easter', null, null, null, 1.12, 'school holidays'], ['Strike, pilots', 'FRA', 'CDG', 'Y', 0.6, '']]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads markets and import files', () => {
    expect(parseMarket('fra-cdg')).toEqual({ origin: 'FRA', destination: 'CDG' });
    expect(parseMarket('*')).toEqual({ origin: null, destination: null });
    expect(parseMarket('FRA-*')).toEqual({ origin: 'FRA', destination: null });
    expect(parseImport('name,from\nx,2027-01-01\n').problems).toEqual(['line 1: the header lacks origin, destination, to, change_pct (expected name,origin,destination,from,to,change_pct,note,cabin)']);
    expect(parseImport('name,origin,destination,from,to,change_pct\n\n').rows).toEqual([]);
  });
});
