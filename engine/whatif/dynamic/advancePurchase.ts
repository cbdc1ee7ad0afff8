/**
 * Whether a class's advance-purchase rule is enforced at sale, learnt from our own bookings: a booking
 * in a period that lies wholly inside the rule's window (fewer days before departure than the advance
 * purchase) shows that it is not (3MKT, as published, disables advance purchase). The forecast then
 * lets the class sell in every period instead of none after its advance purchase.
 */

/**
 * True when a departure booked the class in a period wholly inside its advance-purchase window.
 * `dcps` are days before departure with 0 last (period k holds bookings made d_k ≤ dbd < d_(k−1) days
 * before departure); `bookingsInPeriod(k)` the class's net bookings in period k.
 */
export function bookedInsideAdvancePurchase(dcps: readonly number[], advancePurchaseDays: number, bookingsInPeriod: (k: number) => number): boolean {
  if (advancePurchaseDays <= 0) return false;
  for (let k = 1; k < dcps.length; k++) {
    if (dcps[k - 1]! <= advancePurchaseDays && bookingsInPeriod(k) > 0) return true;
  }
  return false;
}
