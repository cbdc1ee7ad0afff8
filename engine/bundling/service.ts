/**
 * The bundling engine over the store: the catalogue and brand rules in force (settings, else the product's
 * defaults), attach rates and WTP estimated from the booking history the PSS feed brought, and the brand
 * prices of each market the airline files fares in, with their expected revenue and explanation.
 *
 * Settings (the store's `settings` table, JSON values; absent means the default, invalid is an error
 * naming the key and field, never silently replaced):
 * - `bundles.catalogue`     AncillaryCatalogue (definitions and à-la-carte price rules); the default
 *                           catalogue (EUR and USD) is converted into the other currencies the airline
 *                           files fares in at the dated rates the pricing-tools feed brought
 * - `bundles.dynamicRules`  DynamicAncillaryRule[] (load factor and time-to-departure moves, guardrails)
 * - `bundles.brands`        BrandDefinition[] from the base brand up (default Light / Classic / Flex)
 * - `bundles.rules`         BrandRules (bundle below parts, step bounds)
 * - `bundles.grid`          PriceGrid (price-point step and range of the brand-price search)
 *
 * Everything read from the store is cached and rebuilt when the store's data change (a finished feed run,
 * new bookings, a settings change), so the API and the offer assembler share one estimate.
 */
import { z } from 'zod';
import type { Store } from '../store/db';
import { currencyExponent, roundToPricePoint, type CurrencyCode } from '../domain/money';
import { addDays } from '../domain/time';
import { ExchangeRates, type ExchangeRate } from '../pricing/competitor';
import type { Booking, FlightLeg, RbdDefinition, Airport } from '../domain/types';
import { ANCILLARY_CODES, defaultCatalogue, parseCatalogue, type AncillaryCatalogue, type AncillaryCode } from './catalogue';
import { DEFAULT_DYNAMIC_RULES, DynamicAncillaryRuleSchema, type DynamicAncillaryRule } from './dynamic-prices';
import { DEFAULT_BRANDS, DEFAULT_BRAND_RULES, DEFAULT_PRICE_GRID, optimiseBrandedFares, type BrandPrice, type BrandRules, type PriceGrid } from './branded-fares';
import { buildBrandProblem, type BrandProblem } from './brand-problem';
import type { BrandDefinition, ChoiceOutcome } from './choice';
import { estimateAncillaries, type AncillaryEstimates, type ItemEstimate, type SegmentStat } from './estimation';
import { DEFAULT_HAUL_BANDS, marketHaul, type HaulBand, type HaulBands } from './haul';

export const BUNDLING_SETTING_KEYS = ['bundles.catalogue', 'bundles.dynamicRules', 'bundles.brands', 'bundles.rules', 'bundles.grid'] as const;
export type BundlingSettingKey = (typeof BUNDLING_SETTING_KEYS)[number];

const code = z.enum(ANCILLARY_CODES);
const BrandsSchema = z.array(z.strictObject({
  code: z.string().regex(/^[A-Z0-9_]{1,16}$/, 'expected an upper-case brand code, e.g. "CLASSIC"'),
  name: z.string().min(1).max(40),
  includes: z.array(code),
})).min(2, 'at least a base brand and one bundle');
const RulesSchema = z.strictObject({
  minBundleDiscountMinor: z.number().int().min(0),
  minStepMinor: z.number().int().min(0),
  maxStepMinor: z.number().int().min(0),
  minStepFractionOfFare: z.number().min(0).max(10).optional(),
  maxStepFractionOfFare: z.number().min(0).max(10).optional(),
}).refine((r) => r.minStepMinor <= r.maxStepMinor, { message: 'minStepMinor exceeds maxStepMinor', path: ['maxStepMinor'] });
const GridSchema = z.strictObject({ stepMinor: z.number().int().positive(), maxFactor: z.number().positive().max(10) });

/** A stored setting that cannot be used: the key, the field and what is wrong. */
export class SettingError extends Error {
  constructor(readonly key: string, readonly field: string, message: string) {
    super(`setting ${key}${field ? `.${field}` : ''}: ${message}; fix or delete the setting`);
    this.name = 'SettingError';
  }
}

