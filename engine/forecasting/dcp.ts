/**
 * Data collection points (DCPs) and the booking periods between them.
 *
 * A DCP list is strictly decreasing days before departure (DBD), e.g. 120 90 … 1 0 (default) or the
 * 3MKT scenario's 63 56 … 3 1. Departure (DBD 0) is always the last DCP: it is appended when missing.
 * Period k is the booking period that ends at DCP k, so with P DCPs there are P periods:
 * - period 0 holds every booking made at or before the first DCP (the whole early horizon:
 *   "bookings before the first DCP belong to the first period");
 * - period k ≥ 1 holds the bookings made while d_k ≤ DBD < d_{k−1}.
 * The snapshot taken at DCP k therefore counts the bookings of periods 0..k; at DCP k the demand still
 * to come is that of periods k+1..P−1 (`fromPeriod = k + 1` in the forecasting functions).
 */

export const DEFAULT_DCPS: readonly number[] = [120, 90, 63, 56, 49, 42, 35, 31, 28, 24, 21, 17, 14, 10, 7, 5, 3, 1, 0];

/** Validates a DCP list (strictly decreasing whole DBD >= 0) and appends 0 when it is missing. */
export function normaliseDcps(dcps: readonly number[]): number[] {
  if (dcps.length === 0) throw new RangeError('DCP list is empty: give the days before departure at which bookings are snapshotted, e.g. 63 56 … 1 0');
  for (let i = 0; i < dcps.length; i++) {
    const d = dcps[i]!;
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`DCP ${i + 1} (${d}) must be a whole number of days before departure >= 0`);
    if (i > 0 && d >= dcps[i - 1]!) throw new RangeError(`DCPs must be strictly decreasing: DCP ${i + 1} (${d}) follows ${dcps[i - 1]}`);
  }
  return dcps[dcps.length - 1] === 0 ? [...dcps] : [...dcps, 0];
}

/**
 * The period a booking made `dbd` days before departure belongs to (dbd may be fractional): the first
 * k with dbd >= d_k. A booking after departure (negative dbd) counts in the last period.
 */
export function periodOfDbd(dcps: readonly number[], dbd: number): number {
  for (let k = 0; k < dcps.length; k++) if (dbd >= dcps[k]!) return k;
  return dcps.length - 1;
}

/**
 * The first period still to come on a day `dbd` days before departure: the periods before it are
 * complete. At a DCP day d_k it is k + 1; between DCPs it is the period in progress (its bookings so
 * far are on hand but it is not complete).
 */
export function firstOpenPeriod(dcps: readonly number[], dbd: number): number {
  for (let k = 0; k < dcps.length; k++) if (dbd > dcps[k]!) return k;
  return dcps.length;
}
