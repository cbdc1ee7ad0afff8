/**
 * Outcome measures per carrier over a range of departure dates, for the revenue simulation (issue 10)
 * and the realism checks: revenue, passengers, load factor, yield, average fare, fare mix by class and
 * the booking curve by DCP.
 */
import type { MarketSimulator } from './simulator';
import { LEG_DEPARTED, LEG_NONE } from './legs';

export interface CarrierResult {
  carrier: string;
  /** revenue of the journeys the carrier sold (marketing carrier), base currency, major units */
  revenue: number;
  /** passengers on those journeys (O&D passengers) */
  passengers: number;
  /** seats flown and seats sold on the legs the carrier operates */
  seats: number;
  seatsSold: number;
  loadFactor: number;
  /** revenue passenger-km and available seat-km of its operated legs */
  rpk: number;
  ask: number;
  /** revenue per RPK of its operated legs (prorated leg revenue / RPK) */
  yield: number;
  /** revenue per passenger */
  averageFare: number;
  legDepartures: number;
  /** passengers who showed up on its departed legs beyond the seats (overbooked) and were not boarded */
  deniedBoardings: number;
}

export function carrierResults(sim: MarketSimulator, fromDay: number, toDay: number): CarrierResult[] {
  const net = sim.net;
  const L = sim.legs;
  return net.carriers.map((car) => {
    const t = sim.marketingTotals(car.idx, fromDay, toDay);
    let seats = 0;
    let sold = 0;
    let rpk = 0;
    let ask = 0;
    let legRevenue = 0;
    let legs = 0;
    let denied = 0;
    for (let X = Math.max(fromDay, L.day0); X <= toDay && X < L.day0 + L.nDays; X++) {
      for (let p = 0; p < net.patterns.n; p++) {
        if (net.patterns.carrier[p] !== car.idx) continue;
        const leg = L.index(X, p);
        if (L.stateOf(leg) === LEG_NONE) continue;
        legs++;
        const departed = L.stateOf(leg) === LEG_DEPARTED;
        const km = net.patterns.distanceKm[p]!;
        for (let cab = 0; cab < L.nCab; cab++) {
          seats += L.capOf(leg, cab);
          sold += L.cabSoldOf(leg, cab);
          ask += L.capOf(leg, cab) * km;
          rpk += L.cabSoldOf(leg, cab) * km;
          if (departed) denied += L.cabSoldOf(leg, cab) - L.noShowOf(leg, cab) - L.boardedOf(leg, cab);
        }
        for (let c = 0; c < car.nClasses; c++) legRevenue += L.revenueOf(leg, c);
      }
    }
    return {
      carrier: car.code, revenue: t.revenue, passengers: t.passengers, seats, seatsSold: sold, loadFactor: seats ? sold / seats : 0,
      rpk, ask, yield: rpk ? legRevenue / rpk : 0, averageFare: t.passengers ? t.revenue / t.passengers : 0, legDepartures: legs,
      deniedBoardings: denied,
    };
  });
}

/** Seats sold by class on a carrier's operated legs over departure dates [from, to]. */
export function fareMix(sim: MarketSimulator, carrier: number, fromDay: number, toDay: number): { rbd: string; cabin: string; seats: number; share: number }[] {
  const net = sim.net;
  const L = sim.legs;
  const car = net.carriers[carrier]!;
  const seats = new Float64Array(car.nClasses);
  for (let X = Math.max(fromDay, L.day0); X <= toDay && X < L.day0 + L.nDays; X++) {
    for (let p = 0; p < net.patterns.n; p++) {
      if (net.patterns.carrier[p] !== carrier) continue;
      const leg = L.index(X, p);
      if (L.stateOf(leg) === LEG_NONE) continue;
      for (let c = 0; c < car.nClasses; c++) seats[c] += L.soldOf(leg, c);
    }
  }
  const total = seats.reduce((a, b) => a + b, 0);
  return car.rbd.map((rbd, c) => ({ rbd, cabin: net.cabins[car.cabin[c]!]!, seats: seats[c]!, share: total ? seats[c]! / total : 0 }));
}

/** Average cumulative net bookings per departure at each DCP (period k ends at DCP k) on a carrier's legs. */
export function bookingCurve(sim: MarketSimulator, carrier: number, fromDay: number, toDay: number): { dcp: number; bookings: number }[] {
  const net = sim.net;
  const L = sim.legs;
  const P = net.nPeriods;
  const car = net.carriers[carrier]!;
  const sums = new Float64Array(P);
  let n = 0;
  for (let X = Math.max(fromDay, L.day0); X <= toDay && X < L.day0 + L.nDays; X++) {
    for (let p = 0; p < net.patterns.n; p++) {
      if (net.patterns.carrier[p] !== carrier) continue;
      const leg = L.index(X, p);
      if (L.stateOf(leg) === LEG_NONE) continue;
      n++;
      for (let c = 0; c < car.nClasses; c++) for (let k = 0; k < P; k++) sums[k] += L.netOf(leg, c, k);
    }
  }
  let cum = 0;
  return net.dcps.map((d, k) => { cum += sums[k]!; return { dcp: d, bookings: n ? cum / n : 0 }; });
}
