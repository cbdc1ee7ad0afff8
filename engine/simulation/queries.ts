/**
 * Read queries over the simulated market, in the shapes the sandbox servers serve: reference data,
 * schedule, inventory, fares, the booking event log (paged by sequence number), availability history,
 * O&D demand and leg performance by DCP, shopping observations, exchange rates and the calendar.
 * Journey dates before the simulator's `visibleFromDay` (the burn-in) are never served.
 */
import { dayNumber } from '../domain/time';
import { currencyExponent } from '../domain/money';
import { flightId, type Booking } from '../domain/types';
import { EVENT_NAMES, ST_BOOKED, ST_CANCELLED, eventPnr, eventSegment, eventType } from './booking-log';
import { recordLocator } from './columns';
import { DAY_MS } from './clock';
import { dateString, isoInstant } from './format';
import { LEG_DEPARTED, LEG_NONE } from './legs';
import type { MarketSimulator } from './simulator';
import type {
  AvailabilityChange, BookingEventPage, BookingEventRecord, CalendarEventRecord, CompetitorFareObservation, ExchangeRateRecord,
  FareRecord, FlightLegRecord, InventoryRow, LegPerformanceRow, OdDemandRow, ReferenceData,
} from './records';

const iso = isoInstant;

export function referenceData(sim: MarketSimulator): ReferenceData {
  const net = sim.net;
  const s = sim.spec;
  return {
    scenario: s.name,
    baseCurrency: s.baseCurrency,
    ownCarrier: net.carriers[net.own]!.code,
    carriers: s.carriers.map((c) => ({ code: c.code, name: c.name, own: c.role === 'own', role: c.role, hub: c.hub, pricingCurrency: c.pricingCurrency })),
    airports: s.airports.map((a) => ({ ...a })),
    cabins: [...s.cabins],
    rbds: s.ladders.flatMap((l) => {
      const car = net.carriers[net.carrierIdx.get(l.carrier)!]!;
      return l.rbds.map((r, i) => ({ carrier: l.carrier, rbd: r.rbd, cabin: r.cabin, rank: car.rank[i]!, restrictions: [...r.restrictions], advancePurchaseDays: r.advancePurchaseDays, brand: r.brand }));
    }),
    pointsOfSale: s.pointsOfSale.map((p) => ({ ...p })),
    channels: [...s.channels],
    dcps: [...net.dcps],
    ancillaries: s.ancillaries.map((a) => ({ code: a.code, name: a.name })),
    markets: Array.from({ length: net.markets.n }, (_, m) => ({
      origin: net.airports[net.markets.origin[m]!]!.code, destination: net.airports[net.markets.destination[m]!]!.code, distanceKm: Math.round(net.markets.distanceKm[m]!),
    })),
  };
}

const flightIdCache = new WeakMap<MarketSimulator, Map<number, string>>();

/** The flight id of a leg under its operating carrier (cached: the booking sync asks for it per event). */
export function legFlightId(sim: MarketSimulator, leg: number): string {
  let cache = flightIdCache.get(sim);
  if (!cache) { cache = new Map(); flightIdCache.set(sim, cache); }
  let id = cache.get(leg);
  if (id === undefined) {
    const net = sim.net;
    const p = sim.legs.patternOf(leg);
    id = flightId(net.carriers[net.patterns.carrier[p]!]!.code, net.patterns.flightNumber[p]!, dateString(sim.legs.dayOf(leg)), net.airports[net.patterns.origin[p]!]!.code);
    cache.set(leg, id);
  }
  return id;
}

function dayRange(sim: MarketSimulator, from: string, to: string): [number, number] {
  const a = Math.max(dayNumber(from), sim.visibleFromDay, sim.legs.day0);
  const b = Math.min(dayNumber(to), sim.legs.day0 + sim.legs.nDays - 1);
  return [a, b];
}

