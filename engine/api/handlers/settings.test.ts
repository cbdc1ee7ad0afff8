import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../backend';
import { fixedClock } from '../../domain/time';
import { inProcessClient, type Caller } from '../dispatch';
import type { Contract } from '../contract/index';
import { Secret, type SecretStore } from '../../ports/secrets';
import type { Fare } from '../../domain/types';
import { fareRec, seed, FIRST_DAY } from '../../workflow/__tests__/fixtures';
import { loadPricingSettings, loadSchedules, minFareChangeFor, pricingGuardrailsFor, CONFIG_FILE } from './settings';
import { DEFAULT_MARKET_SETTINGS, DEFAULT_OVERBOOKING } from '../../pricing/cycle';
import { failure } from '../__tests__/calls';

/** A SecretStore over a Map (the hosts' stores are tested in electron/secrets). */
function mapSecretStore(): SecretStore & { map: Map<string, Secret> } {
  const map = new Map<string, Secret>();
  return {
    map,
    description: 'test secrets (memory)',
    get: async (n) => map.get(n),
    set: async (n, v) => { map.set(n, v); },
    delete: async (n) => map.delete(n),
    listNames: async () => [...map.keys()].sort(),
  };
}

let dir: string;
let backend: Backend;
let secrets: ReturnType<typeof mapSecretStore>;
const clock = fixedClock('2026-11-25T08:00:00Z');
const ada: Caller = { user: 'ada', role: 'admin' };
const rita: Caller = { user: 'rita', role: 'revenue_manager' };
const ann: Caller = { user: 'ann', role: 'analyst' };
const as = (c: Caller) => inProcessClient<Contract>(backend.dispatcher, c);

/** DF400 FRA-JFK's fare for FIRST_DAY in an RBD, as a decision payload. */
function farePayload(rbd: string, amountMinor: number): { kind: 'fare'; fare: Fare } {
  const rec = fareRec(400, FIRST_DAY, rbd, amountMinor);
  if (rec.kind !== 'fare') throw new Error('fareRec gives fares');
  return { kind: 'fare', fare: rec.fare };
}

