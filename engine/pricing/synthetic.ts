/**
 * A synthetic network for tests and the benchmark: daily flights of one carrier on a few markets with
 * two cabins, fare ladders, history booking curves (Poisson bookings per DCP period, day-of-week
 * pattern, random class closures, cancellations and no-shows), the current inventory of the
 * departures ahead, competitor fares in another currency and dated exchange rates. Seeded.
 */
import type { Fare, FlightLeg, InventoryRecord, RbdDefinition } from '../domain/types';
import { addDays, dayNumber } from '../domain/time';
import { firstOpenPeriod, normaliseDcps } from '../forecasting/dcp';
import { seededRng } from '../forecasting/rng';
import type { CompetitorFare, ExchangeRate } from './competitor';
import type { BookingCurve } from './curves';

export interface SyntheticNetworkOptions {
  seed: number;
  /** daily flights (flight numbers firstFlight..firstFlight + flights − 1) */
  flights: number;
  /** first flight number (default 1); every flight draws from its own seeded stream, so a network
   * generated in batches of flight numbers is the same as one generated at once */
  firstFlight?: number;
  /** departure days ahead of `today` to price */
  daysAhead: number;
  /** flown days of history before `today` */
  historyDays: number;
  today: string;
  dcps: readonly number[];
  carrier?: string;
  currency?: string;
  /** include the curves of the departures still in their horizon (periods reached so far) */
  currentCurves?: boolean;
}

export interface SyntheticNetwork {
  flights: FlightLeg[];
  rbds: RbdDefinition[];
  fares: Fare[];
  inventory: InventoryRecord[];
  curves: BookingCurve[];
  competitorFares: CompetitorFare[];
  exchangeRates: ExchangeRate[];
  now: string;
}

export const SYNTHETIC_LADDER: readonly { rbd: string; cabin: string; rank: number; fare: number; share: number }[] = [
  { rbd: 'J', cabin: 'J', rank: 0, fare: 120000, share: 0.45 },
  { rbd: 'C', cabin: 'J', rank: 1, fare: 80000, share: 0.55 },
  { rbd: 'Y', cabin: 'Y', rank: 0, fare: 40000, share: 0.12 },
  { rbd: 'M', cabin: 'Y', rank: 1, fare: 26000, share: 0.2 },
  { rbd: 'K', cabin: 'Y', rank: 2, fare: 17000, share: 0.3 },
  { rbd: 'Q', cabin: 'Y', rank: 3, fare: 11000, share: 0.38 },
];

const AIRPORTS = ['FRA', 'JFK', 'LHR', 'CDG', 'MAD', 'FCO', 'AMS', 'VIE', 'ZRH', 'CPH', 'OSL', 'ARN', 'HEL', 'WAW', 'PRG', 'BUD'];
/** share of a class's demand arriving in each period, before the first DCP through departure */
function periodShape(P: number, early: boolean): number[] {
  const w = Array.from({ length: P }, (_, p) => (early ? 1.6 - p / P : 0.4 + (1.4 * p) / P));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}

/** A market's fare level (0.8..1.2), the same whichever batch first meets the market. */
function marketLevel(seed: number, market: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < market.length; i++) h = Math.imul(h ^ market.charCodeAt(i), 0x01000193) >>> 0;
  return 0.8 + 0.4 * seededRng(h).next();
}

