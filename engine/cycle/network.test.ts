import { describe, expect, it } from 'vitest';
import { addDays } from '../domain/time';
import { DEFAULT_DCPS } from '../forecasting/dcp';
import { ExchangeRates } from '../pricing/competitor';
import type { CabinContext } from '../pricing/cycle';
import type { OdCurveBooking } from '../pricing/curves';
import type { BidPriceRecommendation, FareRecommendation, ForecastRecord } from '../pricing/types';
import { connectingPairs, DEFAULT_CONNECTION_RULES, networkDay, OdDemand, type NetworkLeg } from './network';

const NOW = '2026-03-01T06:00:00.000Z';
const DAY = '2026-03-10';

/** A leg on `date` leaving at `dep` and arriving at `arr` (UTC hours). */
const leg = (id: string, origin: string, destination: string, date: string, dep: string, arr: string): NetworkLeg =>
  ({ id: `${id}/${date}/${origin}`, origin, destination, localDate: date, departureUtc: `${date}T${dep}:00.000Z`, arrivalUtc: `${date}T${arr}:00.000Z` });

/** The hub day: LHR→FRA 07–09, FRA→JFK 10–18 (connects), FRA→MAD 16–18 (7 h later: too long), FRA→LHR 10–11 (back). */
const dayLegs = (date: string) => [
  leg('DF1', 'LHR', 'FRA', date, '07:00', '09:00'),
  leg('DF2', 'FRA', 'JFK', date, '10:00', '18:00'),
  leg('DF3', 'FRA', 'MAD', date, '16:00', '18:00'),
  leg('DF4', 'FRA', 'LHR', date, '10:00', '11:00'),
];

/** Flown history: LHR-JFK journeys in class Y booked 10 days out, 4 passengers on every other served day. */
function history(days: number) {
  const flights: NetworkLeg[] = [];
  const bookings: OdCurveBooking[] = [];
  for (let d = -days; d <= 20; d++) {
    const date = addDays('2026-03-01', d);
    const legs = dayLegs(date);
    flights.push(...legs);
    if (d < 0 && d % 2 === 0) {
      bookings.push({ flightId: legs[0]!.id, journeyOrigin: 'LHR', journeyDestination: 'JFK', rbd: 'Y', passengers: 4, bookedAt: `${addDays(date, -10)}T12:00:00.000Z`, status: 'flown' });
    }
  }
  return { flights, bookings };
}

function served(flights: NetworkLeg[]) {
  return (markets: ReadonlySet<string>) => {
    const out = new Map<string, Map<string, string>>();
    const byDate = new Map<string, NetworkLeg[]>();
    for (const f of flights) (byDate.get(f.localDate) ?? byDate.set(f.localDate, []).get(f.localDate)!).push(f);
    for (const [date, legs] of byDate) {
      for (const [a, b] of connectingPairs(legs, DEFAULT_CONNECTION_RULES, (o, d) => markets.has(`${o}-${d}`))) {
        (out.get(`${a.origin}-${b.destination}`) ?? out.set(`${a.origin}-${b.destination}`, new Map()).get(`${a.origin}-${b.destination}`)!).set(date, a.departureUtc);
      }
    }
    return out;
  };
}

const context = (flightId: string, currency: string, remainingSeats: number): CabinContext => ({
  flightId, cabin: 'Y', currency, daysToDeparture: 9, fromPeriod: 3, physicalCapacity: 100, authorisedCapacity: 100, sold: 100 - remainingSeats, remainingSeats,
  demandModel: 'independent', forecastMethod: 'additive', demandToCome: 0, demandSd: 0, showRate: 1, fallback: null, bidPriceMinor: 0,
  competitor: { strategy: 'ignore', minMinor: null, q1Minor: null, q3Minor: null, carriers: [], targetMinor: null, note: null, rates: {} }, elasticity: null,
});
const forecast = (flightId: string, mean: number): ForecastRecord => ({
  flightId, cabin: 'Y', rbd: 'Y', method: 'additive', fromPeriod: 3, dcps: [], periodMean: [], periodSd: [], mean, sd: 1, cancellations: 0, netFinal: mean, showRate: 1, fallback: null,
});
const fare = (l: NetworkLeg, currency: string, minor: number): FareRecommendation => ({
  kind: 'fare', key: `${l.id}/Y/Y`, flightId: l.id, cabin: 'Y', rbd: 'Y', origin: l.origin, destination: l.destination, departureDate: l.localDate, daysToDeparture: 9,
  currency, currentMinor: minor, recommendedMinor: minor, pricingMode: 'continuous', explanation: { currency, components: [], guardrailsApplied: [], conflicts: [] },
});
const bid = (l: NetworkLeg, currency: string): BidPriceRecommendation => ({
  kind: 'bid_price', key: `${l.id}/Y`, flightId: l.id, cabin: 'Y', origin: l.origin, destination: l.destination, departureDate: l.localDate, daysToDeparture: 9,
  currency, currentMinor: 1_000, recommendedMinor: 2_000, explanation: { method: 'emsr', remainingSeats: 3 },
});

