/**
 * The sandbox PSS's write side: fares and inventory controls pushed by the workbench, and orders
 * created from offers. Each applies at the current simulated instant, so later passengers see it;
 * each item is answered on its own (accepted with a reference, or rejected with a code and reason).
 */
import { dayNumber, ISO_DATE_RE } from '../domain/time';
import { LEG_ON_SALE } from './legs';
import { recordLocator } from './columns';
import { resolveFlight } from './queries';
import { MAX_OVERBOOKING_PCT, maxAuthorisation, type MarketSimulator } from './simulator';
import type { LegControlDecision } from './controller';

export interface FarePushItem {
  /** must be our carrier when given */
  carrier?: string;
  origin: string;
  destination: string;
  rbd: string;
  pointOfSale: string;
  currency: string;
  amountMinor: number;
  fareBasis?: string;
  /** travel-date validity (inclusive); both absent: the market's base fare for all dates */
  validFrom?: string;
  validTo?: string;
  /** narrows the fare to journeys whose first flight is this departure */
  flightId?: string;
}

export interface ControlPushItem {
  flightId: string;
  /** the class an authorisation level or status applies to */
  rbd?: string;
  /**
   * nested authorisation level: the class sells while the cabin's sold seats are below it; up to the
   * cabin's seats plus MAX_OVERBOOKING_PCT (passengers showing up beyond the seats are denied boarding)
   */
  authorised?: number;
  status?: 'open' | 'closed';
  /** the leg's bid price (per cabin when `cabin` is given, else every cabin) */
  bidPriceMinor?: number;
  currency?: string;
  cabin?: string;
}

export type PushRejectCode =
  | 'not_own_carrier' | 'unknown_market' | 'invalid_rbd' | 'invalid_point_of_sale' | 'invalid_currency' | 'negative_price'
  | 'invalid_amount' | 'invalid_dates' | 'unknown_flight' | 'departed' | 'not_own_flight' | 'negative_authorisation'
  | 'exceeds_capacity' | 'invalid_cabin' | 'empty_control';

export type PushItemResult =
  | { index: number; status: 'accepted'; reference: string }
  | { index: number; status: 'rejected'; code: PushRejectCode; reason: string };

type Reject = { code: PushRejectCode; reason: string };
const reject = (code: PushRejectCode, reason: string): Reject => ({ code, reason });