export function syntheticNetwork(o: SyntheticNetworkOptions): SyntheticNetwork {
  const carrier = o.carrier ?? 'XX';
  const currency = o.currency ?? 'EUR';
  const dcps = normaliseDcps(o.dcps);
  const P = dcps.length;
  const now = `${o.today}T03:00:00.000Z`;
  const capacity = { J: 24, Y: 156 };
  const rbds: RbdDefinition[] = SYNTHETIC_LADDER.map((l) => ({ carrier, rbd: l.rbd, cabin: l.cabin, rank: l.rank }));
  const flights: FlightLeg[] = [];
  const fares: Fare[] = [];
  const inventory: InventoryRecord[] = [];
  const curves: BookingCurve[] = [];
  const competitorFares: CompetitorFare[] = [];
  const markets = new Map<string, number>();
  const shapes = SYNTHETIC_LADDER.map((l) => periodShape(P, l.rank >= 2 || l.rbd === 'C'));
  const first = o.firstFlight ?? 1;
  for (let fn = first; fn < first + o.flights; fn++) {
    const rng = seededRng(Math.imul(o.seed, 100_003) + fn);
    const a = AIRPORTS[(fn * 7) % AIRPORTS.length]!;
    const b = AIRPORTS[(fn * 7 + 1 + (fn % 5)) % AIRPORTS.length]!;
    const [origin, destination] = fn % 2 === 0 ? [a, b] : [b, a];
    const hour = 6 + (fn % 15);
    const level = 0.7 + 0.6 * rng.next(); // the flight's demand relative to its capacity
    const mk = `${origin}-${destination}`;
    if (!markets.has(mk)) {
      markets.set(mk, marketLevel(o.seed, mk));
      for (const l of SYNTHETIC_LADDER) {
        fares.push({ carrier, origin, destination, rbd: l.rbd, cabin: l.cabin, fareBasis: `${l.rbd}${l.cabin}OW`, pointOfSale: 'DE', currency, amountMinor: Math.round((l.fare * markets.get(mk)!) / 100) * 100, validFrom: addDays(o.today, -o.historyDays - 1), validTo: addDays(o.today, o.daysAhead + 1) });
      }
    }
    for (let d = -o.historyDays; d < o.daysAhead; d++) {
      const date = addDays(o.today, d);
      const id = `${carrier}${fn}/${date}/${origin}`;
      const dep = new Date(Date.UTC(1970, 0, 1 + dayNumber(date), hour)).toISOString();
      const arr = new Date(Date.parse(dep) + 2 * 3_600_000).toISOString();
      flights.push({ id, carrier, flightNumber: fn, origin, destination, localDate: date, departureUtc: dep, arrivalUtc: arr, cabins: [{ cabin: 'J', capacity: capacity.J }, { cabin: 'Y', capacity: capacity.Y }] });
      const dow = ((dayNumber(date) + 3) % 7 + 7) % 7;
      const dowFactor = dow === 4 || dow === 6 ? 1.25 : dow === 1 ? 0.85 : 1;
      const dbd = (Date.parse(dep) - Date.parse(now)) / 86_400_000;
      const reached = d < 0 ? P : firstOpenPeriod(dcps, dbd);
      SYNTHETIC_LADDER.forEach((l, i) => {
        const cabinSeats = capacity[l.cabin as 'J' | 'Y'];
        const mean = cabinSeats * 1.05 * level * dowFactor * l.share;
        const gross: (number | null)[] = [];
        const cancels: number[] = [];
        const closed: number[] = [];
        let sold = 0;
        for (let p = 0; p < P; p++) {
          if (p >= reached) { gross.push(null); cancels.push(0); closed.push(0); continue; }
          let x = rng.poisson(mean * shapes[i]![p]!);
          const shut = l.rank >= 2 && p >= P - 6 && rng.next() < 0.35 ? 1 : 0;
          if (shut) x = Math.floor(x * 0.3);
          let c = 0;
          for (let k = 0; k < x; k++) if (rng.next() < 0.06) c++;
          gross.push(x); cancels.push(c); closed.push(shut);
          sold += x - c;
        }
        const flown = d < 0;
        const noShows = flown ? Math.round(sold * 0.05 * rng.next() * 2) : null;
        if (flown || o.currentCurves) curves.push({ flightId: id, rbd: l.rbd, gross, cancels, closed, shows: flown ? sold - noShows! : null, noShows });
        if (!flown) inventory.push({ flightId: id, rbd: l.rbd, cabin: l.cabin, sold, authorised: cabinSeats, status: 'open' });
      });
      if (d >= 0 && d % 3 === 0) {
        for (const [k, comp] of [['YY', 0.95], ['ZZ', 1.08]] as const) {
          competitorFares.push({ carrier: k, origin, destination, departureDate: date, cabin: 'Y', amountMinor: Math.round(11000 * markets.get(mk)! * comp * (0.9 + 0.2 * rng.next()) * 1.1), currency: 'USD', observedAt: `${addDays(o.today, -1)}T12:00:00Z` });
        }
      }
    }
  }
  const exchangeRates: ExchangeRate[] = [
    { base: 'EUR', quote: 'USD', rate: 1.1, date: addDays(o.today, -30) },
    { base: 'EUR', quote: 'USD', rate: 1.08, date: addDays(o.today, -3) },
  ];
  return { flights, rbds, fares, inventory, curves, competitorFares, exchangeRates, now };
}