/** Leg departures with local dates in [from, to]; codeshare marketing duplicates included unless `operatingOnly`. */
export function flightLegs(sim: MarketSimulator, q: { from: string; to: string; carrier?: string; operatingOnly?: boolean }): FlightLegRecord[] {
  const net = sim.net;
  const L = sim.legs;
  const out: FlightLegRecord[] = [];
  const [a, b] = dayRange(sim, q.from, q.to);
  for (let X = a; X <= b; X++) {
    const date = dateString(X);
    for (let p = 0; p < net.patterns.n; p++) {
      const leg = L.index(X, p);
      if (L.stateOf(leg) === LEG_NONE) continue;
      const car = net.carriers[net.patterns.carrier[p]!]!.code;
      const origin = net.airports[net.patterns.origin[p]!]!.code;
      const destination = net.airports[net.patterns.destination[p]!]!.code;
      const cabins = net.cabins.map((cabin, ci) => ({ cabin, capacity: L.capOf(leg, ci) })).filter((c) => c.capacity > 0);
      const marketing = net.patterns.codeshares[p]!.map((c) => ({ carrier: net.carriers[c.carrier]!.code, flightNumber: c.flightNumber }));
      const base = {
        origin, destination, localDate: date, departureUtc: iso(L.depMsOf(leg)), arrivalUtc: iso(L.arrMsOf(leg)),
        aircraft: net.patterns.aircraft[p] || undefined, cabins, status: L.stateOf(leg) === LEG_DEPARTED ? 'departed' as const : 'on_sale' as const,
      };
      const fn = net.patterns.flightNumber[p]!;
      if (!q.carrier || q.carrier === car) out.push({ ...base, id: flightId(car, fn, date, origin), carrier: car, flightNumber: fn, marketingFlights: marketing });
      if (q.operatingOnly) continue;
      for (const m of marketing) {
        if (q.carrier && q.carrier !== m.carrier) continue;
        out.push({ ...base, id: flightId(m.carrier, m.flightNumber, date, origin), carrier: m.carrier, flightNumber: m.flightNumber, operatingCarrier: car, operatingFlightNumber: fn, marketingFlights: [] });
      }
    }
  }
  return out;
}

/** The leg index of a flight id (operating or codeshare marketing number), or a reason it has none. */
export function resolveFlight(sim: MarketSimulator, id: string): { leg: number } | { error: string } {
  const m = /^([A-Z0-9]{3,7})\/(\d{4}-\d{2}-\d{2})\/([A-Z]{3})$/.exec(id);
  if (!m) return { error: `flight id "${id}" is not CARRIER+NUMBER/YYYY-MM-DD/ORIGIN` };
  const [, designator, date, origin] = m;
  const net = sim.net;
  // the carrier code is a prefix of the designator (carrier codes may end in a digit, e.g. AL1 + 101)
  let p = -1;
  for (const car of net.carriers) {
    if (p >= 0) break;
    if (!designator!.startsWith(car.code) || !/^\d{1,4}$/.test(designator!.slice(car.code.length))) continue;
    const num = Number(designator!.slice(car.code.length));
    for (let i = 0; i < net.patterns.n && p < 0; i++) {
      if (net.airports[net.patterns.origin[i]!]!.code !== origin) continue;
      if (net.patterns.carrier[i] === car.idx && net.patterns.flightNumber[i] === num) p = i;
      else if (net.patterns.codeshares[i]!.some((cs) => cs.carrier === car.idx && cs.flightNumber === num)) p = i;
    }
  }
  if (p < 0) return { error: `unknown flight ${designator} from ${origin}` };
  let day: number;
  try { day = dayNumber(date!); } catch { return { error: `invalid date ${date}` }; }
  const L = sim.legs;
  if (day < L.day0 || day >= L.day0 + L.nDays || day < sim.visibleFromDay) return { error: `flight ${id} is not in the schedule window` };
  const leg = L.index(day, p);
  if (L.stateOf(leg) === LEG_NONE) return { error: `flight ${id} does not operate (or is not on sale yet)` };
  return { leg };
}