/** Applies pushed fares for our carrier. `nextRef` names each accepted item. */
export function applyFares(sim: MarketSimulator, items: readonly FarePushItem[], nextRef: () => string): PushItemResult[] {
  sim.ensureDayBegun();
  const net = sim.net;
  const fs = sim.fares;
  const own = net.own;
  const ownCode = net.carriers[own]!.code;
  const now = sim.clock.nowMs();
  const today = sim.clock.dayNumber();
  return items.map((it, index): PushItemResult => {
    const r = ((): Reject | (() => void) => {
      if (it.carrier !== undefined && it.carrier !== ownCode) return reject('not_own_carrier', `carrier ${it.carrier}: only ${ownCode}'s fares can be pushed to this PSS`);
      const m = net.markets.key.get(`${it.origin}-${it.destination}`);
      if (m === undefined || fs.productBase[own * net.markets.n + m]! < 0) return reject('unknown_market', `market ${it.origin}-${it.destination}: ${ownCode} files no fares there`);
      const cls = net.carriers[own]!.classOf.get(it.rbd);
      if (cls === undefined) return reject('invalid_rbd', `RBD "${it.rbd}" is not in ${ownCode}'s ladder`);
      const pos = net.posIdx.get(it.pointOfSale);
      if (pos === undefined) return reject('invalid_point_of_sale', `point of sale "${it.pointOfSale}" is not served`);
      const ccy = net.currencyIdx.get(it.currency);
      if (ccy === undefined) return reject('invalid_currency', `currency "${it.currency}" has no exchange rate here`);
      if (!Number.isSafeInteger(it.amountMinor)) return reject('invalid_amount', `amountMinor must be a whole number of minor units, got ${it.amountMinor}`);
      if (it.amountMinor < 0) return reject('negative_price', `amountMinor ${it.amountMinor} is negative`);
      let fromDay: number | undefined;
      let toDay: number | undefined;
      if (it.validFrom !== undefined || it.validTo !== undefined) {
        if (!it.validFrom || !it.validTo || !ISO_DATE_RE.test(it.validFrom) || !ISO_DATE_RE.test(it.validTo)) return reject('invalid_dates', 'validFrom and validTo must both be YYYY-MM-DD');
        try { fromDay = dayNumber(it.validFrom); toDay = dayNumber(it.validTo); } catch { return reject('invalid_dates', `invalid date in ${it.validFrom}..${it.validTo}`); }
        if (fromDay > toDay) return reject('invalid_dates', `validFrom ${it.validFrom} is after validTo ${it.validTo}`);
        if (toDay < today) return reject('invalid_dates', `validity ${it.validFrom}..${it.validTo} is entirely in the past`);
      }
      let leg = -1;
      if (it.flightId !== undefined) {
        const f = resolveFlight(sim, it.flightId);
        if ('error' in f) return reject('unknown_flight', f.error);
        leg = f.leg;
        if (sim.legs.stateOf(leg) !== LEG_ON_SALE) return reject('departed', `flight ${it.flightId} has departed`);
        const p = sim.legs.patternOf(leg);
        if (net.airports[net.patterns.origin[p]!]!.code !== it.origin) return reject('unknown_flight', `flight ${it.flightId} does not leave from ${it.origin}`);
        fromDay = toDay = sim.legs.dayOf(leg);
      }
      return () => {
        const prod = fs.product(own, m, cls);
        const slot = fs.slot(prod, pos);
        if (it.fareBasis) fs.fareBasis[prod] = it.fareBasis;
        if (fromDay === undefined) fs.setBase(slot, it.amountMinor, ccy, now);
        else fs.addOverride(slot, { fromDay, toDay: toDay!, leg, amountMinor: it.amountMinor, currency: ccy, saleUntilDay: Infinity, filedAtMs: now, reference: '' }, today);
      };
    })();
    if (typeof r !== 'function') return { index, status: 'rejected', ...r };
    r();
    return { index, status: 'accepted', reference: nextRef() };
  });
}

/** Applies pushed inventory controls on our carrier's legs. */
export function applyControls(sim: MarketSimulator, items: readonly ControlPushItem[], nextRef: () => string): PushItemResult[] {
  sim.ensureDayBegun();
  const net = sim.net;
  const L = sim.legs;
  const own = net.own;
  const car = net.carriers[own]!;
  const now = sim.clock.nowMs();
  return items.map((it, index): PushItemResult => {
    const f = resolveFlight(sim, it.flightId);
    if ('error' in f) return { index, status: 'rejected', code: 'unknown_flight', reason: f.error };
    const leg = f.leg;
    const p = L.patternOf(leg);
    if (net.patterns.carrier[p] !== own) return { index, status: 'rejected', code: 'not_own_flight', reason: `${it.flightId} is operated by ${net.carriers[net.patterns.carrier[p]!]!.code}; its inventory is not ours` };
    if (L.stateOf(leg) !== LEG_ON_SALE) return { index, status: 'rejected', code: 'departed', reason: `flight ${it.flightId} has departed` };
    if (it.authorised === undefined && it.status === undefined && it.bidPriceMinor === undefined) return { index, status: 'rejected', code: 'empty_control', reason: 'give authorised, status or bidPriceMinor' };
    const dec: LegControlDecision = { leg };
    if (it.authorised !== undefined || it.status !== undefined) {
      const cls = it.rbd === undefined ? undefined : car.classOf.get(it.rbd);
      if (cls === undefined) return { index, status: 'rejected', code: 'invalid_rbd', reason: `RBD "${it.rbd ?? ''}" is not in ${car.code}'s ladder` };
      if (it.authorised !== undefined) {
        if (!Number.isInteger(it.authorised) || it.authorised < 0) return { index, status: 'rejected', code: 'negative_authorisation', reason: `authorised must be a whole number >= 0, got ${it.authorised}` };
        const seats = L.capOf(leg, car.cabin[cls]!);
        const most = maxAuthorisation(seats);
        if (it.authorised > most) return { index, status: 'rejected', code: 'exceeds_capacity', reason: `authorised ${it.authorised} exceeds the most this PSS accepts for the cabin's ${seats} seats: ${most} (${MAX_OVERBOOKING_PCT} % overbooking)` };
        const au = new Float64Array(car.nClasses).fill(NaN);
        au[cls] = it.authorised;
        dec.authorisations = au;
      }
      if (it.status !== undefined) {
        const closed = new Float64Array(car.nClasses).fill(NaN);
        closed[cls] = it.status === 'closed' ? 1 : 0;
        dec.closed = closed;
      }
    }
    if (it.bidPriceMinor !== undefined) {
      if (!Number.isSafeInteger(it.bidPriceMinor) || it.bidPriceMinor < 0) return { index, status: 'rejected', code: 'negative_price', reason: `bidPriceMinor must be a whole number >= 0, got ${it.bidPriceMinor}` };
      const ccy = net.currencyIdx.get(it.currency ?? '');
      if (ccy === undefined) return { index, status: 'rejected', code: 'invalid_currency', reason: `currency "${it.currency ?? ''}" has no exchange rate here` };
      const cabin = it.cabin === undefined ? -1 : net.cabins.indexOf(it.cabin);
      if (it.cabin !== undefined && cabin < 0) return { index, status: 'rejected', code: 'invalid_cabin', reason: `cabin "${it.cabin}" does not exist` };
      const value = sim.fares.toValue(it.bidPriceMinor, ccy);
      dec.bidPrices = Float64Array.from(net.cabins, (_, c) => (cabin < 0 || cabin === c ? value : NaN));
    }
    sim.applyDecisions(own, { controls: [dec] }, now, true);
    return { index, status: 'accepted', reference: nextRef() };
  });
}

