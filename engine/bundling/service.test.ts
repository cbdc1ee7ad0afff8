/**
 * The bundling service over a real store filled by the ETL writers: estimates from the stored booking
 * history, settings with field-named errors, the default catalogue converted at dated rates, brand prices
 * per market from the fares filed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/db';
import { fixedClock } from '../domain/time';
import type { Airport, Fare } from '../domain/types';
import type { FeedRecordKind, FeedRecordKinds } from '../ports/records';
import { WRITERS } from '../etl/writers/index';
import { syntheticHistory } from './synthetic-history';
import { estimateAncillaries } from './estimation';
import { defaultCatalogue } from './catalogue';
import { BundlingService, convertCatalogue, loadBundlingSettings, SettingError } from './service';

const NOW = '2026-02-20T10:00:00.000Z';
const history = syntheticHistory({
  seed: 5, days: 90, bookingsPerFlight: 5, businessShare: 0.3, startDate: '2025-10-01', priceMultipliers: [0.8, 1, 1.25],
  items: [
    { code: 'BAG1', basePriceMinor: 3000, wtp: { business: { meanMinor: 3800, scaleMinor: 900 }, leisure: { meanMinor: 2600, scaleMinor: 700 } } },
    { code: 'SEAT_STD', basePriceMinor: 800, wtp: { business: { meanMinor: 1100, scaleMinor: 400 }, leisure: { meanMinor: 500, scaleMinor: 300 } } },
  ],
});
const LON: Airport = { code: 'LCY', name: 'London City', timeZone: 'Europe/London', lat: 51.5053, lon: 0.0553, country: 'GB' };

function write<K extends FeedRecordKind>(store: Store, kind: K, items: FeedRecordKinds[K][]): void {
  const w = WRITERS[kind].prepare(store.db, () => store.now());
  store.db.transaction(() => { for (const i of items) w.write(i); })();
}

const fare = (origin: string, destination: string, rbd: string, pointOfSale: string, currency: string, amountMinor: number): Fare => ({
  carrier: 'DF', origin, destination, rbd, cabin: 'Y', fareBasis: `${rbd}OW${pointOfSale}`, pointOfSale, currency, amountMinor, validFrom: '2026-01-01', validTo: '2026-12-31',
});

let dir: string;
let store: Store;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-bundling-svc-'));
  store = openStore({ dataDir: dir, clock: fixedClock(NOW) });
  write(store, 'carriers', [{ code: 'DF', name: 'Demo Flights', own: true }]);
  write(store, 'airports', [...history.airports, LON]);
  write(store, 'rbds', history.ladder);
  write(store, 'flights', history.legs);
  write(store, 'bookings', history.bookings);
  write(store, 'fares', [
    fare('FRA', 'LHR', 'V', 'DE', 'EUR', 9900), fare('FRA', 'LHR', 'Q', 'DE', 'EUR', 12900), fare('FRA', 'LHR', 'V', 'GB', 'GBP', 8900),
    fare('LHR', 'FRA', 'V', 'GB', 'GBP', 8500), fare('LHR', 'FRA', 'V', 'DE', 'EUR', 9500),
    fare('FRA', 'JFK', 'V', 'DE', 'EUR', 39900), fare('LCY', 'JFK', 'V', 'GB', 'GBP', 45000),
  ]);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const setSetting = (key: string, value: unknown) => store.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
  .run(key, typeof value === 'string' ? value : JSON.stringify(value), new Date().toISOString());

describe('bundling service', () => {
  it('estimates from the stored booking history as from the bookings themselves, within the window', () => {
    const s = new BundlingService({ store, estimationWindowDays: 365 });
    const snap = s.estimates();
    const direct = estimateAncillaries({ bookings: history.bookings, legs: history.legs, airports: history.airports, ladder: history.ladder });
    expect(snap.bookingsRead).toBe(history.bookings.length);
    expect(snap.estimates.used).toEqual(direct.used);
    expect(snap.estimates.items.map((i) => [i.segment, i.code, i.passengers, i.buyers, i.attachRate.shrunk])).toEqual(direct.items.map((i) => [i.segment, i.code, i.passengers, i.buyers, i.attachRate.shrunk]));
    const view = s.estimatesView({ currency: 'EUR', segment: 'all', code: 'BAG1' });
    expect(view.items).toHaveLength(1);
    expect(view.items[0]!.wtp?.source).toBe('price_response');
    // bookings made more than 120 days ago are left out
    const recent = new BundlingService({ store, estimationWindowDays: 120 }).estimates();
    const cutoff = '2025-10-23';
    expect(recent.bookingsRead).toBe(history.bookings.filter((b) => b.bookedAt >= cutoff).length);
    expect(recent.bookingsRead).toBeLessThan(history.bookings.length);
    // at most maxBookings segments, the most recent
    const few = new BundlingService({ store, maxBookings: 100 }).estimates();
    const newest = [...history.bookings].sort((a, b) => b.bookedAt.localeCompare(a.bookedAt)).slice(0, 100);
    expect(few).toMatchObject({ bookingsRead: 100, capped: true, estimates: { used: { bookings: 100, passengers: newest.reduce((x, b) => x + b.passengers, 0) } } });
    expect(snap.capped).toBe(false);
  });

  it('recomputes the estimates only when the bookings change', () => {
    const s = new BundlingService({ store });
    const first = s.estimates();
    expect(s.estimates()).toBe(first);
    store.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('offers.settings', '{}', 'x')").run();
    expect(s.estimates()).toBe(first);
    write(store, 'bookings', [{ ...history.bookings[0]!, id: 'NEW-1', recordLocator: 'NEW', bookedAt: '2026-02-19T10:00:00.000Z' }]);
    const second = s.estimates();
    expect(second).not.toBe(first);
    expect(second.bookingsRead).toBe(first.bookingsRead + 1);
  });

  it('keeps a booking whose ancillaries are not JSON out of the estimates and lists it', () => {
    store.db.prepare("UPDATE bookings SET ancillaries = '{oops' WHERE id = ?").run(history.bookings[0]!.id);
    const snap = new BundlingService({ store }).estimates();
    expect(snap.estimates.quarantined[0]).toEqual({ bookingId: history.bookings[0]!.id, field: 'ancillaries', reason: expect.stringContaining('not a JSON array') });
    expect(snap.estimates.used.bookings).toBe(history.bookings.length - 1);
  });

  it('reads settings, names the key and field of a bad one, and notices a change', () => {
    const s = new BundlingService({ store });
    expect(s.settings().sources['bundles.rules']).toBe('default');
    setSetting('bundles.rules', { minBundleDiscountMinor: 100, minStepMinor: 1000, maxStepMinor: 30000 });
    expect(s.settings()).toMatchObject({ rules: { minBundleDiscountMinor: 100 }, sources: { 'bundles.rules': 'settings' } });
    setSetting('bundles.rules', { minBundleDiscountMinor: 100, minStepMinor: 5000, maxStepMinor: 1000 });
    expect(() => s.settings()).toThrow(SettingError);
    expect(() => s.settings()).toThrow('setting bundles.rules.maxStepMinor: minStepMinor exceeds maxStepMinor');
    setSetting('bundles.brands', '[not json');
    expect(() => loadBundlingSettings(store.db, '2026-02-20')).toThrow(/setting bundles.brands: not JSON/);
  });

  it('converts the default catalogue into the currencies fares are filed in, on price points, naming those without a rate', () => {
    const rates = [{ base: 'EUR', quote: 'GBP', date: '2026-02-01', rate: 0.8571 }, { base: 'EUR', quote: 'HUF', date: '2026-02-10', rate: 395.2 }, { base: 'EUR', quote: 'GBP', date: '2026-03-01', rate: 2 }];
    const { catalogue, notes } = convertCatalogue(defaultCatalogue(), ['EUR', 'GBP', 'HUF', 'SGD'], rates, '2026-02-20');
    const bag = (currency: string) => catalogue.prices.filter((p) => p.code === 'BAG1' && p.currency === currency).map((p) => p.amountMinor);
    expect(bag('EUR')).toEqual([3000, 4500, 7000]);
    expect(bag('GBP')).toEqual([2600, 3900, 6000]); // 25.71, 38.57, 60.00 → whole pounds, at the rate of 2026-02-01 (not the later one)
    expect(bag('HUF')).toEqual([1190000, 1780000, 2770000]); // 11,856 HUF → hundreds from 2,000 units
    expect(bag('SGD')).toEqual([]);
    expect(notes.join(' ')).toMatch(/GBP converted from EUR at the rate of 2026-02-01.*no à-la-carte prices in SGD/);
    store.db.prepare('INSERT INTO exchange_rates (base, quote, date, rate, updated_at) VALUES (?, ?, ?, ?, ?)').run('EUR', 'GBP', '2026-02-01', 0.8571, NOW);
    expect(loadBundlingSettings(store.db, '2026-02-20').catalogue.prices.some((p) => p.currency === 'GBP')).toBe(true);
  });

  it('prices brands per market from its lowest fare at the origin country\'s point of sale; a currency without prices says why', () => {
    const s = new BundlingService({ store });
    const all = s.marketBrands({ cabin: 'Y', limit: 50, offset: 0 });
    expect(all.rows.map((r) => `${r.origin}-${r.destination}/${r.pointOfSale}`)).toEqual(['FRA-JFK/DE', 'FRA-LHR/DE', 'LCY-JFK/GB', 'LHR-FRA/GB']);
    const lhr = all.rows.find((r) => r.destination === 'LHR')!;
    expect(lhr).toMatchObject({ currency: 'EUR', haul: 'short', segmentsPerJourney: 1, fare: { amountMinor: 9900, rbd: 'V', source: 'lowest_filed' } });
    expect(lhr.brands.map((b) => b.code)).toEqual(['LIGHT', 'CLASSIC', 'FLEX']);
    expect(lhr.expected.revenuePerPax).toBeGreaterThan(lhr.expected.baselinePerPax - lhr.expected.cannibalisedPerPax);
    expect(all.rows.find((r) => r.origin === 'LCY')!).toMatchObject({ segmentsPerJourney: 2, haul: 'long', brands: [], error: expect.stringContaining('no brand prices satisfy the rules') });
    expect(s.marketBrands({ cabin: 'Y', pointOfSale: 'GB', origin: 'FRA', limit: 50, offset: 0 }).rows.map((r) => r.currency)).toEqual(['GBP']);
    expect(s.marketBrands({ cabin: 'Y', limit: 1, offset: 2 })).toMatchObject({ total: 4, rows: [{ origin: 'LCY' }] });
    const given = s.marketBrands({ cabin: 'Y', origin: 'FRA', destination: 'JFK', fareMinor: 50_000, channel: 'direct', limit: 5, offset: 0 }).rows[0]!;
    expect(given).toMatchObject({ fare: { amountMinor: 50_000, source: 'given' }, channel: 'direct', haul: 'long' });
    expect(given.brands[0]!.priceMinor).toBe(50_000);
  });
});
