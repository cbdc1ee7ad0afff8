/**
 * A synthetic hub network for the review grid benchmark: 20 markets out of FRA, daily departures,
 * 20 RBDs in two cabins, filed fares and inventory, and one flight-specific fare proposal per
 * departure × RBD (published through the decision workflow, as a pricing cycle's would be).
 */
import type { Backend } from '../../engine/backend';
import { addDays } from '../../engine/domain/time';
import { flightId } from '../../engine/domain/types';
import type { RecommendationInput } from '../../engine/workflow/types';

const DESTINATIONS: readonly [string, string, string][] = [
  ['JFK', 'America/New_York', 'US'], ['CDG', 'Europe/Paris', 'FR'], ['LHR', 'Europe/London', 'GB'], ['MAD', 'Europe/Madrid', 'ES'], ['FCO', 'Europe/Rome', 'IT'],
  ['AMS', 'Europe/Amsterdam', 'NL'], ['VIE', 'Europe/Vienna', 'AT'], ['ZRH', 'Europe/Zurich', 'CH'], ['CPH', 'Europe/Copenhagen', 'DK'], ['ARN', 'Europe/Stockholm', 'SE'],
  ['OSL', 'Europe/Oslo', 'NO'], ['HEL', 'Europe/Helsinki', 'FI'], ['WAW', 'Europe/Warsaw', 'PL'], ['PRG', 'Europe/Prague', 'CZ'], ['BUD', 'Europe/Budapest', 'HU'],
  ['LIS', 'Europe/Lisbon', 'PT'], ['ATH', 'Europe/Athens', 'GR'], ['IST', 'Europe/Istanbul', 'TR'], ['DXB', 'Asia/Dubai', 'AE'], ['ORD', 'America/Chicago', 'US'],
];
const LADDER: readonly { rbd: string; cabin: string; fare: number }[] = [
  ...['J', 'C', 'D', 'Z', 'P'].map((rbd, i) => ({ rbd, cabin: 'J', fare: 250_000 - i * 30_000 })),
  ...['Y', 'B', 'M', 'H', 'Q', 'K', 'L', 'V', 'S', 'N', 'O', 'G', 'W', 'T', 'E'].map((rbd, i) => ({ rbd, cabin: 'Y', fare: 90_000 - i * 5_000 })),
];

export const REVIEW_MARKETS = DESTINATIONS.map(([d]) => `FRA-${d}`);

/** Seeds the network and `count` proposals (count ≤ 20 markets × 20 RBDs × days); returns the proposals written. */
export function seedReviewProposals(backend: Backend, count: number, firstDay: string): number {
  const db = backend.store.db;
  const at = backend.store.now();
  const days = Math.ceil(count / (DESTINATIONS.length * LADDER.length));
  db.transaction(() => {
    db.prepare("INSERT INTO carriers (code, name, own) VALUES ('DF', 'DFAE Air', 1)").run();
    const airport = db.prepare('INSERT INTO airports (code, name, time_zone, lat, lon, country) VALUES (?, ?, ?, ?, ?, ?)');
    airport.run('FRA', 'Frankfurt', 'Europe/Berlin', 50.04, 8.56, 'DE');
    DESTINATIONS.forEach(([code, tz, country], i) => airport.run(code, code, tz, 40 + i, -10 + i * 2, country));
    const rbd = db.prepare('INSERT INTO rbds (carrier, rbd, cabin, rank) VALUES (?, ?, ?, ?)');
    LADDER.forEach((r, i) => rbd.run('DF', r.rbd, r.cabin, r.cabin === 'J' ? i : i - 5));
    const fare = db.prepare(`INSERT INTO fares (carrier, origin, destination, rbd, cabin, fare_basis, point_of_sale, currency, amount_minor, valid_from, valid_to, source, updated_at)
      VALUES ('DF', 'FRA', ?, ?, ?, ?, 'DE', 'EUR', ?, ?, ?, 'pss', ?)`);
    const flight = db.prepare(`INSERT INTO flights (id, carrier, flight_number, origin, destination, local_date, departure_utc, arrival_utc, updated_at) VALUES (?, 'DF', ?, 'FRA', ?, ?, ?, ?, ?)`);
    const cabin = db.prepare('INSERT INTO flight_cabins (flight_id, cabin, capacity) VALUES (?, ?, ?)');
    const inv = db.prepare(`INSERT INTO inventory (flight_id, rbd, cabin, sold, authorised, status, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?)`);
    DESTINATIONS.forEach(([d], m) => {
      for (const r of LADDER) fare.run(d, r.rbd, r.cabin, `${r.rbd}OW${m}`, r.fare, firstDay, addDays(firstDay, days + 1), at);
      for (let day = 0; day < days; day++) {
        const date = addDays(firstDay, day);
        const id = flightId('DF', 100 + m, date, 'FRA');
        flight.run(id, 100 + m, d, date, `${date}T08:00:00.000Z`, `${date}T11:00:00.000Z`, at);
        cabin.run(id, 'J', 24);
        cabin.run(id, 'Y', 180);
        LADDER.forEach((r, k) => inv.run(id, r.rbd, r.cabin, (day * 7 + k * 3) % 12, r.cabin === 'J' ? 24 : 180 - k * 8, at));
      }
    });
  })();
  const recs: RecommendationInput[] = [];
  outer: for (let day = 0; day < days; day++) {
    const date = addDays(firstDay, day);
    for (const [m, [d]] of DESTINATIONS.entries()) {
      for (const [k, r] of LADDER.entries()) {
        if (recs.length === count) break outer;
        const move = (((day * 31 + m * 7 + k * 3) % 41) - 20) / 100;
        recs.push({
          kind: 'fare',
          fare: { carrier: 'DF', origin: 'FRA', destination: d, rbd: r.rbd, cabin: r.cabin, fareBasis: `${r.rbd}OW${m}`, pointOfSale: 'DE', currency: 'EUR',
            amountMinor: Math.round((r.fare * (1 + move)) / 100) * 100, validFrom: date, validTo: date, flightId: flightId('DF', 100 + m, date, 'FRA') },
          recommendationId: `ui-bench-${day}-${m}-${r.rbd}`,
          explanation: [{ key: 'base', label: 'Base fare', amount: r.fare }, { key: 'forecast', label: 'Forecast', amount: Math.round((r.fare * (1 + move)) / 100) * 100 - r.fare }],
          guardrails: { floor: null, ceiling: null, maxChangePct: 15 },
        });
      }
    }
  }
  let published = 0;
  for (let i = 0; i < recs.length; i += 10_000) published += backend.decisions.workflow.decisions.ingest(`ui-bench-${i}`, recs.slice(i, i + 10_000)).published;
  return published;
}