/** Inventory by RBD for our carrier's legs with local dates in [from, to] (or the given flights). */
export function inventory(sim: MarketSimulator, q: { from?: string; to?: string; flightIds?: string[]; carrier?: string }): InventoryRow[] {
  const net = sim.net;
  const L = sim.legs;
  const carrier = q.carrier ? net.carrierIdx.get(q.carrier) : net.own;
  if (carrier === undefined) throw new Error(`inventory: unknown carrier ${q.carrier}`);
  const legs: number[] = [];
  if (q.flightIds) {
    for (const id of q.flightIds) {
      const r = resolveFlight(sim, id);
      if ('leg' in r) legs.push(r.leg);
    }
  } else {
    const [a, b] = dayRange(sim, q.from ?? dateString(sim.curDay), q.to ?? dateString(sim.curDay + sim.saleOpens));
    for (let X = a; X <= b; X++) for (let p = 0; p < net.patterns.n; p++) if (net.patterns.carrier[p] === carrier && L.stateOf(L.index(X, p)) !== LEG_NONE) legs.push(L.index(X, p));
  }
  const out: InventoryRow[] = [];
  const ccy = sim.spec.baseCurrency;
  const exp = 10 ** currencyExponent(ccy);
  for (const leg of legs) {
    const p = L.patternOf(leg);
    const car = net.carriers[net.patterns.carrier[p]!]!;
    const id = legFlightId(sim, leg);
    for (let c = 0; c < car.nClasses; c++) {
      const cab = car.cabin[c]!;
      out.push({
        flightId: id, rbd: car.rbd[c]!, cabin: net.cabins[cab]!, sold: L.soldOf(leg, c), authorised: L.auOf(leg, c),
        status: L.stateOf(leg) === LEG_DEPARTED || L.availOf(leg, c) === 0 ? 'closed' : 'open',
        bidPriceMinor: Math.round(L.bidOf(leg, cab) * exp), currency: ccy, capacity: L.capOf(leg, cab),
      });
    }
  }
  return out;
}

/** Current fares (base fares and narrower fares in force) of a carrier (default ours). */
export function fares(sim: MarketSimulator, q: { carrier?: string; origin?: string; destination?: string; pointOfSale?: string } = {}): FareRecord[] {
  const net = sim.net;
  const fs = sim.fares;
  const carrier = q.carrier ? net.carrierIdx.get(q.carrier) : net.own;
  if (carrier === undefined) throw new Error(`fares: unknown carrier ${q.carrier}`);
  const car = net.carriers[carrier]!;
  const ladder = sim.spec.ladders.find((l) => l.carrier === car.code)!;
  const out: FareRecord[] = [];
  const today = sim.curDay;
  const farFuture = '2099-12-31';
  for (let m = 0; m < net.markets.n; m++) {
    const origin = net.airports[net.markets.origin[m]!]!.code;
    const destination = net.airports[net.markets.destination[m]!]!.code;
    if ((q.origin && q.origin !== origin) || (q.destination && q.destination !== destination)) continue;
    const pb = fs.productBase[carrier * net.markets.n + m]!;
    if (pb < 0) continue;
    for (let pos = 0; pos < fs.nPos; pos++) {
      if (q.pointOfSale && net.pos[pos] !== q.pointOfSale) continue;
      for (let c = 0; c < car.nClasses; c++) {
        const slot = fs.slot(pb + c, pos);
        const amt = fs.amountMinor[slot]!;
        if (!(amt === amt)) continue;
        const common = {
          carrier: car.code, origin, destination, rbd: car.rbd[c]!, cabin: net.cabins[car.cabin[c]!]!, fareBasis: fs.fareBasis[pb + c]!, pointOfSale: net.pos[pos]!,
          restrictions: restrictionList(fs.restrictions[pb + c]!), advancePurchaseDays: fs.advancePurchase[pb + c]!, brand: ladder.rbds[c]!.brand,
        };
        out.push({ ...common, currency: net.currencies[fs.currency[slot]!]!, amountMinor: amt, validFrom: dateString(Math.floor(fs.filedAtMs[slot]! / DAY_MS)), validTo: farFuture, filedAt: iso(fs.filedAtMs[slot]!) });
        for (const o of fs.overrides.get(slot) ?? []) {
          if (o.saleUntilDay < today || o.toDay < today) continue;
          const f: FareRecord = {
            ...common, currency: net.currencies[o.currency]!, amountMinor: o.amountMinor,
            validFrom: dateString(Math.max(o.fromDay, today)), validTo: o.toDay > 1e8 ? farFuture : dateString(o.toDay), filedAt: iso(o.filedAtMs),
          };
          if (o.leg >= 0) { f.flightId = legFlightId(sim, o.leg); f.validFrom = f.validTo = dateString(sim.legs.dayOf(o.leg)); }
          if (Number.isFinite(o.saleUntilDay)) f.saleUntil = dateString(o.saleUntilDay);
          out.push(f);
        }
      }
    }
  }
  return out;
}

