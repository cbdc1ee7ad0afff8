/**
 * A price that explains itself: ordered components, each an integer number of minor units, summing exactly
 * to the price (no residual term). Used for brand prices, dynamic ancillary prices and offer totals.
 */
import type { CurrencyCode } from '../domain/money';

export interface PriceComponent {
  /** stable machine key, e.g. "fare", "included:BAG1", "rule:brand_order" */
  key: string;
  /** one line a revenue manager reads */
  label: string;
  amountMinor: number;
}

export interface ExplainedPrice {
  amountMinor: number;
  currency: CurrencyCode;
  components: PriceComponent[];
}

export function sumComponents(components: readonly PriceComponent[]): number {
  let s = 0;
  for (const c of components) s += c.amountMinor;
  return s;
}

/** Throws when the components are not integers or do not sum exactly to the price: a bug, never data. */
export function assertExplains(price: ExplainedPrice, where: string): void {
  for (const c of price.components) {
    if (!Number.isSafeInteger(c.amountMinor)) throw new Error(`${where}: component "${c.key}" is ${c.amountMinor}, not an integer number of minor units`);
  }
  const s = sumComponents(price.components);
  if (s !== price.amountMinor) throw new Error(`${where}: components sum to ${s} but the price is ${price.amountMinor} ${price.currency}`);
}
