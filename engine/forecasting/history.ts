/**
 * The booking history of one forecast key: a leg × RBD (flight number, origin, RBD) or an O&D market ×
 * fare class, over many departures, on the DCP periods of dcp.ts. Row-major departures × periods.
 */

export interface KeyHistory {
  readonly periods: number;
  readonly departures: number;
  /** each departure's local date as a day number (domain/time dayNumber) */
  readonly days: ArrayLike<number>;
  /** gross bookings (passengers booked, before cancellations) made in each period; NaN = not reached yet */
  readonly gross: ArrayLike<number>;
  /** cancellations made in each period of this key's bookings; absent = none recorded */
  readonly cancels?: ArrayLike<number>;
  /** 1 where the class was closed during the period (the bookings seen are censored demand) */
  readonly closed?: ArrayLike<number>;
  /** per departure, for flown ones: passengers who flew and no-shows (NaN when not flown) */
  readonly shows?: ArrayLike<number>;
  readonly noShows?: ArrayLike<number>;
}

/** Checks the shapes of a history and names what is wrong. */
export function checkHistory(h: KeyHistory, where = 'history'): void {
  const cells = h.departures * h.periods;
  if (!Number.isInteger(h.periods) || h.periods < 1) throw new RangeError(`${where}: periods must be a whole number >= 1, got ${h.periods}`);
  if (!Number.isInteger(h.departures) || h.departures < 0) throw new RangeError(`${where}: departures must be a whole number >= 0, got ${h.departures}`);
  if (h.days.length < h.departures) throw new RangeError(`${where}: ${h.days.length} departure days for ${h.departures} departures`);
  for (const [name, a] of [['gross', h.gross], ['cancels', h.cancels], ['closed', h.closed]] as const) {
    if (a && a.length < cells) throw new RangeError(`${where}: ${name} has ${a.length} cells, expected departures × periods = ${cells}`);
  }
  for (const [name, a] of [['shows', h.shows], ['noShows', h.noShows]] as const) {
    if (a && a.length < h.departures) throw new RangeError(`${where}: ${name} has ${a.length} values for ${h.departures} departures`);
  }
}

/** A departure row is complete when every period has been observed. */
export function rowComplete(h: KeyHistory, d: number): boolean {
  for (let p = 0; p < h.periods; p++) if (Number.isNaN(h.gross[d * h.periods + p]!)) return false;
  return true;
}

/**
 * An empty history builder: add departures one by one (for tests, the simulator bridge and the
 * store's curve reader).
 */
export class HistoryBuilder {
  readonly days: number[] = [];
  readonly gross: number[] = [];
  readonly cancels: number[] = [];
  readonly closed: number[] = [];
  readonly shows: number[] = [];
  readonly noShows: number[] = [];
  constructor(readonly periods: number) {}

  add(day: number, gross: ArrayLike<number>, opts: { cancels?: ArrayLike<number>; closed?: ArrayLike<number>; shows?: number; noShows?: number } = {}): this {
    if (gross.length !== this.periods) throw new RangeError(`history: departure on day ${day} has ${gross.length} periods, expected ${this.periods}`);
    this.days.push(day);
    for (let p = 0; p < this.periods; p++) {
      this.gross.push(gross[p]!);
      this.cancels.push(opts.cancels?.[p] ?? 0);
      this.closed.push(opts.closed?.[p] ?? 0);
    }
    this.shows.push(opts.shows ?? NaN);
    this.noShows.push(opts.noShows ?? NaN);
    return this;
  }

  build(): KeyHistory {
    return {
      periods: this.periods,
      departures: this.days.length,
      days: Int32Array.from(this.days),
      gross: Float64Array.from(this.gross),
      cancels: Float64Array.from(this.cancels),
      closed: Uint8Array.from(this.closed),
      shows: Float64Array.from(this.shows),
      noShows: Float64Array.from(this.noShows),
    };
  }
}