export function restrictionList(mask: number): ('R1' | 'R2' | 'R3')[] {
  const r: ('R1' | 'R2' | 'R3')[] = [];
  if (mask & 1) r.push('R1');
  if (mask & 2) r.push('R2');
  if (mask & 4) r.push('R3');
  return r;
}

/** One booking segment as the PSS shows it now (or as of an event when `asOf` is given). */
export function bookingSegment(sim: MarketSimulator, pnr: number, seg: number, asOf?: { type: number; ms: number }): BookingEventRecord['booking'] {
  const net = sim.net;
  const lg = sim.log;
  const fs = sim.fares;
  const leg = seg === 0 ? lg.leg0[pnr]! : lg.leg1[pnr]!;
  const two = lg.leg1[pnr]! >= 0;
  const p = sim.legs.patternOf(leg);
  const mkt = lg.carrier[pnr]!;
  const opCarrier = net.patterns.carrier[p]!;
  const mktFlight = mkt === opCarrier ? net.patterns.flightNumber[p]! : net.patterns.codeshares[p]!.find((c) => c.carrier === mkt)?.flightNumber ?? net.patterns.flightNumber[p]!;
  const total = lg.amountMinor[pnr]!;
  const share0 = Math.round(total * lg.prorate0[pnr]!);
  const status = asOf ? asOf.type : seg === 0 ? lg.status0[pnr]! : lg.status1[pnr]!;
  const statusMs = asOf ? asOf.ms : seg === 0 ? lg.statusMs0[pnr]! : lg.statusMs1[pnr]!;
  const ccy = net.currencies[lg.currency[pnr]!]!;
  const anc: Booking['ancillaries'] = [];
  for (let i = lg.ancStart[pnr]!; i < lg.ancStart[pnr]! + lg.ancCount[pnr]!; i++) {
    if (lg.ancSeg.at(i) !== seg) continue;
    anc.push({ code: sim.spec.ancillaries[lg.ancCode.at(i)]!.code, amountMinor: lg.ancAmount.at(i), currency: ccy });
  }
  const locator = recordLocator(pnr);
  const m = lg.market[pnr]!;
  const opCls = seg === 0 ? lg.opCls0[pnr]! : lg.opCls1[pnr]!;
  return {
    id: `${locator}-${seg + 1}`,
    recordLocator: locator,
    flightId: legFlightId(sim, leg),
    rbd: net.carriers[opCarrier]!.rbd[opCls]!,
    cabin: net.cabins[net.carriers[opCarrier]!.cabin[opCls]!]!,
    fareBasis: fs.fareBasis[lg.product[pnr]!],
    journeyOrigin: net.airports[net.markets.origin[m]!]!.code,
    journeyDestination: net.airports[net.markets.destination[m]!]!.code,
    pointOfSale: net.pos[lg.pos[pnr]!]!,
    channel: net.channels[lg.channel[pnr]!] ?? 'direct',
    passengers: lg.pax[pnr]!,
    amountMinor: two ? (seg === 0 ? share0 : total - share0) : total,
    currency: ccy,
    bookedAt: iso(lg.bookedMs[pnr]!),
    status: EVENT_NAMES[status]!,
    statusAt: status === ST_BOOKED ? undefined : iso(statusMs),
    ancillaries: anc,
    segment: seg + 1,
    segments: two ? 2 : 1,
    marketingCarrier: net.carriers[mkt]!.code,
    marketingFlightNumber: mktFlight,
    operatingCarrier: net.carriers[opCarrier]!.code,
  };
}

