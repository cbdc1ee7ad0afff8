/**
 * Writes a synthetic network (synthetic.ts) into a store, for the store tests and the benchmark:
 * reference data, flights and cabins, the fare ladder, fares and inventory, and the booking history
 * either as raw bookings and inventory snapshots (which rebuildBookingCurves turns into curves) or
 * directly as booking curves (fast, for network-sized benchmarks). Competitor fares and exchange rates
 * go to the pricing-tools tables when the schema has them.
 */
import type { Store } from '../store/db';
import { normaliseDcps } from '../forecasting/dcp';
import { legKeyOf } from './curves';
import type { SyntheticNetwork } from './synthetic';

export interface WriteSyntheticOptions {
  dcps: readonly number[];
  /** 'bookings': raw bookings and snapshots; 'curves': booking_curves rows */
  history: 'bookings' | 'curves';
}

export function writeSyntheticNetwork(store: Store, net: SyntheticNetwork, o: WriteSyntheticOptions): void {
  const db = store.db;
  const now = store.now();
  const dcps = normaliseDcps(o.dcps);
  const dcpsJson = JSON.stringify(dcps);
  const flightById = new Map(net.flights.map((f) => [f.id, f]));
  const has = (t: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
  db.transaction(() => {
    const carriers = new Set([...net.flights.map((f) => f.carrier), ...net.competitorFares.map((c) => c.carrier)]);
    const own = net.flights[0]?.carrier;
    const insCarrier = db.prepare('INSERT OR IGNORE INTO carriers (code, name, own) VALUES (?, ?, ?)');
    for (const c of carriers) insCarrier.run(c, `Carrier ${c}`, c === own ? 1 : 0);
    const insAirport = db.prepare("INSERT OR IGNORE INTO airports (code, name, time_zone, lat, lon) VALUES (?, ?, 'UTC', 0, 0)");
    for (const f of net.flights) { insAirport.run(f.origin, f.origin); insAirport.run(f.destination, f.destination); }
    const insFlight = db.prepare(`INSERT INTO flights (id, carrier, flight_number, origin, destination, local_date, departure_utc, arrival_utc, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insCabin = db.prepare('INSERT INTO flight_cabins (flight_id, cabin, capacity) VALUES (?, ?, ?)');
    for (const f of net.flights) {
      insFlight.run(f.id, f.carrier, f.flightNumber, f.origin, f.destination, f.localDate, f.departureUtc, f.arrivalUtc, now);
      for (const c of f.cabins) insCabin.run(f.id, c.cabin, c.capacity);
    }
    const insRbd = db.prepare('INSERT OR IGNORE INTO rbds (carrier, rbd, cabin, rank) VALUES (?, ?, ?, ?)');
    for (const r of net.rbds) insRbd.run(r.carrier, r.rbd, r.cabin, r.rank);
    const insFare = db.prepare(`INSERT OR IGNORE INTO fares (carrier, origin, destination, rbd, cabin, fare_basis, point_of_sale, currency, amount_minor, valid_from, valid_to, flight_id, source, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'synthetic', ?)`);
    for (const f of net.fares) insFare.run(f.carrier, f.origin, f.destination, f.rbd, f.cabin, f.fareBasis, f.pointOfSale, f.currency, f.amountMinor, f.validFrom, f.validTo, f.flightId ?? '', now);
    const insInv = db.prepare('INSERT INTO inventory (flight_id, rbd, cabin, sold, authorised, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const i of net.inventory) insInv.run(i.flightId, i.rbd, i.cabin, i.sold, i.authorised, i.status, now);
    const cabinOf = new Map(net.rbds.map((r) => [r.rbd, r.cabin]));
    if (o.history === 'curves') {
      const insCurve = db.prepare(`INSERT INTO booking_curves (flight_id, rbd, cabin, flight_key, origin, destination, departure_date, dcps, gross, cancels, closed, shows, no_shows, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const c of net.curves) {
        const f = flightById.get(c.flightId)!;
        insCurve.run(c.flightId, c.rbd, cabinOf.get(c.rbd)!, legKeyOf(f), f.origin, f.destination, f.localDate, dcpsJson, JSON.stringify(c.gross), JSON.stringify(c.cancels ?? []), JSON.stringify(c.closed ?? []), c.shows ?? null, c.noShows ?? null, now);
      }
    } else {
      const insBooking = db.prepare(`INSERT INTO bookings (id, record_locator, flight_id, rbd, cabin, journey_origin, journey_destination, point_of_sale, channel, passengers, amount_minor, currency, booked_at, status, status_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const insSnap = db.prepare('INSERT OR IGNORE INTO inventory_snapshots (flight_id, rbd, captured_at, days_before_departure, sold, authorised, status) VALUES (?, ?, ?, ?, ?, ?, ?)');
      const fareOf = new Map(net.fares.map((f) => [`${f.origin}|${f.destination}|${f.rbd}`, f]));
      let seq = 0;
      for (const c of net.curves) {
        const f = flightById.get(c.flightId)!;
        const dep = Date.parse(f.departureUtc);
        const fare = fareOf.get(`${f.origin}|${f.destination}|${c.rbd}`)!;
        let noShowsLeft = c.noShows ?? 0;
        const flown = c.shows !== null && c.shows !== undefined;
        c.gross.forEach((g, p) => {
          if (g === null) return;
          // the middle of the period (the first period: a week before its DCP)
          const dbd = p === 0 ? dcps[0]! + 7 : (dcps[p - 1]! + dcps[p]!) / 2;
          const at = new Date(dep - dbd * 86_400_000).toISOString();
          let cancelsLeft = c.cancels?.[p] ?? 0;
          for (let k = 0; k < g; k++) {
            seq++;
            let status = flown ? 'flown' : 'booked';
            let statusAt: string | null = null;
            if (cancelsLeft > 0) { status = 'cancelled'; statusAt = at; cancelsLeft--; } else if (flown && noShowsLeft > 0) { status = 'no_show'; statusAt = f.departureUtc; noShowsLeft--; }
            insBooking.run(`B${seq}`, `PNR${seq}`, c.flightId, c.rbd, cabinOf.get(c.rbd)!, f.origin, f.destination, 'DE', 'direct', 1, fare.amountMinor, fare.currency, at, status, statusAt);
          }
          if (c.closed?.[p]) insSnap.run(c.flightId, c.rbd, new Date(dep - dcps[p]! * 86_400_000).toISOString(), dcps[p]!, 0, 0, 'closed');
        });
      }
    }
    if (has('competitor_fares')) {
      const ins = db.prepare('INSERT OR IGNORE INTO competitor_fares (carrier, origin, destination, departure_date, cabin, amount_minor, currency, observed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const c of net.competitorFares) ins.run(c.carrier, c.origin, c.destination, c.departureDate, c.cabin, c.amountMinor, c.currency, c.observedAt);
    }
    if (has('exchange_rates')) {
      const ins = db.prepare('INSERT OR REPLACE INTO exchange_rates (base, quote, date, rate, updated_at) VALUES (?, ?, ?, ?, ?)');
      for (const r of net.exchangeRates) ins.run(r.base, r.quote, r.date, r.rate, now);
    }
  })();
}