export interface OrderRequest {
  /** our flights in journey order (operating or our codeshare marketing numbers), with the RBD booked */
  segments: { flightId: string; rbd: string }[];
  origin: string;
  destination: string;
  passengers: number;
  pointOfSale: string;
  channel?: string;
  /** the total the offer quoted (all passengers); the order fails with price_changed if the fare moved */
  expectedTotal?: { amountMinor: number; currency: string };
  /** ancillaries bought with the order (all passengers, in the fare's currency), by segment (1-based, default 1) */
  ancillaries?: { code: string; amountMinor: number; segment?: number }[];
}

export type OrderRejectCode = 'invalid_request' | 'unknown_flight' | 'departed' | 'invalid_itinerary' | 'sold_out' | 'price_changed';

export type OrderResult =
  | { status: 'confirmed'; recordLocator: string; bookingIds: string[]; total: { amountMinor: number; currency: string } }
  | { status: 'rejected'; code: OrderRejectCode; reason: string; currentTotal?: { amountMinor: number; currency: string } };

/** Books an order at the current instant: it counts as a booking like any passenger's. */
export function createOrder(sim: MarketSimulator, req: OrderRequest): OrderResult {
  sim.ensureDayBegun();
  const net = sim.net;
  const L = sim.legs;
  const fs = sim.fares;
  const own = net.own;
  const car = net.carriers[own]!;
  const fail = (code: OrderRejectCode, reason: string, currentTotal?: { amountMinor: number; currency: string }): OrderResult => ({ status: 'rejected', code, reason, currentTotal });
  if (!Number.isInteger(req.passengers) || req.passengers < 1 || req.passengers > 9) return fail('invalid_request', `passengers must be 1..9, got ${req.passengers}`);
  if (req.segments.length < 1 || req.segments.length > 2) return fail('invalid_request', `an order has one or two segments, got ${req.segments.length}`);
  const pos = net.posIdx.get(req.pointOfSale);
  if (pos === undefined) return fail('invalid_request', `point of sale "${req.pointOfSale}" is not served`);
  const channel = Math.max(0, net.channels.indexOf(req.channel ?? 'direct'));
  const m = net.markets.key.get(`${req.origin}-${req.destination}`);
  if (m === undefined) return fail('invalid_itinerary', `no market ${req.origin}-${req.destination}`);
  const legs: number[] = [];
  for (const s of req.segments) {
    const r = resolveFlight(sim, s.flightId);
    if ('error' in r) return fail('unknown_flight', r.error);
    if (L.stateOf(r.leg) !== LEG_ON_SALE || L.saleEndOf(r.leg) <= sim.clock.nowMs()) return fail('departed', `flight ${s.flightId} has departed or closed for sale`);
    legs.push(r.leg);
  }
  const rbd = req.segments[0]!.rbd;
  if (req.segments.some((s) => s.rbd !== rbd)) return fail('invalid_request', 'all segments of an order book the same RBD (one O&D fare)');
  const cls = car.classOf.get(rbd);
  if (cls === undefined) return fail('invalid_request', `RBD "${rbd}" is not in ${car.code}'s ladder`);
  const X = L.dayOf(legs[0]!);
  let path = -1;
  const paths = net.paths;
  for (let i = net.markets.pathStart[m]!; i < net.markets.pathStart[m + 1]! && path < 0; i++) {
    if (paths.carrier[i] !== own || paths.nLegs[i] !== legs.length) continue;
    if (L.index(X, paths.leg0[i]!) !== legs[0]) continue;
    if (legs.length === 2 && L.index(X + paths.leg1DayOffset[i]!, paths.leg1[i]!) !== legs[1]) continue;
    path = i;
  }
  if (path < 0) return fail('invalid_itinerary', `${req.segments.map((s) => s.flightId).join(' + ')} is not a ${car.code} itinerary for ${req.origin}-${req.destination}`);
  const prod = fs.product(own, m, cls);
  const slot = fs.slot(prod, pos);
  const o = fs.hasOverride[slot] ? fs.resolve(slot, X, legs[0]!, sim.curDay) : null;
  const amount = o ? o.amountMinor : fs.amountMinor[slot]!;
  if (!(amount === amount)) return fail('invalid_request', `${car.code} files no ${rbd} fare for ${req.origin}-${req.destination} at point of sale ${req.pointOfSale}`);
  const ccy = o ? o.currency : fs.currency[slot]!;
  const total = { amountMinor: amount * req.passengers, currency: net.currencies[ccy]! };
  if (req.expectedTotal && (req.expectedTotal.amountMinor !== total.amountMinor || req.expectedTotal.currency !== total.currency)) {
    return fail('price_changed', `the fare is now ${total.amountMinor} ${total.currency} for ${req.passengers}, the offer said ${req.expectedTotal.amountMinor} ${req.expectedTotal.currency}`, total);
  }
  // availability for all passengers on every leg, and the bid prices
  const value = o ? o.value : fs.value[slot]!;
  let bids = 0;
  for (let s = 0; s < legs.length; s++) {
    const oc = (s === 0 ? paths.classMap0 : paths.classMap1)[path * L.mc + cls]!;
    const cab = (s === 0 ? paths.opCabin0 : paths.opCabin1)[path * L.mc + cls]!;
    if (oc < 0 || L.leftOf(legs[s]!, oc) < req.passengers) return fail('sold_out', `${rbd} has fewer than ${req.passengers} seats on ${req.segments[s]!.flightId}`);
    bids += L.bidOf(legs[s]!, cab);
  }
  if (bids > 0 && value < bids) return fail('sold_out', `${rbd} is closed by the bid price on this itinerary`);
  const anc: { code: number; seg: number; amountMinor: number }[] = [];
  for (const a of req.ancillaries ?? []) {
    const code = sim.spec.ancillaries.findIndex((x) => x.code === a.code);
    if (code < 0) return fail('invalid_request', `unknown ancillary ${a.code}`);
    if (!Number.isSafeInteger(a.amountMinor) || a.amountMinor < 0) return fail('invalid_request', `ancillary ${a.code}: amountMinor must be a whole number >= 0`);
    const seg = (a.segment ?? 1) - 1;
    if (seg < 0 || seg >= legs.length) return fail('invalid_request', `ancillary ${a.code}: segment ${a.segment} is not in the order`);
    anc.push({ code, seg, amountMinor: a.amountMinor });
  }
  const pnr = sim.commitBooking(path, cls, value, X, sim.clock.nowMs(), req.passengers, pos, channel, 255, 0, -1, 0, null, anc);
  if (pnr < 0) throw new Error('createOrder: the booking log is off (record mode "none"); orders need it');
  const loc = recordLocator(pnr);
  return { status: 'confirmed', recordLocator: loc, bookingIds: legs.map((_, i) => `${loc}-${i + 1}`), total };
}