/**
 * Up to `limit` booking events with sequence numbers above `afterSeq`, oldest first. Events of burn-in
 * journeys are skipped (their sequence numbers are never served), so pass `nextAfterSeq` on.
 */
export function bookingEvents(sim: MarketSimulator, afterSeq: number, limit: number): BookingEventPage {
  if (!Number.isInteger(afterSeq) || afterSeq < 0) throw new Error(`bookingEvents: afterSeq must be a whole number >= 0, got ${afterSeq}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new Error(`bookingEvents: limit must be a whole number in 1..100000, got ${limit}`);
  const lg = sim.log;
  const L = sim.legs;
  const events: BookingEventRecord[] = [];
  let i = afterSeq;
  for (; i < lg.nEvents && events.length < limit; i++) {
    const e = lg.events.at(i);
    const pnr = eventPnr(e);
    const type = eventType(e);
    const seg = eventSegment(e);
    const leg = seg === 0 ? lg.leg0[pnr]! : lg.leg1[pnr]!;
    if (L.dayOf(lg.leg0[pnr]!) < sim.visibleFromDay) continue;
    const ms = type === 0 ? lg.bookedMs[pnr]! : type === ST_CANCELLED ? (seg === 0 ? lg.statusMs0[pnr]! : lg.statusMs1[pnr]!) : L.depMsOf(leg);
    events.push({ seq: i + 1, type: EVENT_NAMES[type]!, at: iso(ms), booking: bookingSegment(sim, pnr, seg, { type, ms }) });
  }
  return { events, nextAfterSeq: i, lastSeq: lg.nEvents, hasMore: i < lg.nEvents };
}

/** Class closures and reopenings of our legs with local dates in [from, to]. */
export function availabilityHistory(sim: MarketSimulator, q: { from: string; to: string }): AvailabilityChange[] {
  const net = sim.net;
  const L = sim.legs;
  const lg = sim.log;
  const out: AvailabilityChange[] = [];
  const [a, b] = dayRange(sim, q.from, q.to);
  for (let X = a; X <= b; X++) {
    for (let p = 0; p < net.patterns.n; p++) {
      const leg = L.index(X, p);
      if (L.closureHeadOf(leg) < 0) continue;
      const id = legFlightId(sim, leg);
      const car = net.carriers[net.patterns.carrier[p]!]!;
      const rows: AvailabilityChange[] = [];
      for (let i = L.closureHeadOf(leg); i >= 0; i = lg.clNext.at(i)) rows.push({ flightId: id, rbd: car.rbd[lg.clClass.at(i)]!, status: lg.clOpen.at(i) ? 'open' : 'closed', at: iso(lg.clMs.at(i)) });
      out.push(...rows.reverse());
    }
  }
  return out;
}

/** The instant DCP k of a departure on local date X is reached (end of the day d_k days before; DCP 0: departure). */
function dcpInstant(sim: MarketSimulator, X: number, k: number, depMs: number): number {
  const d = sim.net.dcps[k]!;
  return d === 0 ? depMs : (X - d + 1) * DAY_MS;
}

/**
 * O&D demand as a PROS system reports it: for each market our carrier sells and each departure date in
 * [from, to], our net bookings and revenue at each DCP (DCPs not reached yet: provisional, so far).
 */
export function odDemand(sim: MarketSimulator, q: { from: string; to: string; origin?: string; destination?: string }): OdDemandRow[] {
  const net = sim.net;
  const lg = sim.log;
  const L = sim.legs;
  const P = net.nPeriods;
  const [a, b] = dayRange(sim, q.from, q.to);
  if (b < a) return [];
  const nDays = b - a + 1;
  const own = net.own;
  const nM = net.markets.n;
  const mOk = new Uint8Array(nM);
  for (let m = 0; m < nM; m++) {
    const o = net.airports[net.markets.origin[m]!]!.code;
    const d = net.airports[net.markets.destination[m]!]!.code;
    mOk[m] = (!q.origin || q.origin === o) && (!q.destination || q.destination === d) && sim.fares.productBase[own * nM + m]! >= 0 ? 1 : 0;
  }
  const pax = new Float64Array(nM * nDays * P);
  const rev = new Float64Array(nM * nDays * P);
  const seen = new Uint8Array(nM * nDays);
  const now = sim.clock.nowMs();
  for (let i = 0; i < lg.n; i++) {
    if (lg.carrier[i] !== own) continue;
    const m = lg.market[i]!;
    if (!mOk[m]) continue;
    const leg0 = lg.leg0[i]!;
    const X = L.dayOf(leg0);
    if (X < a || X > b) continue;
    const depMs = L.depMsOf(leg0);
    const cell = (m * nDays + (X - a)) * P;
    seen[m * nDays + (X - a)] = 1;
    const cancelMs = lg.status0[i] === ST_CANCELLED ? lg.statusMs0[i]! : Infinity;
    for (let k = 0; k < P; k++) {
      const t = dcpInstant(sim, X, k, depMs);
      if (lg.bookedMs[i]! < t && cancelMs >= t) { pax[cell + k] += lg.pax[i]!; rev[cell + k] += lg.value[i]!; }
    }
  }
  const ccy = sim.spec.baseCurrency;
  const exp = 10 ** currencyExponent(ccy);
  const out: OdDemandRow[] = [];
  for (let m = 0; m < nM; m++) {
    if (!mOk[m]) continue;
    const origin = net.airports[net.markets.origin[m]!]!.code;
    const destination = net.airports[net.markets.destination[m]!]!.code;
    for (let X = a; X <= b; X++) {
      if (!seen[m * nDays + (X - a)]) continue;
      const date = dateString(X);
      let depMs = Infinity;
      for (let i = net.markets.pathStart[m]!; i < net.markets.pathStart[m + 1]!; i++) {
        const l = L.index(X, net.paths.leg0[i]!);
        if (L.stateOf(l) !== LEG_NONE) depMs = Math.min(depMs, L.depMsOf(l));
      }
      const cell = (m * nDays + (X - a)) * P;
      for (let k = 0; k < P; k++) {
        const t = dcpInstant(sim, X, k, depMs);
        const provisional = t > now;
        const prev = out.length && provisional && out[out.length - 1]!.provisional && out[out.length - 1]!.departureDate === date && out[out.length - 1]!.origin === origin;
        if (prev) break; // one provisional row (bookings so far) is enough
        out.push({ origin, destination, departureDate: date, dcp: net.dcps[k]!, bookings: pax[cell + k]!, revenueMinor: Math.round(rev[cell + k]! * exp), currency: ccy, provisional });
      }
    }
  }
  return out;
}

/** Route performance: our legs' bookings and load factor by cabin at each DCP reached (and so far). */
export function legPerformance(sim: MarketSimulator, q: { from: string; to: string }): LegPerformanceRow[] {
  const net = sim.net;
  const L = sim.legs;
  const P = net.nPeriods;
  const [a, b] = dayRange(sim, q.from, q.to);
  const out: LegPerformanceRow[] = [];
  const now = sim.clock.nowMs();
  for (let X = a; X <= b; X++) {
    const date = dateString(X);
    for (let p = 0; p < net.patterns.n; p++) {
      if (net.patterns.carrier[p] !== net.own) continue;
      const leg = L.index(X, p);
      if (L.stateOf(leg) === LEG_NONE) continue;
      const car = net.carriers[net.own]!;
      const id = legFlightId(sim, leg);
      const origin = net.airports[net.patterns.origin[p]!]!.code;
      const destination = net.airports[net.patterns.destination[p]!]!.code;
      for (let cab = 0; cab < net.nCabins; cab++) {
        const capacity = L.capOf(leg, cab);
        if (capacity === 0) continue;
        let cum = 0;
        for (let k = 0; k < P; k++) {
          for (const c of car.classesByCabin[cab]!) cum += L.netOf(leg, c, k);
          const t = dcpInstant(sim, X, k, L.depMsOf(leg));
          const provisional = t > now;
          out.push({ flightId: id, origin, destination, departureDate: date, cabin: net.cabins[cab]!, dcp: net.dcps[k]!, capacity, bookings: cum, loadFactor: cum / capacity, provisional });
          if (provisional) break;
        }
      }
    }
  }
  return out;
}

/** Up to `limit` shopping observations with sequence numbers above `afterSeq` (burn-in ones skipped). */
export function competitorFareObservations(sim: MarketSimulator, afterSeq: number, limit: number): { observations: CompetitorFareObservation[]; nextAfterSeq: number; lastSeq: number; hasMore: boolean } {
  if (!Number.isInteger(afterSeq) || afterSeq < 0) throw new Error(`competitorFares: afterSeq must be a whole number >= 0, got ${afterSeq}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new Error(`competitorFares: limit must be a whole number in 1..100000, got ${limit}`);
  const net = sim.net;
  const lg = sim.log;
  const observations: CompetitorFareObservation[] = [];
  let i = afterSeq;
  for (; i < lg.nObs && observations.length < limit; i++) {
    if (lg.obMs.at(i) < sim.visibleFromDay * DAY_MS) continue;
    const m = lg.obMarket.at(i);
    const cab = lg.obCabin.at(i);
    observations.push({
      seq: i + 1, carrier: net.carriers[lg.obCarrier.at(i)]!.code,
      origin: net.airports[net.markets.origin[m]!]!.code, destination: net.airports[net.markets.destination[m]!]!.code,
      departureDate: dateString(lg.obDay.at(i)), cabin: net.cabins[cab]!, brand: cab === 0 && net.nCabins > 1 ? 'Business' : 'Economy',
      amountMinor: lg.obAmount.at(i), currency: net.currencies[lg.obCurrency.at(i)]!, observedAt: iso(lg.obMs.at(i)),
    });
  }
  return { observations, nextAfterSeq: i, lastSeq: lg.nObs, hasMore: i < lg.nObs };
}

/** Daily exchange rates (units of each currency per unit of the base currency) for dates in [from, to], up to today. */
export function exchangeRates(sim: MarketSimulator, q: { from: string; to: string }): ExchangeRateRecord[] {
  const out: ExchangeRateRecord[] = [];
  const a = Math.max(dayNumber(q.from), sim.visibleFromDay);
  const b = Math.min(dayNumber(q.to), sim.clock.dayNumber());
  const base = sim.spec.baseCurrency;
  for (let d = a; d <= b; d++) {
    const date = dateString(d);
    sim.net.currencies.forEach((c, i) => { if (c !== base) out.push({ date, base, quote: c, rate: Math.round(sim.fx.rate(i, d) * 1e6) / 1e6 }); });
  }
  return out;
}

/** Holidays and events overlapping [from, to] (dates, names and places; never their effect). */
export function calendar(sim: MarketSimulator, q: { from: string; to: string }): CalendarEventRecord[] {
  return sim.spec.calendar.filter((e) => e.to >= q.from && e.from <= q.to)
    .map((e) => ({ id: e.id, name: e.name, kind: e.kind, from: e.from, to: e.to, countries: [...e.countries], airports: [...e.airports] }));
}

/** Our revenue (base currency) over the fares sold: the sum over recorded bookings not cancelled, for conservation checks. */
export function recordedRevenue(sim: MarketSimulator, carrier: number): number {
  const lg = sim.log;
  let s = 0;
  for (let i = 0; i < lg.n; i++) if (lg.carrier[i] === carrier && lg.status0[i] !== ST_CANCELLED) s += lg.value[i]!;
  return s;
}

