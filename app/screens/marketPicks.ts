/** Which markets the analyst charts offer first: those we fly nonstop (a connecting or partner-operated market has no legs of ours to chart). */
import type { PricingSettings } from '../../engine/api/contract';

type KnownMarket = PricingSettings['knownMarkets'][number];

/** The market with the most of our nonstop departures on record (the first of equals), else the first one. */
export function busiestMarket(markets: readonly KnownMarket[]): KnownMarket | undefined {
  let best = markets[0];
  for (const m of markets) if (m.departures > (best?.departures ?? 0)) best = m;
  return best;
}

/**
 * The picker's groups: markets we fly nonstop, then the others (fares only: connecting markets, whose passengers
 * fly other markets' legs, and markets we only sell on a partner's flights).
 */
export function pickerGroups(markets: readonly KnownMarket[]): { label: string; markets: KnownMarket[] }[] {
  const nonstop = markets.filter((m) => m.departures > 0);
  const connecting = markets.filter((m) => m.departures === 0);
  return [
    ...(nonstop.length ? [{ label: 'Our nonstop flights', markets: nonstop }] : []),
    ...(connecting.length ? [{ label: 'Connecting or partner-operated (fares only)', markets: connecting }] : []),
  ];
}
