/** Which markets the analyst charts offer first: those flown nonstop (a connecting market has no legs of its own to chart). */
import type { PricingSettings } from '../../engine/api/contract';

type KnownMarket = PricingSettings['knownMarkets'][number];

/** The market with the most nonstop departures on record (the first of equals), else the first one. */
export function busiestMarket(markets: readonly KnownMarket[]): KnownMarket | undefined {
  let best = markets[0];
  for (const m of markets) if (m.departures > (best?.departures ?? 0)) best = m;
  return best;
}

/** The picker's groups: markets flown nonstop, then connecting ones (fares only: their passengers fly other markets' legs). */
export function pickerGroups(markets: readonly KnownMarket[]): { label: string; markets: KnownMarket[] }[] {
  const nonstop = markets.filter((m) => m.departures > 0);
  const connecting = markets.filter((m) => m.departures === 0);
  return [
    ...(nonstop.length ? [{ label: 'Nonstop', markets: nonstop }] : []),
    ...(connecting.length ? [{ label: 'Connecting (fares only, no nonstop flights)', markets: connecting }] : []),
  ];
}
