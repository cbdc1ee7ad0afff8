/**
 * A seeded synthetic hub network (schedule, inventory, fares, taxes) for the assembler's tests and the
 * offers benchmark: spokes around a hub, flights in banks so passengers connect, some flights operated by
 * a partner under our code. It stands in for the sandbox network until the simulator exports one.
 */
import type { Airport, Fare, FlightLeg, InventoryRecord, RbdDefinition } from '../domain/types';
import { addDays, localToUtc, utcToLocal } from '../domain/time';
import { greatCircleKm } from '../bundling/haul';
import { mulberry32 } from '../domain/random';
import type { TaxRule } from './taxes';

export const NETWORK_AIRPORTS: Airport[] = [
  { code: 'FRA', name: 'Frankfurt', timeZone: 'Europe/Berlin', lat: 50.0379, lon: 8.5622, country: 'DE' },
  { code: 'LHR', name: 'London Heathrow', timeZone: 'Europe/London', lat: 51.47, lon: -0.4543, country: 'GB' },
  { code: 'CDG', name: 'Paris Charles de Gaulle', timeZone: 'Europe/Paris', lat: 49.0097, lon: 2.5479, country: 'FR' },
  { code: 'MAD', name: 'Madrid Barajas', timeZone: 'Europe/Madrid', lat: 40.4983, lon: -3.5676, country: 'ES' },
  { code: 'JFK', name: 'New York JFK', timeZone: 'America/New_York', lat: 40.6413, lon: -73.7781, country: 'US' },
  { code: 'FCO', name: 'Rome Fiumicino', timeZone: 'Europe/Rome', lat: 41.8003, lon: 12.2389, country: 'IT' },
  { code: 'AMS', name: 'Amsterdam Schiphol', timeZone: 'Europe/Amsterdam', lat: 52.3105, lon: 4.7683, country: 'NL' },
  { code: 'VIE', name: 'Vienna', timeZone: 'Europe/Vienna', lat: 48.1103, lon: 16.5697, country: 'AT' },
  { code: 'ZRH', name: 'Zurich', timeZone: 'Europe/Zurich', lat: 47.4582, lon: 8.5555, country: 'CH' },
  { code: 'CPH', name: 'Copenhagen', timeZone: 'Europe/Copenhagen', lat: 55.618, lon: 12.656, country: 'DK' },
  { code: 'ARN', name: 'Stockholm Arlanda', timeZone: 'Europe/Stockholm', lat: 59.6498, lon: 17.9238, country: 'SE' },
  { code: 'OSL', name: 'Oslo Gardermoen', timeZone: 'Europe/Oslo', lat: 60.1976, lon: 11.1004, country: 'NO' },
  { code: 'WAW', name: 'Warsaw Chopin', timeZone: 'Europe/Warsaw', lat: 52.1657, lon: 20.9671, country: 'PL' },
  { code: 'PRG', name: 'Prague', timeZone: 'Europe/Prague', lat: 50.1008, lon: 14.26, country: 'CZ' },
  { code: 'BUD', name: 'Budapest', timeZone: 'Europe/Budapest', lat: 47.4298, lon: 19.2611, country: 'HU' },
  { code: 'ATH', name: 'Athens', timeZone: 'Europe/Athens', lat: 37.9364, lon: 23.9445, country: 'GR' },
  { code: 'LIS', name: 'Lisbon', timeZone: 'Europe/Lisbon', lat: 38.7742, lon: -9.1342, country: 'PT' },
  { code: 'DUB', name: 'Dublin', timeZone: 'Europe/Dublin', lat: 53.4264, lon: -6.2499, country: 'IE' },
  { code: 'BRU', name: 'Brussels', timeZone: 'Europe/Brussels', lat: 50.901, lon: 4.4844, country: 'BE' },
  { code: 'BCN', name: 'Barcelona', timeZone: 'Europe/Madrid', lat: 41.2974, lon: 2.0833, country: 'ES' },
  { code: 'HEL', name: 'Helsinki', timeZone: 'Europe/Helsinki', lat: 60.3172, lon: 24.9633, country: 'FI' },
  { code: 'ORD', name: "Chicago O'Hare", timeZone: 'America/Chicago', lat: 41.9742, lon: -87.9073, country: 'US' },
  { code: 'YYZ', name: 'Toronto Pearson', timeZone: 'America/Toronto', lat: 43.6777, lon: -79.6248, country: 'CA' },
  { code: 'DXB', name: 'Dubai', timeZone: 'Asia/Dubai', lat: 25.2532, lon: 55.3657, country: 'AE' },
];

export const NETWORK_LADDER: RbdDefinition[] = [
  ...['J', 'C', 'D'].map((rbd, rank) => ({ carrier: 'DF', rbd, cabin: 'J', rank })),
  ...['Y', 'B', 'M', 'H', 'Q', 'V'].map((rbd, rank) => ({ carrier: 'DF', rbd, cabin: 'Y', rank })),
];
const FARE_LEVEL: Record<string, number> = { J: 5, C: 4.2, D: 3.5, Y: 2.6, B: 2, M: 1.6, H: 1.3, Q: 1.05, V: 0.85 };
const CAPACITY = { J: 20, Y: 150 };

export interface SyntheticNetworkOptions {
  seed: number;
  /** spokes around the hub (at most the airports listed less the hub) */
  spokes: number;
  /** round trips per spoke per day */
  rotationsPerDay: number;
  startDate: string;
  days: number;
  /** every n-th spoke's flights are operated by the partner under our code (0: none) */
  codeshareEvery?: number;
}

