/** The market picker of the analyst charts, the branded fares and the offer simulator: our nonstop markets first, then the others (marketPicks.ts). */
import type { PricingSettings } from '../../engine/api/contract';
import { pickerGroups } from '../screens/marketPicks';

type KnownMarket = PricingSettings['knownMarkets'][number];

export function MarketSelect({ markets, value, onChange, testId, required }: {
  markets: readonly KnownMarket[];
  /** "ORG-DST", or '' for none chosen yet */
  value: string;
  onChange: (m: { origin: string; destination: string }) => void;
  testId: string;
  required?: boolean;
}) {
  return (
    <select value={value} data-testid={testId} required={required} onChange={(e) => { const [o, d] = e.target.value.split('-'); if (o && d) onChange({ origin: o, destination: d }); }}>
      {!value && <option value="">Choose…</option>}
      {value && !markets.some((m) => `${m.origin}-${m.destination}` === value) && <option value={value}>{value}</option>}
      {pickerGroups(markets).map((g) => (
        <optgroup key={g.label} label={g.label}>
          {g.markets.map((m) => <option key={`${m.origin}-${m.destination}`} value={`${m.origin}-${m.destination}`}>{m.origin}-{m.destination}</option>)}
        </optgroup>
      ))}
    </select>
  );
}
