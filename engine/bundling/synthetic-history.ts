/**
 * A seeded synthetic booking history with a known truth (attach behaviour per purpose and item), for the
 * estimator's tests and for benchmarks. It is not the market simulator: it knows nothing of fares or
 * capacity, only enough to check that the estimators recover what generated the data.
 */
import type { Airport, Booking, FlightLeg, RbdDefinition } from '../domain/types';
import { addDays, localToUtc } from '../domain/time';
import type { AncillaryCode } from './catalogue';
import type { TravelPurpose } from './segments';
import { mulberry32 } from '../domain/random';

export const SYNTHETIC_AIRPORTS: Airport[] = [
  { code: 'FRA', name: 'Frankfurt', timeZone: 'Europe/Berlin', lat: 50.0379, lon: 8.5622, country: 'DE' },
  { code: 'LHR', name: 'London Heathrow', timeZone: 'Europe/London', lat: 51.47, lon: -0.4543, country: 'GB' },
  { code: 'JFK', name: 'New York JFK', timeZone: 'America/New_York', lat: 40.6413, lon: -73.7781, country: 'US' },
];

export const SYNTHETIC_LADDER: RbdDefinition[] = ['Y', 'B', 'M', 'H', 'Q', 'V'].map((rbd, rank) => ({ carrier: 'DF', rbd, cabin: 'Y', rank }));

export interface TruthItem {
  code: AncillaryCode;
  /** catalogue price per unit (minor units); each flight offers it at this times a multiplier */
  basePriceMinor: number;
  /** logistic WTP per purpose */
  wtp: Record<TravelPurpose, { meanMinor: number; scaleMinor: number }>;
}

export interface SyntheticHistoryOptions {
  seed: number;
  days: number;
  bookingsPerFlight: number;
  businessShare: number;
  items: TruthItem[];
  /** multipliers the per-flight offered price is drawn from (a single 1 means prices never vary) */
  priceMultipliers: number[];
  startDate?: string;
}

export interface SyntheticHistory {
  bookings: Booking[];
  legs: FlightLeg[];
  airports: Airport[];
  ladder: RbdDefinition[];
  /** per flight and item, the price offered */
  offered: Map<string, number>;
}

function sigmoid(x: number): number { return 1 / (1 + Math.exp(-x)); }

export function syntheticHistory(o: SyntheticHistoryOptions): SyntheticHistory {
  const rnd = mulberry32(o.seed);
  const start = o.startDate ?? '2025-01-01';
  const legs: FlightLeg[] = [];
  const bookings: Booking[] = [];
  const offered = new Map<string, number>();
  const routes: [string, string, number, string][] = [['FRA', 'LHR', 400, '07:30'], ['FRA', 'JFK', 400 + 1, '10:15']];
  let n = 0;
  for (let d = 0; d < o.days; d++) {
    const date = addDays(start, d);
    for (const [origin, destination, num, time] of routes) {
      const dep = localToUtc(date, time, 'Europe/Berlin');
      const id = `DF${num}/${date}/${origin}`;
      legs.push({
        id, carrier: 'DF', flightNumber: num, origin, destination, localDate: date, departureUtc: dep,
        arrivalUtc: new Date(Date.parse(dep) + (destination === 'JFK' ? 8.5 : 1.6) * 3_600_000).toISOString(), cabins: [{ cabin: 'Y', capacity: 180 }],
      });
      const prices = new Map<AncillaryCode, number>();
      for (const it of o.items) {
        const m = o.priceMultipliers[Math.floor(rnd() * o.priceMultipliers.length)]!;
        const p = Math.round(it.basePriceMinor * m);
        prices.set(it.code, p);
        offered.set(`${id}|${it.code}`, p);
      }
      for (let k = 0; k < o.bookingsPerFlight; k++) {
        const purpose: TravelPurpose = rnd() < o.businessShare ? 'business' : 'leisure';
        const advance = purpose === 'business' ? 0.2 + rnd() * 6 : 12 + rnd() * 90;
        const rbd = purpose === 'business' ? (rnd() < 0.5 ? 'Y' : 'B') : ['M', 'H', 'Q', 'V'][Math.floor(rnd() * 4)]!;
        const passengers = rnd() < 0.8 ? 1 : 2;
        const ancillaries: Booking['ancillaries'] = [];
        for (const it of o.items) {
          const p = prices.get(it.code)!;
          const w = it.wtp[purpose];
          for (let x = 0; x < passengers; x++) if (rnd() < sigmoid((w.meanMinor - p) / w.scaleMinor)) ancillaries.push({ code: it.code, amountMinor: p, currency: 'EUR' });
        }
        n++;
        bookings.push({
          id: `B${n}`, recordLocator: `R${n}`, flightId: id, rbd, cabin: 'Y', journeyOrigin: origin, journeyDestination: destination,
          pointOfSale: 'DE', channel: rnd() < 0.6 ? 'direct' : 'ota', passengers, amountMinor: 10_000, currency: 'EUR',
          bookedAt: new Date(Date.parse(dep) - advance * 86_400_000).toISOString(), status: 'flown', ancillaries,
        });
      }
    }
  }
  return { bookings, legs, airports: SYNTHETIC_AIRPORTS, ladder: SYNTHETIC_LADDER, offered };
}
