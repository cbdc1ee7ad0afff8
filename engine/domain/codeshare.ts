/**
 * Who flies a departure. A flight of ours operated by another carrier (our codeshare on a partner's flight)
 * carries the partner's seats and inventory: the pricing cycle leaves it to the operating carrier, and the
 * KPIs and the market pickers count only the departures we operate. One test, in TypeScript and in SQL.
 */

/** Whether a departure is operated by another carrier than the one whose number it carries. */
export function partnerOperated(f: { carrier: string; operatingCarrier?: string | null }): boolean {
  return f.operatingCarrier !== undefined && f.operatingCarrier !== null && f.operatingCarrier !== f.carrier;
}

/** SQL: the `flights` row aliased `alias` is operated by the carrier whose number it carries (partnerOperated's negation). */
export function operatedByItsCarrierSql(alias = 'f'): string {
  return `(${alias}.operating_carrier IS NULL OR ${alias}.operating_carrier = ${alias}.carrier)`;
}
