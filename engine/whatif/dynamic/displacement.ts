/**
 * Displacement-adjusted value of a seat sold in a class on a leg (DAVN, Smith & Penn 1988; as in
 * the PODS network methods): a local passenger brings the local fare; a connecting passenger brings
 * the journey's fare less the displacement cost on its other leg (that leg's bid price), not a
 * mileage share of the fare. On 3MKT a BOS-LAX passenger in Y0 pays 750: a third by mileage (250) on
 * BOS-ORD, although the seat it takes there is worth the local Y0 fare of 400; on ORD-LAX the
 * displacement view gives 750 less the BOS-ORD bid price.
 */

export interface ConnectingSales {
  /** passengers of the class in the connecting market (one journey day) */
  passengers: number;
  /** the market's fare of the class */
  fare: number;
  /** bid price of the journey's other leg (the seat it displaces there) */
  otherLegBid: number;
}

/**
 * Mean displacement-adjusted revenue per passenger of a class on a leg from one departure's sales:
 * local passengers at the local fare, connecting ones at their fare less the other leg's bid price
 * (at least 0). NaN when nobody bought the class.
 */
export function displacementAdjustedValue(localPassengers: number, localFare: number, connecting: readonly ConnectingSales[]): number {
  let pax = Math.max(0, localPassengers);
  let sum = pax > 0 ? pax * localFare : 0;
  for (const c of connecting) {
    if (!(c.passengers > 0) || !Number.isFinite(c.fare)) continue;
    pax += c.passengers;
    sum += c.passengers * Math.max(0, c.fare - Math.max(0, c.otherLegBid));
  }
  return pax > 0 ? sum / pax : NaN;
}
