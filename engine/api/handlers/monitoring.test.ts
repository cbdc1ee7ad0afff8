import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../backend';
import { fixedClock } from '../../domain/time';
import { inProcessClient, type Caller } from '../dispatch';
import type { Contract } from '../contract/index';
import { seed, FIRST_DAY } from '../../workflow/__tests__/fixtures';
import type { EventMessage } from '../contract/events';

let dir: string;
let backend: Backend;
let events: EventMessage[];
const ann: Caller = { user: 'ann', role: 'analyst' };
const rita: Caller = { user: 'rita', role: 'revenue_manager' };

let freeGb = 100;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-mon-api-'));
  freeGb = 100;
  const diskSpace = () => ({ path: dir, freeBytes: freeGb * 1e9, totalBytes: 200e9 });
  backend = createBackend({ dataDir: dir, clock: fixedClock('2026-11-25T08:00:00Z'), connectors: [], mode: 'sandbox', host: 'test', version: '0', decisions: { expiryIntervalMs: 0, diskSpace } });
  seed(backend.store, 2);
  events = [];
  backend.events.subscribe((m) => events.push(m));
});
afterEach(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const as = (c: Caller) => inProcessClient<Contract>(backend.dispatcher, c);

describe('monitoring API', () => {
  it('serves KPIs, alerts with acknowledge (as events), thresholds by role, override impact and elasticities', async () => {
    backend.store.db.prepare(`INSERT INTO bookings (id, record_locator, flight_id, rbd, cabin, journey_origin, journey_destination, point_of_sale, channel, passengers, amount_minor, currency, booked_at, status)
      VALUES ('b1', 'R1', 'DF400/2026-12-01/FRA', 'Q', 'Y', 'FRA', 'JFK', 'DE', 'direct', 2, 80000, 'EUR', '2026-11-20T10:00:00Z', 'booked')`).run();
    const k = await as(ann)('monitoring.kpis', { dateFrom: FIRST_DAY, dateTo: FIRST_DAY, origin: 'FRA', destination: 'JFK' });
    expect(k.rows.map((r) => [r.scope, r.passengers, r.revenueMinor, r.currency])).toEqual([['market', 2, 80_000, 'EUR'], ['network', 2, 80_000, 'EUR']]);
    const env = await backend.dispatcher.call('monitoring.kpis', { dateFrom: '2026-12-02', dateTo: FIRST_DAY }, { caller: ann, transport: 'http' });
    expect(env).toMatchObject({ ok: false, error: { code: 'validation', field: 'dateTo' } });

    backend.store.db.prepare(`INSERT INTO competitor_fares (carrier, origin, destination, departure_date, cabin, amount_minor, currency, observed_at)
      VALUES ('XX', 'FRA', 'JFK', ?, 'Y', 30000, 'EUR', '2026-11-24T00:00:00Z')`).run(FIRST_DAY);
    expect(await as(ann)('monitoring.checkAlerts', {})).toEqual({ raised: 1, resolved: 0 });
    expect(events.find((e) => e.name === 'alert.raised')).toMatchObject({ payload: { kind: 'competitor_undercut', status: 'open' } });
    const open = await as(ann)('monitoring.alerts', { status: 'open' });
    expect(open).toMatchObject({ total: 1, open: 1 });
    expect(await as(ann)('monitoring.acknowledgeAlerts', { ids: [open.rows[0]!.id], note: 'known sale' })).toEqual({ acknowledged: 1 });
    expect(await as(ann)('monitoring.alerts', { status: 'acknowledged' })).toMatchObject({ total: 1, open: 0, rows: [{ acknowledgedBy: 'ann' }] });

    expect(await as(ann)('monitoring.thresholds', {})).toEqual({ feedStaleMinutes: 180, competitorUndercutPct: 10, largeMovePct: 25, forecastWapePct: 35, diskFreeMinGb: 10 });
    expect(await backend.dispatcher.call('monitoring.setThresholds', { largeMovePct: 15 }, { caller: ann, transport: 'ipc' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await as(rita)('monitoring.setThresholds', { largeMovePct: 15 })).toMatchObject({ largeMovePct: 15 });

    // the data folder's disk running short is checked with the rest, and cleared when space is back
    freeGb = 4;
    expect(await as(ann)('monitoring.checkAlerts', {})).toEqual({ raised: 2, resolved: 0 }); // the undercut is still there
    expect(await as(ann)('monitoring.alerts', { status: 'open', kind: 'disk_low' })).toMatchObject({ total: 1, rows: [{ kind: 'disk_low', severity: 'warning', subject: dir }] });
    expect(await as(rita)('monitoring.setThresholds', { diskFreeMinGb: 3 })).toMatchObject({ diskFreeMinGb: 3 });
    expect(await as(ann)('monitoring.checkAlerts', {})).toEqual({ raised: 1, resolved: 1 });
    expect(await backend.dispatcher.call('monitoring.setThresholds', { diskFreeMinGb: -1 }, { caller: rita, transport: 'http' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'diskFreeMinGb' } });
    // and after every feed run, without anyone asking
    freeGb = 0.5;
    backend.events.emit('feed.run', { feed: 'pss', status: 'failed' } as never);
    expect(await as(ann)('monitoring.alerts', { status: 'open', kind: 'disk_low' })).toMatchObject({ total: 1, rows: [{ severity: 'critical', message: expect.stringMatching(/has 0\.5 GB free of 200 GB \(threshold 3 GB\)/) }] });

    expect(await as(ann)('monitoring.overrideImpact', {})).toEqual({ rows: [], totals: [] });
    expect(await as(ann)('monitoring.elasticities', { origin: 'FRA', destination: 'JFK', cabin: 'Y' })).toEqual([expect.objectContaining({ source: 'default', elasticity: -1.5, standardError: 1 })]);
    expect(await as(ann)('monitoring.reestimateElasticities', {})).toEqual([]);
  });
});
