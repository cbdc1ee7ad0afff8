/** Why a shopping request gave no offer, in words (the offer simulator's empty answer). */
import type { ShopAnswer } from '../../engine/api/contract';

type Diagnostics = ShopAnswer['diagnostics'];

const REJECTED: Record<Diagnostics['outbound']['rejected'][number]['reason'], string> = {
  no_fare: 'no fare',
  sold_out: 'sold out',
  below_bid_price: 'below the bid price',
  currency: 'not in the currency of the sale',
};

/** Per direction: the itineraries found, how many were priced, and why each other one was not; then the notes. */
export function NoOfferReasons({ diagnostics }: { diagnostics: Diagnostics }) {
  const dirs: [string, Diagnostics['outbound']][] = [['Out', diagnostics.outbound]];
  if (diagnostics.inbound) dirs.push(['Back', diagnostics.inbound]);
  return (
    <div data-testid="no-offer-reasons">
      {dirs.map(([label, d]) => (
        <div key={label}>
          <p>
            {label}:{' '}
            {d.itineraries === 0
              ? 'no itinerary flies on this date in this cabin, or its departures have passed.'
              : `${d.itineraries} ${d.itineraries === 1 ? 'itinerary' : 'itineraries'} found, ${d.priced} priced.`}
          </p>
          {d.rejected.length > 0 && (
            <ul className="small">
              {d.rejected.map((r, i) => <li key={i}>{r.flightIds.join(' + ')}: {REJECTED[r.reason]} ({r.detail})</li>)}
            </ul>
          )}
        </div>
      ))}
      {diagnostics.notes.length > 0 && <ul className="small muted">{diagnostics.notes.map((n) => <li key={n}>{n}</li>)}</ul>}
    </div>
  );
}