export interface SyntheticNetwork {
  hub: string;
  ownCarrier: string;
  partner: string;
  airports: Airport[];
  legs: FlightLeg[];
  inventory: InventoryRecord[];
  fares: Fare[];
  ladder: RbdDefinition[];
  taxes: TaxRule[];
}

export function syntheticHubNetwork(o: SyntheticNetworkOptions): SyntheticNetwork {
  const rnd = mulberry32(o.seed);
  const hub = NETWORK_AIRPORTS[0]!;
  const spokes = NETWORK_AIRPORTS.slice(1, 1 + o.spokes);
  if (spokes.length < o.spokes) throw new Error(`at most ${NETWORK_AIRPORTS.length - 1} spokes, asked ${o.spokes}`);
  const legs: FlightLeg[] = [];
  const inventory: InventoryRecord[] = [];
  const blockMinutes = (a: Airport, b: Airport) => Math.round(40 + greatCircleKm(a, b) / 13.5);
  // banks at the hub: arrivals before, departures after
  const bankTimes = Array.from({ length: o.rotationsPerDay }, (_, r) => 7 * 60 + Math.round((r * 13 * 60) / Math.max(1, o.rotationsPerDay)));
  for (let d = 0; d < o.days; d++) {
    const date = addDays(o.startDate, d);
    spokes.forEach((sp, si) => {
      const codeshare = !!o.codeshareEvery && (si + 1) % o.codeshareEvery === 0;
      const block = blockMinutes(sp, hub);
      bankTimes.forEach((bank, r) => {
        const num = 100 + si * 20 + r * 2;
        // spoke → hub arrives 30 minutes before the bank; hub → spoke leaves 60 minutes after it
        const hubArr = localToUtc(date, hhmm(bank - 30), hub.timeZone);
        const inDep = new Date(Date.parse(hubArr) - block * 60_000).toISOString();
        const outDep = localToUtc(date, hhmm(bank + 60), hub.timeZone);
        for (const [from, to, fn, dep] of [[sp, hub, num + 1, inDep], [hub, sp, num, outDep]] as const) {
          const localDate = utcToLocal(dep, from.timeZone).date;
          const leg: FlightLeg = {
            id: `DF${fn}/${localDate}/${from.code}`, carrier: 'DF', flightNumber: fn, origin: from.code, destination: to.code, localDate,
            departureUtc: dep, arrivalUtc: new Date(Date.parse(dep) + block * 60_000).toISOString(),
            ...(codeshare ? { operatingCarrier: 'PA', operatingFlightNumber: 5000 + fn } : {}),
            aircraft: block > 300 ? '359' : '32N', cabins: [{ cabin: 'J', capacity: CAPACITY.J }, { cabin: 'Y', capacity: CAPACITY.Y }],
          };
          legs.push(leg);
          const bid = Math.round((20 + rnd() * 60) * greatCircleKm(from, to) / 100) * 10;
          for (const cabin of ['J', 'Y'] as const) {
            const cls = NETWORK_LADDER.filter((x) => x.cabin === cabin);
            const cap = CAPACITY[cabin];
            cls.forEach((c, i) => {
              const au = Math.round(cap * (1 - i / (cls.length + 1)));
              inventory.push({ flightId: leg.id, rbd: c.rbd, cabin, sold: Math.floor(rnd() * cap * 0.12), authorised: au, status: 'open', bidPriceMinor: bid, currency: 'EUR' });
            });
          }
        }
      });
    });
  }
  // market fares for every O&D served (non-stop and via the hub), sold in the origin's and destination's countries
  const fares: Fare[] = [];
  const all = [hub, ...spokes];
  const validTo = addDays(o.startDate, o.days + 1);
  for (const a of all) for (const b of all) {
    if (a === b) continue;
    const km = greatCircleKm(a, b);
    const base = 3000 + km * 9; // minor units
    for (const pos of new Set([a.country!, b.country!])) {
      for (const r of NETWORK_LADDER) {
        fares.push({
          carrier: 'DF', origin: a.code, destination: b.code, rbd: r.rbd, cabin: r.cabin, fareBasis: `${r.rbd}${r.cabin === 'J' ? 'FLEX' : 'OW'}${pos}`,
          pointOfSale: pos, currency: 'EUR', amountMinor: Math.round((base * FARE_LEVEL[r.rbd]!) / 100) * 100, validFrom: o.startDate, validTo,
        });
      }
    }
  }
  const taxes: TaxRule[] = [
    { code: 'DE', name: 'German air passenger duty', scope: 'departure', countries: ['DE'], exemptTransfer: true, amount: { kind: 'fixed', amountMinor: 1561, currency: 'EUR' } },
    { code: 'UB', name: 'Passenger service charge', scope: 'departure', exemptTransfer: false, amount: { kind: 'fixed', amountMinor: 1200, currency: 'EUR' } },
    { code: 'YQ', name: 'Carrier-imposed surcharge', scope: 'journey', exemptTransfer: false, paxTypes: ['ADT', 'CHD'], amount: { kind: 'percent_of_fare', basisPoints: 500 } },
  ];
  return { hub: hub.code, ownCarrier: 'DF', partner: 'PA', airports: all, legs, inventory, fares, ladder: NETWORK_LADDER, taxes };
}

function hhmm(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