/** Reads one JSON setting and checks it; undefined when absent. */
export function readSetting<T>(db: Store['db'], key: string, parse: (v: unknown) => T): T | undefined {
  const raw = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  if (raw === undefined) return undefined;
  let json: unknown;
  try { json = JSON.parse(raw); } catch (e) { throw new SettingError(key, '', `not JSON (${(e as Error).message})`); }
  try {
    return parse(json);
  } catch (e) {
    if (e instanceof z.ZodError) {
      const i = e.issues[0]!;
      throw new SettingError(key, i.path.join('.'), i.message);
    }
    throw new SettingError(key, '', (e as Error).message);
  }
}

export interface BundlingSettings {
  catalogue: AncillaryCatalogue;
  dynamicRules: DynamicAncillaryRule[];
  brands: BrandDefinition[];
  rules: BrandRules;
  grid: PriceGrid;
  haulBands: HaulBands;
  /** where each came from */
  sources: Record<BundlingSettingKey, 'settings' | 'default'>;
  notes: string[];
}

/** The latest rate of each currency pair dated on or before `date`. */
export function loadLatestRates(db: Store['db'], date: string): ExchangeRate[] {
  return db.prepare('SELECT base, quote, max(date) AS date, rate FROM exchange_rates WHERE date <= ? GROUP BY base, quote').all(date) as ExchangeRate[];
}

/** A converted price on the currency's price points: whole units, tens from 200 units, hundreds from 2,000. */
function pricePoint(amountMinor: number, currency: CurrencyCode): number {
  const unit = 10 ** currencyExponent(currency);
  const major = amountMinor / unit;
  const step = unit * (major >= 2000 ? 100 : major >= 200 ? 10 : 1);
  return roundToPricePoint(Math.round(amountMinor), step);
}

/**
 * The catalogue with its price rules copied into each currency it has no price in, converted from the
 * first currency with a rate on `date`; the currencies without any rate are named in the notes.
 */
export function convertCatalogue(catalogue: AncillaryCatalogue, currencies: readonly CurrencyCode[], rates: readonly ExchangeRate[], date: string): { catalogue: AncillaryCatalogue; notes: string[] } {
  const have = [...new Set(catalogue.prices.map((p) => p.currency))];
  const fx = new ExchangeRates(rates);
  const prices = [...catalogue.prices];
  const notes: string[] = [];
  const missing: string[] = [];
  for (const to of currencies) {
    if (have.includes(to)) continue;
    const from = have.find((c) => fx.rateOn(c, to, date));
    if (!from) { missing.push(to); continue; }
    for (const p of catalogue.prices) {
      if (p.currency === from) prices.push({ ...p, currency: to, amountMinor: pricePoint(fx.convert(p.amountMinor, from, to, date).amountMinor, to) });
    }
    notes.push(`à-la-carte prices in ${to} converted from ${from} at the rate of ${fx.rateOn(from, to, date)!.date}`);
  }
  if (missing.length) notes.push(`no à-la-carte prices in ${missing.join(', ')} (no exchange rate from ${have.join('/')}): those markets sell fare-only brands until the pricing-tools feed brings rates or bundles.catalogue prices them`);
  return { catalogue: { definitions: catalogue.definitions, prices }, notes };
}

export function loadBundlingSettings(db: Store['db'], today: string): BundlingSettings {
  const catalogue = readSetting(db, 'bundles.catalogue', parseCatalogue);
  const dynamicRules = readSetting(db, 'bundles.dynamicRules', (v) => z.array(DynamicAncillaryRuleSchema).parse(v) as DynamicAncillaryRule[]);
  const brands = readSetting(db, 'bundles.brands', (v) => BrandsSchema.parse(v));
  const rules = readSetting(db, 'bundles.rules', (v) => RulesSchema.parse(v));
  const grid = readSetting(db, 'bundles.grid', (v) => GridSchema.parse(v));
  const src = (x: unknown) => (x === undefined ? 'default' as const : 'settings' as const);
  let notes: string[] = [];
  let cat = catalogue;
  if (!cat) {
    const currencies = db.prepare('SELECT DISTINCT currency FROM fares ORDER BY currency').pluck().all() as string[];
    ({ catalogue: cat, notes } = convertCatalogue(defaultCatalogue(), currencies, loadLatestRates(db, today), today));
  }
  return {
    catalogue: cat,
    dynamicRules: dynamicRules ?? DEFAULT_DYNAMIC_RULES.map((r) => structuredClone(r)),
    brands: brands ?? DEFAULT_BRANDS.map((b) => ({ ...b, includes: [...b.includes] })),
    rules: rules ?? { ...DEFAULT_BRAND_RULES },
    grid: grid ?? { ...DEFAULT_PRICE_GRID },
    haulBands: DEFAULT_HAUL_BANDS,
    sources: {
      'bundles.catalogue': src(catalogue), 'bundles.dynamicRules': src(dynamicRules), 'bundles.brands': src(brands),
      'bundles.rules': src(rules), 'bundles.grid': src(grid),
    },
    notes,
  };
}

