import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../backend';
import { fixedClock } from '../../domain/time';
import { inProcessClient, type Caller } from '../dispatch';
import type { Contract } from '../contract/index';
import { ApiError } from '../errors';
import { seed } from '../../workflow/__tests__/fixtures';

let dir: string;
let backend: Backend;
const clock = fixedClock('2026-11-25T08:00:00Z');
const ann: Caller = { user: 'ann', role: 'analyst' };
const call = (c: Caller = ann) => inProcessClient<Contract>(backend.dispatcher, c);
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: ApiError) => e);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-influences-'));
  backend = createBackend({ dataDir: dir, clock, connectors: [], mode: 'sandbox', host: 'test', version: '0.0.0-test', decisions: { autoPush: false, expiryIntervalMs: 0 } });
  seed(backend.store, 3);
});
afterEach(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('demand influences', () => {
  it('are saved, changed and deleted by an analyst, each with an audit row, and listed by market and date', async () => {
    const strike = await call()('influences.save', { name: 'Strike at CDG', origin: 'FRA', destination: 'CDG', from: '2026-12-03', to: '2026-12-05', factor: 0.4, note: 'unions called it' });
    expect(strike).toMatchObject({ name: 'Strike at CDG', origin: 'FRA', destination: 'CDG', from: '2026-12-03', to: '2026-12-05', factor: 0.4, createdBy: 'ann', updatedBy: 'ann' });
    const hub = await call()('influences.save', { name: 'Hub works', origin: 'FRA', from: '2026-12-01', to: '2026-12-31', factor: 0.9 });
    expect(hub.destination).toBeNull();
    await call()('influences.save', { name: 'Last month', cabin: 'J', from: '2026-10-01', to: '2026-10-31', factor: 1.1 });
    // not yet over, by first date; a market's own, its origin's and network-wide ones
    expect((await call()('influences.list', {})).rows.map((r) => r.name)).toEqual(['Hub works', 'Strike at CDG']);
    expect((await call()('influences.list', { includePast: true })).rows.map((r) => r.name)).toEqual(['Last month', 'Hub works', 'Strike at CDG']);
    expect((await call()('influences.list', { origin: 'FRA', destination: 'JFK' })).rows.map((r) => r.name)).toEqual(['Hub works']);
    expect((await call()('influences.list', { origin: 'JFK', destination: 'FRA' })).rows).toEqual([]);
    const changed = await call({ user: 'rita', role: 'revenue_manager' })('influences.save', { id: strike.id, name: 'Strike at CDG', origin: 'FRA', destination: 'CDG', from: '2026-12-03', to: '2026-12-06', factor: 0.5 });
    expect(changed).toMatchObject({ to: '2026-12-06', factor: 0.5, createdBy: 'ann', updatedBy: 'rita' });
    expect(await call()('influences.delete', { id: hub.id })).toEqual({ deleted: true });
    const audit = await call()('audit.search', { entity: 'demand_influence', limit: 10 });
    expect(audit.map((a) => [a.actor, a.entityId, a.from, a.to, a.reason])).toEqual([
      ['ann', String(hub.id), 'saved', 'deleted', 'demand influence "Hub works" deleted: FRA-any 2026-12-01 to 2026-12-31, −10 %'],
      ['rita', String(strike.id), 'saved', 'saved', 'demand influence "Strike at CDG": FRA-CDG 2026-12-03 to 2026-12-06, forecast demand −50 % (was FRA-CDG 2026-12-03 to 2026-12-05, −60 %)'],
      ['ann', '3', null, 'saved', 'demand influence "Last month": the network cabin J 2026-10-01 to 2026-10-31, forecast demand +10 %'],
      ['ann', String(hub.id), null, 'saved', 'demand influence "Hub works": FRA-any 2026-12-01 to 2026-12-31, forecast demand −10 %'],
      ['ann', String(strike.id), null, 'saved', 'demand influence "Strike at CDG": FRA-CDG 2026-12-03 to 2026-12-05, forecast demand −60 %'],
    ]);
  });

  it('refuse what would apply to nothing or beyond the forecast\'s bounds, naming the field', async () => {
    const base = { name: 'Fair', origin: 'FRA', destination: 'CDG', from: '2026-12-03', to: '2026-12-05', factor: 1.5 };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ factor: 6 }, 'factor', /at most 5/],
      [{ factor: 0.1 }, 'factor', /at least 0.2/],
      [{ to: '2026-12-01' }, 'to', /on or after from/],
      [{ to: '2028-12-01' }, 'to', /at most 400 days/],
      [{ destination: 'FRA' }, 'destination', /must differ/],
      [{ from: '2026-02-30' }, 'from', /not a calendar date/],
      [{ origin: 'XYZ' }, 'origin', /XYZ is not an airport the workbench knows/],
      [{ name: ' ' }, 'name', /name the influence/],
      [{ cabin: 'JY' }, 'cabin', /one-letter cabin code/],
    ];
    for (const [change, field, message] of cases) {
      const e = await refusal(call()('influences.save', { ...base, ...change } as never));
      expect(e, JSON.stringify(change)).toBeInstanceOf(ApiError);
      const text = [(e as ApiError).message, ...((e as ApiError).issues ?? []).map((i) => `${i.field}: ${i.message}`)].join(' | ');
      expect((e as ApiError).field ?? (e as ApiError).issues?.[0]?.field, text).toBe(field);
      expect(text).toMatch(message);
    }
    expect((await refusal(call()('influences.save', { ...base, id: 99 })))?.code).toBe('not_found');
    expect((await refusal(call()('influences.delete', { id: 99 })))?.code).toBe('not_found');
    expect((await call()('influences.list', { includePast: true })).rows).toEqual([]);
    expect(await call()('audit.search', { entity: 'demand_influence', limit: 10 })).toEqual([]);
  });
});