const PSS = { feed: 'pss' as const, baseUrl: 'https://pss.example.com/api', tokenUrl: 'https://pss.example.com/oauth2/token', clientId: 'dfae' };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-settings-'));
  secrets = mapSecretStore();
  backend = createBackend({
    dataDir: dir, clock, connectors: [], mode: 'sandbox', host: 'test', version: '0.0.0-test', secrets,
    decisions: { autoPush: false, scrypt: { N: 2 ** 10, r: 8, p: 1 }, expiryIntervalMs: 0 },
  });
  seed(backend.store, 3);
});
afterEach(async () => {
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('connector settings', () => {
  it('writes endpoints to the data folder configuration and the secret to the secret store, never returning it', async () => {
    const out = await as(ada)('settings.saveConnector', { ...PSS, clientSecret: 's3cret-value-xyz' });
    expect(JSON.stringify(out)).not.toContain('s3cret-value-xyz');
    expect(out.feeds.find((f) => f.feed === 'pss')!.saved).toMatchObject({ baseUrl: PSS.baseUrl, clientId: 'dfae', secretName: 'pss_client_secret', secretStored: true });
    expect(out.configSelects).toBe('feeds');
    const file = JSON.parse(fs.readFileSync(path.join(dir, CONFIG_FILE), 'utf8'));
    expect(file).toEqual({
      airline: { code: 'DF' },
      feeds: { pss: { baseUrl: PSS.baseUrl, auth: { tokenUrl: PSS.tokenUrl, clientId: 'dfae', clientSecret: { secret: 'pss_client_secret' } } } },
    });
    expect(fs.readFileSync(path.join(dir, CONFIG_FILE), 'utf8')).not.toContain('s3cret');
    expect(secrets.map.get('pss_client_secret')!.reveal()).toBe('s3cret-value-xyz');
    // a later save without the secret keeps the stored one
    await as(ada)('settings.saveConnector', { ...PSS, clientId: 'dfae2' });
    expect(secrets.map.get('pss_client_secret')!.reveal()).toBe('s3cret-value-xyz');
    const audit = await as(ada)('audit.search', { text: 'connector pss' });
    expect(audit[0]).toMatchObject({ actor: 'ada', entity: 'rule', entityId: 'connector:pss' });
    expect(JSON.stringify(audit)).not.toContain('s3cret');
  });

  it('refuses what the configuration cannot hold, naming the field; only admins change connectors', async () => {
    expect((await failure(as(ada)('settings.saveConnector', PSS))).field).toBe('clientSecret');
    expect((await failure(as(ada)('settings.saveConnector', { ...PSS, clientSecret: 'abcdefgh', dropFolder: '/tmp/x' }))).field).toBe('dropFolder');
    expect((await failure(as(ada)('settings.saveConnector', { ...PSS, baseUrl: 'http://pss.example.com', clientSecret: 'abcdefgh' }))).field).toBe('baseUrl');
    expect((await failure(as(rita)('settings.saveConnector', { ...PSS, clientSecret: 'abcdefgh' }))).code).toBe('forbidden');
    expect(fs.existsSync(path.join(dir, CONFIG_FILE))).toBe(false);
  });

  it('switching to the sandbox sets the feeds aside; configuring a feed again brings them back', async () => {
    await as(ada)('settings.saveConnector', { ...PSS, clientSecret: 'abcdefgh' });
    const sb = await as(ada)('settings.useSandbox', { seed: 7 });
    expect(sb.configSelects).toBe('sandbox');
    expect(JSON.parse(fs.readFileSync(path.join(dir, CONFIG_FILE), 'utf8'))).toEqual({ airline: { code: 'DF' }, sandbox: { seed: 7 } });
    const back = await as(ada)('settings.saveConnector', { feed: 'pros', baseUrl: 'https://pros.example.com', tokenUrl: 'https://pros.example.com/token', clientId: 'p', clientSecret: 'abcdefgh', dropFolder: '/srv/pros' });
    expect(back.configSelects).toBe('feeds');
    const file = JSON.parse(fs.readFileSync(path.join(dir, CONFIG_FILE), 'utf8'));
    expect(Object.keys(file.feeds).sort()).toEqual(['pros', 'pss']);
    expect(file.feeds.pros.dropFolder).toEqual({ path: '/srv/pros' });
    expect(file.sandbox).toBeUndefined();
  });

  it('never overwrites a configuration file it cannot read', async () => {
    fs.writeFileSync(path.join(dir, CONFIG_FILE), '{ not json');
    const e = await failure(as(ada)('settings.saveConnector', { ...PSS, clientSecret: 'abcdefgh' }));
    expect(e.code).toBe('conflict');
    expect(fs.readFileSync(path.join(dir, CONFIG_FILE), 'utf8')).toBe('{ not json');
    expect((await as(ann)('settings.connectors', {})).configSelects).toBe('unreadable');
  });
});

describe('headless schedules', () => {
  it('checks the cron expression and time zone and gives the next runs from the injected clock', async () => {
    expect((await failure(as(rita)('settings.saveSchedule', { name: 'x', cron: 'every morning', timeZone: 'UTC', steps: { sync: true, price: true, autoApprove: true, push: true } }))).field).toBe('cron');
    expect((await failure(as(rita)('settings.saveSchedule', { name: 'x', cron: '0 5 * * *', timeZone: 'Mars/Olympus', steps: { sync: true, price: true, autoApprove: true, push: true } }))).field).toBe('timeZone');
    expect((await failure(as(rita)('settings.saveSchedule', { name: 'x', cron: '0 5 * * *', timeZone: 'UTC', steps: { sync: false, price: false, autoApprove: false, push: false } }))).field).toBe('steps.sync');
    const s = await as(rita)('settings.saveSchedule', { name: 'Morning cycle', cron: '30 5 * * *', timeZone: 'Europe/London', steps: { sync: true, price: true, autoApprove: true, push: false }, markets: ['FRA-JFK'] });
    expect(s).toMatchObject({ id: 1, updatedBy: 'rita', nextRuns: ['2026-11-26T05:30:00.000Z', '2026-11-27T05:30:00.000Z', '2026-11-28T05:30:00.000Z'] });
    const ny = await as(rita)('settings.saveSchedule', { id: 1, name: 'Morning cycle', cron: '30 5 * * *', timeZone: 'America/New_York', steps: { sync: true, price: true, autoApprove: true, push: true } });
    expect(ny.nextRuns[0]).toBe('2026-11-25T10:30:00.000Z');
    expect(loadSchedules(backend.store.db, clock.now())).toHaveLength(1);
    expect((await failure(as(ann)('settings.deleteSchedule', { id: 1 }))).code).toBe('forbidden');
    expect(await as(rita)('settings.deleteSchedule', { id: 1 })).toEqual({ deleted: true });
    expect(await as(ann)('settings.schedules', {})).toEqual([]);
  });
});

describe('retention settings', () => {
  it('defaults to 30 days of audit rows and of ended decisions, 400 after a departure; an admin changes them, audited, and a bad age is named', async () => {
    expect(await as(ann)('settings.retention', {})).toEqual({ auditDays: 30, decisionsDays: 30, departedDays: 400 });
    expect((await failure(as(rita)('settings.saveRetention', { auditDays: 10, decisionsDays: 10, departedDays: 400 }))).code).toBe('forbidden');
    expect((await failure(as(ada)('settings.saveRetention', { auditDays: -1, decisionsDays: 10, departedDays: 400 }))).field).toBe('auditDays');
    const short = await failure(as(ada)('settings.saveRetention', { auditDays: 10, decisionsDays: 10, departedDays: 90 }));
    expect(short.field).toBe('departedDays');
    expect(short.message).toMatch(/0 \(keep all\) or at least 180 days/);
    expect(await as(ada)('settings.saveRetention', { auditDays: 365, decisionsDays: 0, departedDays: 730, reason: 'the regulator asks for a year' })).toEqual({ auditDays: 365, decisionsDays: 0, departedDays: 730 });
    expect(await as(ann)('settings.retention', {})).toEqual({ auditDays: 365, decisionsDays: 0, departedDays: 730 });
    const row = backend.store.db.prepare("SELECT actor, reason FROM audit_log WHERE entity = 'rule' AND entity_id = 'retention'").get();
    expect(row).toEqual({ actor: 'ada', reason: "retention: audit rows 365 days, ended or replaced decisions kept, departed flights' decisions 730 days: the regulator asks for a year" });
  });
});

describe('pricing settings', () => {
  it('keeps guardrails and strategies per market in the pricing cycle\'s terms', async () => {
    expect((await failure(as(rita)('settings.savePricing', { origin: null, destination: null, currency: 'EUR', guardrails: { Y: { floorMinor: 1, ceilingMinor: 2 } } }))).field).toBe('guardrails');
    expect((await failure(as(rita)('settings.savePricing', { origin: 'FRA', destination: 'JFK', currency: 'USD', guardrails: { Y: { floorMinor: 1, ceilingMinor: 2 } } }))).field).toBe('currency');
    expect((await failure(as(rita)('settings.savePricing', { origin: 'FRA', destination: 'JFK', currency: 'EUR', guardrails: { Y: { floorMinor: 5, ceilingMinor: 2 } } }))).field).toBe('guardrails.Y.ceilingMinor');
    expect((await failure(as(rita)('settings.savePricing', { origin: 'FRA', destination: 'JFK', competitor: { kind: 'undercut', reference: 'min' } }))).field).toBe('competitor.pct');
    await as(rita)('settings.savePricing', { origin: null, destination: null, maxChangePct: 15, competitor: { kind: 'match', reference: 'min' } });
    await as(rita)('settings.savePricing', {
      origin: 'FRA', destination: 'JFK', currency: 'EUR', maxChangePct: 10, competitor: { kind: 'undercut', reference: 'quartile-band', pct: 3 },
      guardrails: { Y: { floorMinor: 30_000, ceilingMinor: 120_000 } }, pricePoints: { step: 100, ending: 99 }, reason: 'season opening',
    });
    expect(loadPricingSettings(backend.store.db)).toEqual({
      defaults: { maxChangePct: 15, competitor: { kind: 'match', reference: 'min' } },
      markets: { 'FRA-JFK': { maxChangePct: 10, competitor: { kind: 'undercut', reference: 'quartile-band', pct: 3 }, guardrails: { Y: { floorMinor: 30_000, ceilingMinor: 120_000 } }, pricePoints: { step: 100, ending: 99 } } },
    });
    // a market with fares we fly no leg of: a rival's flight and our codeshare on it count for nothing
    const db = backend.store.db;
    db.prepare(`INSERT INTO fares (carrier, origin, destination, rbd, cabin, fare_basis, point_of_sale, currency, amount_minor, valid_from, valid_to, source, updated_at)
      VALUES ('DF', 'CDG', 'JFK', 'Y', 'Y', 'YCONX', 'FR', 'EUR', 90000, '2026-01-01', '2099-12-31', 'pss', '2026-01-01T00:00:00.000Z')`).run();
    const flight = db.prepare(`INSERT INTO flights (id, carrier, flight_number, origin, destination, local_date, departure_utc, arrival_utc, operating_carrier, operating_flight_number, updated_at)
      VALUES (?, ?, ?, 'CDG', 'JFK', '2026-12-01', '2026-12-01T10:00:00.000Z', '2026-12-01T18:00:00.000Z', ?, ?, '2026-01-01T00:00:00.000Z')`);
    flight.run('XX20/2026-12-01/CDG', 'XX', 20, null, null);
    flight.run('DF9020/2026-12-01/CDG', 'DF', 9020, 'XX', 20);
    const listed = await as(ann)('settings.pricing', {});
    expect(listed.knownMarkets).toEqual([
      { origin: 'CDG', destination: 'JFK', currency: 'EUR', cabins: ['Y'], departures: 0 },
      { origin: 'FRA', destination: 'CDG', currency: 'EUR', cabins: ['J', 'Y'], departures: 3 },
      { origin: 'FRA', destination: 'JFK', currency: 'EUR', cabins: ['J', 'Y'], departures: 3 },
    ]);
    expect(listed.markets[0]).toMatchObject({ origin: 'FRA', destination: 'JFK', updatedBy: 'rita', maxChangePct: 10 });
    // what the engine uses where the defaults leave a field unset (the screen shows it instead of "inherit")
    expect(listed.engine).toEqual({
      pricingMode: DEFAULT_MARKET_SETTINGS.pricingMode, competitor: DEFAULT_MARKET_SETTINGS.competitor, maxChangePct: DEFAULT_MARKET_SETTINGS.maxChangePct, minChangePct: 0,
      pricePoints: DEFAULT_MARKET_SETTINGS.pricePoints, overbookingMaxPct: DEFAULT_OVERBOOKING.maxPct, deniedBoardingCostMinor: DEFAULT_OVERBOOKING.deniedBoardingCostMinor,
    });
    const g = pricingGuardrailsFor(backend.store.db);
    expect(g(farePayload('Q', 40_000))).toEqual({ floor: 30_000, ceiling: 120_000, maxChangePct: 10 });
    expect(g(farePayload('C', 180_000))).toEqual({ floor: null, ceiling: null, maxChangePct: 10 });
    expect(g({ kind: 'fare', fare: { ...farePayload('Q', 40_000).fare, currency: 'USD' } })).toEqual({ floor: null, ceiling: null, maxChangePct: 10 });
    expect(await as(rita)('settings.deletePricing', { origin: 'FRA', destination: 'JFK' })).toEqual({ deleted: true });
    expect(g(farePayload('Q', 40_000))).toEqual({ floor: null, ceiling: null, maxChangePct: 15 });
  });

  it('keeps the smallest fare change worth filing per market, inheriting the defaults\', else every change', async () => {
    expect(minFareChangeFor(backend.store.db)('FRA', 'JFK')).toBe(0);
    expect((await failure(as(rita)('settings.savePricing', { origin: null, destination: null, minChangePct: 25 }))).field).toBe('minChangePct');
    expect((await failure(as(rita)('settings.savePricing', { origin: null, destination: null, maxChangePct: 2, minChangePct: 3 }))).field).toBe('minChangePct');
    await as(rita)('settings.savePricing', { origin: null, destination: null, minChangePct: 1 });
    await as(rita)('settings.savePricing', { origin: 'FRA', destination: 'JFK', minChangePct: 2.5 });
    await as(rita)('settings.savePricing', { origin: 'FRA', destination: 'CDG', maxChangePct: 10 });
    const min = minFareChangeFor(backend.store.db);
    expect([min('FRA', 'JFK'), min('FRA', 'CDG'), min('CDG', 'FRA')]).toEqual([2.5, 1, 1]);
    expect((await as(ann)('settings.pricing', {})).defaults).toMatchObject({ minChangePct: 1, maxChangePct: null });
  });

  it('sets overbooking per market and as defaults, each field inherited on its own, 0 % turning it off', async () => {
    expect((await failure(as(rita)('settings.savePricing', { origin: null, destination: null, overbookingMaxPct: 80 }))).field).toBe('overbookingMaxPct');
    expect((await failure(as(rita)('settings.savePricing', { origin: null, destination: null, deniedBoardingCostMinor: -1 }))).field).toBe('deniedBoardingCostMinor');
    await as(rita)('settings.savePricing', { origin: null, destination: null, overbookingMaxPct: 6 });
    await as(rita)('settings.savePricing', { origin: 'FRA', destination: 'JFK', currency: 'EUR', deniedBoardingCostMinor: 60_000 });
    await as(rita)('settings.savePricing', { origin: 'FRA', destination: 'CDG', currency: 'EUR', overbookingMaxPct: 0 });
    const p = loadPricingSettings(backend.store.db);
    expect(p.defaults.overbooking).toEqual({ maxPct: 6, deniedBoardingCostMinor: 40_000 });
    expect(p.markets['FRA-JFK']!.overbooking).toEqual({ maxPct: 6, deniedBoardingCostMinor: 60_000 });
    expect(p.markets['FRA-CDG']!.overbooking).toBeNull();
    const listed = await as(ann)('settings.pricing', {});
    expect(listed.defaults).toMatchObject({ overbookingMaxPct: 6, deniedBoardingCostMinor: null });
    expect(listed.markets.find((m) => m.destination === 'JFK')).toMatchObject({ overbookingMaxPct: null, deniedBoardingCostMinor: 60_000 });
  });

  it('an override below the market floor needs an explicit confirmation and is marked', async () => {
    await as(rita)('settings.savePricing', { origin: 'FRA', destination: 'JFK', currency: 'EUR', guardrails: { Y: { floorMinor: 35_000, ceilingMinor: null } } });
    const manual = await as(rita)('decisions.propose', { kind: 'fare', fare: farePayload('Q', 41_000).fare, reason: 'opening price' });
    expect(manual.guardrails).toMatchObject({ floor: 35_000 });
    const e = await failure(as(rita)('decisions.override', { id: manual.id, mode: 'replace', value: 30_000, expiresAt: '2026-12-31T00:00:00Z', reason: 'match the rival sale' }));
    expect(e.message).toMatch(/guardrail|floor/i);
    const ok = await as(rita)('decisions.override', { id: manual.id, mode: 'replace', value: 30_000, expiresAt: '2026-12-31T00:00:00Z', reason: 'match the rival sale', confirmOutsideGuardrails: true });
    expect(ok).toMatchObject({ outsideGuardrails: true, guardrailConfirmedBy: 'rita', proposedValue: 30_000 });
  });
});