/**
 * A change marker of the data the engines read: finished feed runs (every sync), the newest booking row
 * (bookings written outside a feed run), the offers and bundles settings. Cheap: three index lookups.
 */
export function dataStamp(db: Store['db']): string {
  const r = db.prepare(`SELECT
      (SELECT coalesce(max(id), 0) FROM feed_runs WHERE finished_at IS NOT NULL) AS runs,
      (SELECT coalesce(max(rowid), 0) FROM bookings) AS bookings,
      (SELECT coalesce(max(updated_at), '') FROM settings WHERE key LIKE 'bundles.%' OR key LIKE 'offers.%') AS settings`).get() as Record<string, number | string>;
  return `${r.runs}/${r.bookings}/${r.settings}`;
}

/** What the estimates depend on: PSS runs (they bring the bookings), the newest booking row, the settings, the day. */
function bookingsStamp(db: Store['db'], today: string): string {
  const r = db.prepare(`SELECT
      (SELECT coalesce(max(id), 0) FROM feed_runs WHERE feed = 'pss' AND finished_at IS NOT NULL) AS runs,
      (SELECT coalesce(max(rowid), 0) FROM bookings) AS bookings,
      (SELECT coalesce(max(updated_at), '') FROM settings WHERE key LIKE 'bundles.%') AS settings`).get() as Record<string, number | string>;
  return `${r.runs}/${r.bookings}/${r.settings}/${today}`;
}

interface BookingRow {
  id: string; record_locator: string; flight_id: string; rbd: string; cabin: string; fare_basis: string | null; journey_origin: string;
  journey_destination: string; point_of_sale: string; channel: string; passengers: number; amount_minor: number; currency: string;
  booked_at: string; status: Booking['status']; status_at: string | null; ancillaries: string;
}

export interface EstimatesSnapshot {
  estimates: AncillaryEstimates;
  /** bookings made on or after this date were read */
  fromDate: string;
  /** the store's booking rows read (one per booked segment) */
  bookingsRead: number;
  /** true when the window held more than maxBookings rows and only the most recent were read */
  capped: boolean;
  computedAt: string;
}

export interface BrandsQuery {
  origin?: string;
  destination?: string;
  cabin: string;
  /** default: the origin's country */
  pointOfSale?: string;
  channel?: string;
  currency?: CurrencyCode;
  /** the base brand's fare; default the lowest fare filed in the market */
  fareMinor?: number;
  limit: number;
  offset: number;
}

export interface MarketBrands {
  origin: string;
  destination: string;
  cabin: string;
  pointOfSale: string;
  channel: string | null;
  currency: CurrencyCode;
  haul: HaulBand;
  distanceKm: number;
  /** 1: non-stop flights exist; 2: sold as a connection */
  segmentsPerJourney: number;
  /** the base (Light) brand's fare the brands step from */
  fare: { amountMinor: number; rbd: string | null; fareBasis: string | null; source: 'lowest_filed' | 'given' };
  brands: BrandPrice[];
  /** per passenger, under the brand prices: shares, revenue, what the brands cannibalise */
  expected: ChoiceOutcome;
  /** the optimum with the rules added one by one (the explanation's rule components are the differences) */
  ruleLevels: { level: number; rule: string; uplifts: number[]; revenuePerPax: number }[];
  alaCarte: { code: AncillaryCode; name: string; journeyPriceMinor: number }[];
  segments: { id: string; weight: number }[];
  choiceScaleMinor: number;
  gridPoints: number;
  evaluated: number;
  notes: string[];
  /** set instead of brands when the rules cannot be met in this market */
  error?: string;
}

