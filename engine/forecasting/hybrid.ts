/**
 * Q-forecasting and hybrid forecasting of one cabin from its classes' booking histories
 * (see sellup.ts for the models).
 *
 * From the per-class histories of a flight's cabin (same departures, same periods, classes in ladder
 * order with their fares), each departure-period's lowest open class is the lowest class not closed
 * in it. Then
 * - Q mode: every booking of the period is price-oriented: Q-equivalents = Σ bookings / P(lowest open);
 * - hybrid mode: bookings in the lowest open class are price-oriented (Q-equivalents), bookings in a
 *   class above it are product-oriented (yieldable) demand for that class; a class that was closed
 *   (or was the lowest open) could not show yieldable demand in the period: censored.
 * The Q history has no censoring (sell-up accounts for the closures); a period with no class open
 * has unknown demand (NaN).
 */
import type { KeyHistory } from './history';
import { frat5For, hybridSplitInto, type Frat5Curve } from './sellup';

export type DemandModel = 'independent' | 'q' | 'hybrid';

export interface CabinHistories {
  /** Q-equivalent (price-oriented) demand per departure and period */
  q: KeyHistory;
  /** product-oriented demand per class (hybrid), censored where it could not be seen; empty in Q mode */
  yieldable: KeyHistory[];
}

/**
 * Builds the Q and yieldable histories of a cabin. `classes` are the classes' histories in ladder
 * order (highest first) over the same departures and periods; `fares` their fares (the last is Q).
 */
export function cabinHistories(classes: readonly KeyHistory[], fares: readonly number[], frat5: Frat5Curve, mode: 'q' | 'hybrid'): CabinHistories {
  const n = classes.length;
  if (n === 0) throw new RangeError('cabin histories: no class given');
  if (fares.length !== n) throw new RangeError(`cabin histories: ${fares.length} fares for ${n} classes`);
  const { departures: D, periods: P, days } = classes[0]!;
  for (const [i, c] of classes.entries()) {
    if (c.departures !== D || c.periods !== P) throw new RangeError(`cabin histories: class ${i + 1} has ${c.departures} × ${c.periods} cells, expected ${D} × ${P} (same departures and periods for every class)`);
  }
  const q = new Float64Array(D * P);
  const yv = classes.map(() => new Float64Array(D * P));
  const yc = classes.map(() => new Uint8Array(D * P));
  const bookings = new Float64Array(n);
  const yieldable = new Float64Array(n);
  for (let d = 0; d < D; d++) {
    for (let p = 0; p < P; p++) {
      const cell = d * P + p;
      let lowestOpen = -1;
      let unseen = false;
      for (let j = 0; j < n; j++) {
        const g = classes[j]!.gross[cell]!;
        if (Number.isNaN(g)) unseen = true;
        bookings[j] = Number.isNaN(g) ? 0 : g;
        if (!classes[j]!.closed?.[cell]) lowestOpen = j;
      }
      if (unseen || lowestOpen < 0) {
        q[cell] = NaN;
        for (let j = 0; j < n; j++) { yv[j]![cell] = unseen ? NaN : 0; yc[j]![cell] = 1; }
        continue;
      }
      const f5 = frat5For(frat5, p);
      if (mode === 'q') {
        let total = 0;
        for (let j = 0; j < n; j++) total += bookings[j]!;
        for (let j = 0; j < n; j++) bookings[j] = j === lowestOpen ? total : 0;
      }
      q[cell] = hybridSplitInto(bookings, fares, lowestOpen, f5, yieldable);
      for (let j = 0; j < n; j++) {
        yv[j]![cell] = yieldable[j]!;
        // a class at or below the lowest open one, or closed, shows no product-oriented demand
        yc[j]![cell] = j >= lowestOpen || classes[j]!.closed?.[cell] ? 1 : 0;
      }
    }
  }
  const base = classes[0]!;
  return {
    q: { periods: P, departures: D, days, gross: q, shows: base.shows, noShows: base.noShows },
    yieldable: mode === 'q' ? [] : classes.map((c, j) => ({ periods: P, departures: D, days, gross: yv[j]!, closed: yc[j]!, cancels: c.cancels })),
  };
}
