/**
 * What the dynamic strategy remembers of a flight (one leg pattern) from its own observations: the
 * last `H` flown departures, per class and booking period, the net bookings, whether the class was
 * closed for much of the period (censoring), and the price the class was sold at in the period (our
 * own fares: we set them, so we know them). Plus each class's earned revenue per passenger (the
 * prorated value of a seat sold in it, local and connecting passengers together), smoothed.
 */

export class FlightHistory {
  count = 0;
  private head = 0;
  /** bumps whenever a departure is added (forecasts are cached on it) */
  version = 0;
  /** ring, [slot · nCl · P + c · P + k] */
  readonly bookings: Float64Array;
  readonly closed: Uint8Array;
  readonly price: Float64Array;
  readonly days: Int32Array;
  /** smoothed revenue per passenger by class (NaN until seen) */
  readonly earned: Float64Array;

  constructor(readonly H: number, readonly nCl: number, readonly P: number, private readonly smoothing: number) {
    this.bookings = new Float64Array(H * nCl * P);
    this.closed = new Uint8Array(H * nCl * P);
    this.price = new Float64Array(H * nCl * P);
    this.days = new Int32Array(H);
    this.earned = new Float64Array(nCl).fill(NaN);
  }

  /** The ring slot of the i-th departure, oldest first (0 ≤ i < count). */
  slot(i: number): number {
    return (this.head - this.count + i + this.H) % this.H;
  }

  /**
   * Adds a flown departure: `bookings(c, k)`, `closed(c, k)` and `price(c, k)` per class and period,
   * and its revenue and passengers per class.
   */
  add(day: number, bookings: (c: number, k: number) => number, closed: (c: number, k: number) => boolean, price: (c: number, k: number) => number,
    revenue: (c: number) => number, sold: (c: number) => number): void {
    const { nCl, P } = this;
    const s = this.head;
    const base = s * nCl * P;
    for (let c = 0; c < nCl; c++) {
      for (let k = 0; k < P; k++) {
        const i = base + c * P + k;
        this.bookings[i] = Math.max(0, bookings(c, k));
        this.closed[i] = closed(c, k) ? 1 : 0;
        this.price[i] = price(c, k);
      }
      const pax = sold(c);
      if (pax > 0) {
        const avg = revenue(c) / pax;
        const e = this.earned[c]!;
        this.earned[c] = Number.isNaN(e) ? avg : (1 - this.smoothing) * e + this.smoothing * avg;
      }
    }
    this.days[s] = day;
    this.head = (s + 1) % this.H;
    this.count = Math.min(this.H, this.count + 1);
    this.version++;
  }

  /** Plain-data copy (snapshots of the strategy's state). */
  toJSON(): unknown {
    return { H: this.H, nCl: this.nCl, P: this.P, count: this.count, head: this.head, version: this.version, bookings: this.bookings, closed: this.closed, price: this.price, days: this.days, earned: this.earned };
  }
}