describe('network stage: connections, O&D demand and the day LP', () => {
  it('connects legs of one day within the connection window, never back to the origin', () => {
    const legs = dayLegs(DAY);
    const pairs = connectingPairs(legs, DEFAULT_CONNECTION_RULES, () => true).map(([a, b]) => `${a.origin}-${a.destination}-${b.destination}`);
    expect(pairs).toEqual(['LHR-FRA-JFK']); // FRA→MAD leaves 7 h after the arrival; FRA→LHR returns
    expect(connectingPairs(legs, DEFAULT_CONNECTION_RULES, (o, d) => `${o}-${d}` !== 'LHR-JFK')).toEqual([]);
    expect(connectingPairs([legs[0]!, leg('DF2', 'FRA', 'JFK', '2026-03-11', '10:00', '18:00')], DEFAULT_CONNECTION_RULES, () => true)).toEqual([]);
  });

  it('forecasts O&D demand from the journeys, counting served days without a booking as zero', () => {
    const { flights, bookings } = history(40);
    const od = new OdDemand(flights, bookings, DEFAULT_DCPS, NOW, served(flights));
    expect([...od.markets]).toEqual(['LHR-JFK']);
    const first = dayLegs(DAY)[0]!;
    const withZeros = od.demand('LHR', 'JFK', 'Y', DAY, first.departureUtc);
    // 4 passengers every other day, all booked 10 days out: about 2 a day still to come 9 days out
    expect(withZeros).toBeGreaterThan(1.5);
    expect(withZeros).toBeLessThan(2.5);
    const onlyBooked = new OdDemand(flights, bookings, DEFAULT_DCPS, NOW, () => new Map());
    expect(onlyBooked.demand('LHR', 'JFK', 'Y', DAY, first.departureUtc)).toBeGreaterThan(3.5); // without the zero days: biased up
    expect(od.demand('LHR', 'JFK', 'M', DAY, first.departureUtc)).toBe(0);
    expect(od.demand('LHR', 'MAD', 'Y', DAY, first.departureUtc)).toBe(0);
    // an analyst's demand influence on journeys to JFK that day applies; one on another market or day does not
    const strike = (o: { origin?: string; destination?: string; from?: string }) => new OdDemand(flights, bookings, DEFAULT_DCPS, NOW, served(flights), [{ name: 'Strike', from: o.from ?? DAY, to: o.from ?? DAY, factor: 0.5, ...o }])
      .demand('LHR', 'JFK', 'Y', DAY, first.departureUtc);
    expect(strike({ destination: 'JFK' })).toBeCloseTo(withZeros * 0.5, 10);
    expect(strike({ origin: 'LHR', destination: 'JFK' })).toBeCloseTo(withZeros * 0.5, 10);
    expect(strike({})).toBeCloseTo(withZeros * 0.5, 10);
    expect(strike({ origin: 'FRA', destination: 'JFK' })).toBeCloseTo(withZeros, 10);
    expect(strike({ destination: 'JFK', from: '2026-03-12' })).toBeCloseTo(withZeros, 10);
    // one bound to a cabin applies to that cabin's classes only
    const inCabin = (cabin: string) => new OdDemand(flights, bookings, DEFAULT_DCPS, NOW, served(flights), [{ name: 'Fair', from: DAY, to: DAY, factor: 2, cabin }], (rbd) => (rbd === 'Y' ? 'Y' : 'J'))
      .demand('LHR', 'JFK', 'Y', DAY, first.departureUtc);
    expect(inCabin('Y')).toBeCloseTo(withZeros * 2, 10);
    expect(inCabin('J')).toBeCloseTo(withZeros, 10);
  });

  it('sets LP bid prices on the connected legs in each leg\'s own currency, local demand net of the connecting', async () => {
    const { flights, bookings } = history(40);
    const od = new OdDemand(flights, bookings, DEFAULT_DCPS, NOW, served(flights));
    const [lhr, jfk] = dayLegs(DAY);
    const rates = new ExchangeRates([{ base: 'EUR', quote: 'GBP', rate: 0.85, date: '2026-02-01' }]);
    const input = {
      date: DAY, now: NOW, legs: dayLegs(DAY),
      contexts: [context(lhr!.id, 'GBP', 3), context(jfk!.id, 'EUR', 3)],
      // local demand on both legs counts the connecting passengers too
      forecasts: [forecast(lhr!.id, 4), forecast(jfk!.id, 4)],
      fares: [fare(lhr!, 'GBP', 15_000), fare(jfk!, 'EUR', 40_000)],
      bidPrices: [bid(lhr!, 'GBP'), bid(jfk!, 'EUR')],
    };
    const env = { od, rates, rules: DEFAULT_CONNECTION_RULES, throughFare: (o: string, d: string, rbd: string) => (o === 'LHR' && d === 'JFK' && rbd === 'Y' ? { amountMinor: 60_000, currency: 'EUR', cabin: 'Y' } : null) };
    const r = (await networkDay(input, env))!;
    expect(r).toMatchObject({ itineraries: 1, legs: 2, currency: 'EUR', warnings: [] });
    const byKey = new Map(r.bidPrices.map((b) => [b.key, b]));
    // 3 seats a leg, ~2 connecting journeys (600 EUR) and 2 locals net of them on each leg: the LP sells both
    // connecting seats and one local per leg, so each leg's seat is worth its local fare, converted back
    expect(byKey.get(`${jfk!.id}/Y`)).toMatchObject({ currency: 'EUR', recommendedMinor: 40_000, currentMinor: 1_000, explanation: { method: 'lp', remainingSeats: 3 } });
    expect(byKey.get(`${lhr!.id}/Y`)).toMatchObject({ currency: 'GBP', currentMinor: 1_000 });
    expect(Math.abs(byKey.get(`${lhr!.id}/Y`)!.recommendedMinor - 15_000)).toBeLessThanOrEqual(1);
    expect({ open: r.open, closed: r.closed }).toEqual({ open: 1, closed: 0 }); // 600 EUR > 176.47 + 400

    // a leg whose currency cannot be converted stays with its EMSR-b bid price, said so
    const noRate = await networkDay(input, { ...env, rates: new ExchangeRates([]) });
    expect(noRate).toBeNull(); // the only itinerary needs the GBP leg
    const noFare = await networkDay(input, { ...env, throughFare: () => null });
    expect(noFare).toBeNull();
  });
});