export interface EstimatesQuery {
  currency?: CurrencyCode;
  /** a segment id ("business/direct/short") or "all" for the pooled estimates */
  segment?: string;
  code?: AncillaryCode;
}

export interface EstimatesView {
  segments: SegmentStat[];
  items: ItemEstimate[];
  quarantined: { total: number; sample: AncillaryEstimates['quarantined'] };
  used: AncillaryEstimates['used'];
  /** bookings made from this date were read: at most `maxBookings` segments, the most recent (capped: more were there) */
  fromDate: string;
  bookingsRead: number;
  capped: boolean;
  computedAt: string;
  options: AncillaryEstimates['options'];
}

const RULE_NAMES = ['none (revenue-optimal)', 'a bundle costs less than its parts', 'brands ordered', 'step between brands within bounds'];

export interface BundlingServiceOptions {
  store: Store;
  /** bookings made in the last this many days feed the estimates (default 365) */
  estimationWindowDays?: number;
  /** at most this many booking segments, the most recent (default 150,000: a few seconds of estimation) */
  maxBookings?: number;
}

export class BundlingService {
  private readonly store: Store;
  private readonly windowDays: number;
  private readonly maxBookings: number;
  private settingsCache: { stamp: string; value: BundlingSettings } | undefined;
  private estimatesCache: { stamp: string; bookings: string; value: EstimatesSnapshot } | undefined;
  private refCache: { stamp: string; airports: Map<string, Airport>; own: string[] } | undefined;

  constructor(opts: BundlingServiceOptions) {
    this.store = opts.store;
    this.windowDays = opts.estimationWindowDays ?? 365;
    this.maxBookings = opts.maxBookings ?? 150_000;
  }

  settings(stamp = dataStamp(this.store.db)): BundlingSettings {
    const today = this.store.now().slice(0, 10);
    if (this.settingsCache?.stamp !== `${stamp}/${today}`) this.settingsCache = { stamp: `${stamp}/${today}`, value: loadBundlingSettings(this.store.db, today) };
    return this.settingsCache.value;
  }

  private reference(stamp: string): { airports: Map<string, Airport>; own: string[] } {
    if (this.refCache?.stamp !== stamp) {
      const db = this.store.db;
      const airports = (db.prepare('SELECT code, name, time_zone AS timeZone, lat, lon, country FROM airports').all() as (Airport & { country: string | null })[])
        .map(({ country, ...a }) => ({ ...a, ...(country ? { country } : {}) }));
      const own = (db.prepare('SELECT code FROM carriers WHERE own = 1 ORDER BY code').pluck().all() as string[]);
      this.refCache = { stamp, airports: new Map(airports.map((a) => [a.code, a])), own };
    }
    return this.refCache;
  }

  /**
   * Attach rates and WTP from the booking history: the most recent `maxBookings` booking segments made in
   * the estimation window. Recomputed only when the bookings, the bundles settings or the day change.
   */
  estimates(stamp = dataStamp(this.store.db)): EstimatesSnapshot {
    const cached = this.estimatesCache;
    if (cached?.stamp === stamp) return cached.value;
    const db = this.store.db;
    const now = this.store.now();
    const bookingsNow = bookingsStamp(db, now.slice(0, 10));
    if (cached?.bookings === bookingsNow) {
      this.estimatesCache = { ...cached, stamp };
      return cached.value;
    }
    const fromDate = addDays(now.slice(0, 10), -this.windowDays);
    const rows = db.prepare('SELECT * FROM bookings WHERE booked_at >= ? ORDER BY booked_at DESC LIMIT ?').all(fromDate, this.maxBookings + 1) as BookingRow[];
    const capped = rows.length > this.maxBookings;
    if (capped) rows.pop();
    const earliest = rows.length ? rows[rows.length - 1]!.booked_at.slice(0, 10) : fromDate;
    const badJson: AncillaryEstimates['quarantined'] = [];
    const bookings: Booking[] = [];
    for (const r of rows) {
      let anc: unknown;
      try { anc = JSON.parse(r.ancillaries); } catch { anc = undefined; }
      if (!Array.isArray(anc)) { badJson.push({ bookingId: r.id, field: 'ancillaries', reason: 'the stored ancillaries are not a JSON array' }); continue; }
      bookings.push({
        id: r.id, recordLocator: r.record_locator, flightId: r.flight_id, rbd: r.rbd, cabin: r.cabin, ...(r.fare_basis ? { fareBasis: r.fare_basis } : {}),
        journeyOrigin: r.journey_origin, journeyDestination: r.journey_destination, pointOfSale: r.point_of_sale, channel: r.channel,
        passengers: r.passengers, amountMinor: r.amount_minor, currency: r.currency, bookedAt: r.booked_at, status: r.status,
        ...(r.status_at ? { statusAt: r.status_at } : {}), ancillaries: anc as Booking['ancillaries'],
      });
    }
    const legs = (db.prepare(`SELECT id, carrier, flight_number AS flightNumber, origin, destination, local_date AS localDate, departure_utc AS departureUtc,
        arrival_utc AS arrivalUtc FROM flights WHERE local_date >= ?`).all(addDays(earliest, -1)) as Omit<FlightLeg, 'cabins'>[])
      .map((l) => ({ ...l, cabins: [] }));
    const ladder = db.prepare('SELECT carrier, rbd, cabin, rank FROM rbds').all() as RbdDefinition[];
    const { airports } = this.reference(stamp);
    const est = estimateAncillaries({ bookings, legs, airports: [...airports.values()], ladder, options: { haulBands: this.settings(stamp).haulBands } });
    // rows whose ancillaries column is not a JSON array are kept out and listed first
    est.quarantined.unshift(...badJson);
    const value: EstimatesSnapshot = { estimates: est, fromDate, bookingsRead: rows.length, capped, computedAt: now };
    this.estimatesCache = { stamp, bookings: bookingsNow, value };
    return value;
  }

  estimatesView(q: EstimatesQuery): EstimatesView {
    const snap = this.estimates();
    const e = snap.estimates;
    const items = e.items.filter((i) => (!q.currency || i.currency === q.currency) && (!q.segment || i.segment === q.segment) && (!q.code || i.code === q.code));
    const segments = e.segments.filter((s) => (!q.currency || s.currency === q.currency) && (!q.segment || q.segment === 'all' || s.id === q.segment));
    return {
      segments, items, quarantined: { total: e.quarantined.length, sample: e.quarantined.slice(0, 50) }, used: e.used,
      fromDate: snap.fromDate, bookingsRead: snap.bookingsRead, capped: snap.capped, computedAt: snap.computedAt, options: e.options,
    };
  }

  /**
   * The brand-pricing problem of one market, or undefined when the market has no airports on file. The
   * segment mix is the channel's when the history has it in this currency, else every channel's.
   */
  problem(q: { origin: string; destination: string; cabin: string; currency: CurrencyCode; channel?: string; segmentsPerJourney: number; fareMinor: number }, stamp = dataStamp(this.store.db)): BrandProblem | undefined {
    const { airports } = this.reference(stamp);
    if (!airports.has(q.origin) || !airports.has(q.destination)) return undefined;
    const s = this.settings(stamp);
    const estimates = this.estimates(stamp).estimates;
    const haul = marketHaul(airports, q.origin, q.destination, s.haulBands).band;
    const channelKnown = q.channel !== undefined && estimates.segments.some((g) => g.currency === q.currency && g.key.channel === q.channel);
    const p = buildBrandProblem({
      estimates, catalogue: s.catalogue, currency: q.currency, fareMinor: q.fareMinor, brands: s.brands, rules: s.rules, grid: s.grid,
      market: { origin: q.origin, destination: q.destination, cabin: q.cabin, haul, segmentsPerJourney: q.segmentsPerJourney },
      ...(channelKnown ? { channels: [q.channel!] } : {}),
    });
    if (q.channel !== undefined && !channelKnown) p.notes.push(`no booking history in channel "${q.channel}" in ${q.currency}: the segment mix of every channel is used`);
    return p;
  }

  /** Brand prices per market the airline files fares in (lowest fare of the market as the base brand's). */
  marketBrands(q: BrandsQuery): { rows: MarketBrands[]; total: number } {
    const stamp = dataStamp(this.store.db);
    const db = this.store.db;
    const { airports, own } = this.reference(stamp);
    if (own.length === 0) return { rows: [], total: 0 };
    const today = this.store.now().slice(0, 10);
    const where = [`carrier IN (${own.map(() => '?').join(',')})`, 'cabin = ?', 'valid_to >= ?', "flight_id = ''"];
    const args: (string | number)[] = [...own, q.cabin, today];
    if (q.origin) { where.push('origin = ?'); args.push(q.origin); }
    if (q.destination) { where.push('destination = ?'); args.push(q.destination); }
    if (q.currency) { where.push('currency = ?'); args.push(q.currency); }
    if (q.pointOfSale) { where.push('point_of_sale = ?'); args.push(q.pointOfSale); }
    // one row per market: its point of sale (the one asked, else the origin's country, else the first), lowest fare there
    const fares = db.prepare(`SELECT origin, destination, point_of_sale AS pos, currency, rbd, fare_basis AS fareBasis, amount_minor AS amountMinor
      FROM fares WHERE ${where.join(' AND ')} ORDER BY origin, destination, amount_minor, rbd`).all(...args) as
      { origin: string; destination: string; pos: string; currency: string; rbd: string; fareBasis: string; amountMinor: number }[];
    const markets = new Map<string, (typeof fares)[number]>();
    for (const f of fares) {
      const k = `${f.origin}-${f.destination}`;
      const prev = markets.get(k);
      const home = airports.get(f.origin)?.country;
      if (!prev || (prev.pos !== home && f.pos === home)) markets.set(k, f);
    }
    const keys = [...markets.keys()].sort();
    const nonStop = db.prepare(`SELECT 1 FROM flights WHERE origin = ? AND destination = ? AND carrier IN (${own.map(() => '?').join(',')}) LIMIT 1`).pluck();
    const rows = keys.slice(q.offset, q.offset + q.limit).map((k): MarketBrands => {
      const f = markets.get(k)!;
      const segmentsPerJourney = nonStop.get(f.origin, f.destination, ...own) ? 1 : 2;
      const fareMinor = q.fareMinor ?? f.amountMinor;
      const { km, band } = marketHaul(airports, f.origin, f.destination, this.settings(stamp).haulBands);
      const base = {
        origin: f.origin, destination: f.destination, cabin: q.cabin, pointOfSale: f.pos, channel: q.channel ?? null, currency: f.currency, haul: band,
        distanceKm: Math.round(km), segmentsPerJourney,
        fare: q.fareMinor !== undefined ? { amountMinor: fareMinor, rbd: null, fareBasis: null, source: 'given' as const } : { amountMinor: fareMinor, rbd: f.rbd, fareBasis: f.fareBasis, source: 'lowest_filed' as const },
      };
      const empty = { brands: [], expected: emptyOutcome(fareMinor), ruleLevels: [], alaCarte: [], segments: [], choiceScaleMinor: 0, gridPoints: 0, evaluated: 0 };
      const p = this.problem({ origin: f.origin, destination: f.destination, cabin: q.cabin, currency: f.currency, channel: q.channel, segmentsPerJourney, fareMinor }, stamp);
      if (!p) return { ...base, ...empty, notes: [], error: `airport ${f.origin} or ${f.destination} is not in the reference data` };
      const alaCarte = Object.entries(p.input.alaCarteMinor).map(([c, v]) => ({ code: c as AncillaryCode, name: p.input.itemNames?.[c as AncillaryCode] ?? c, journeyPriceMinor: v! }));
      const segments = p.input.segments.map((g) => ({ id: g.id, weight: g.weight }));
      try {
        const r = optimiseBrandedFares(p.input);
        return {
          ...base, brands: r.brands, expected: r.outcome, alaCarte, segments, choiceScaleMinor: p.input.choiceScaleMinor, gridPoints: r.gridPoints, evaluated: r.evaluated, notes: p.notes,
          ruleLevels: r.byRuleLevel.map((l, level) => ({ level, rule: RULE_NAMES[level]!, uplifts: l.uplifts, revenuePerPax: l.revenuePerPax })),
        };
      } catch (e) {
        return { ...base, ...empty, alaCarte, segments, choiceScaleMinor: p.input.choiceScaleMinor, notes: p.notes, error: (e as Error).message };
      }
    });
    return { rows, total: keys.length };
  }
}

function emptyOutcome(fare: number): ChoiceOutcome {
  return { shares: [], revenuePerPax: fare, baselinePerPax: fare, brandStepPerPax: 0, alaCartePerPax: 0, baselineAlaCartePerPax: 0, cannibalisedPerPax: 0, incrementalPerPax: 0 };
}
