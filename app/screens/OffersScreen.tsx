/**
 * Bundles and offers: branded fares per market (price, what each adds, parts bought separately, share,
 * expected revenue with what the brands cannibalise, and each price's explanation), and the offer
 * simulator (a shopping request → offers with their breakdown and explanation; re-validate, order).
 */
import { useState } from 'react';
import type { ApiInput, Offer, ShopAnswer, MarketBrands } from '../../engine/api/contract';
import { addDays } from '../../engine/domain/time';
import { call } from '../api/client';
import { useApi } from '../api/hooks';
import { useSession, needsRole } from '../api/session';
import { useUi } from '../state/ui';
import { Empty, ErrorNote, Loading, QueryState } from '../components/States';
import { formatInstant, formatMoney, formatShare } from '../components/format';
import { MarketSelect } from '../components/MarketSelect';
import { busiestMarket } from './marketPicks';
import { byItinerary, partyText } from './offerGroups';
import { NoOfferReasons } from './NoOfferReasons';

type ShopInput = ApiInput<'offers.shop'>;

export function OffersScreen() {
  const [tab, setTab] = useState<'bundles' | 'simulator'>('bundles');
  return (
    <div className="screen" data-testid="offers-screen">
      <div className="screen-head"><h1>Bundles and offers</h1></div>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'bundles'} className={tab === 'bundles' ? 'active' : ''} onClick={() => setTab('bundles')} data-testid="offers-tab-bundles">Branded fares</button>
        <button type="button" role="tab" aria-selected={tab === 'simulator'} className={tab === 'simulator' ? 'active' : ''} onClick={() => setTab('simulator')} data-testid="offers-tab-simulator">Offer simulator</button>
      </div>
      {tab === 'bundles' ? <Bundles /> : <Simulator />}
    </div>
  );
}

/** The markets with our fares (bundles and offers are built on them), the busiest nonstop one first chosen, and the chosen market's cabins. */
function useMarketPick() {
  const pricing = useApi('settings.pricing', {}, { staleTime: 300_000 });
  const markets = pricing.data?.knownMarkets ?? [];
  const [picked, setPicked] = useState<{ origin: string; destination: string } | null>(null);
  const chosen = picked ?? busiestMarket(markets) ?? null;
  const market = chosen ? `${chosen.origin}-${chosen.destination}` : '';
  const cabins = markets.find((m) => `${m.origin}-${m.destination}` === market)?.cabins ?? ['Y'];
  return { markets, market, chosen, setPicked, cabins };
}

/** The cabin asked for if the market has it, else its economy cabin (Y), else its first. */
function cabinIn(cabins: readonly string[], wanted: string): string {
  return cabins.includes(wanted) ? wanted : cabins.includes('Y') ? 'Y' : (cabins[0] ?? wanted);
}

function CabinSelect({ cabins, value, onChange, testId }: { cabins: readonly string[]; value: string; onChange: (c: string) => void; testId: string }) {
  return <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>{cabins.map((c) => <option key={c} value={c}>{c}</option>)}</select>;
}

function Bundles() {
  const { markets, market, chosen, setPicked, cabins } = useMarketPick();
  const [wanted, setCabin] = useState('Y');
  const cabin = cabinIn(cabins, wanted);
  const q = useApi('bundles.brands', { origin: chosen?.origin ?? '', destination: chosen?.destination ?? '', cabin, limit: 1 }, { enabled: Boolean(chosen) });
  return (
    <>
      <form className="filter-bar" onSubmit={(e) => e.preventDefault()} aria-label="Market">
        <label>Market <MarketSelect markets={markets} value={market} onChange={setPicked} testId="bundles-market" /></label>
        <label>Cabin <CabinSelect cabins={cabins} value={cabin} onChange={setCabin} testId="bundles-cabin" /></label>
      </form>
      {!market ? <Empty>Choose a market to see its branded fares.</Empty> : (
        <QueryState q={q} what="branded fares">
          {(r) => r.rows.length === 0 ? <Empty>No brands for this market.</Empty> : <MarketBrandsView m={r.rows[0]!} />}
        </QueryState>
      )}
    </>
  );
}

function MarketBrandsView({ m }: { m: MarketBrands }) {
  if (m.error) return <p className="error-text">{m.error}</p>;
  const money = (v: number) => formatMoney(Math.round(v), m.currency);
  const nameOf = new Map(m.alaCarte.map((a) => [a.code, a.name]));
  return (
    <div className="detail-grid" data-testid="brands">
      <section className="card" aria-label="Brands">
        <h2>{m.origin}-{m.destination} · {m.cabin} · base fare {money(m.fare.amountMinor)}{m.fare.rbd ? ` (${m.fare.rbd})` : ''}</h2>
        <table className="table compact" data-testid="brands-table">
          <thead><tr><th>Brand and what it includes</th><th className="num">Price</th><th className="num">Over base</th><th className="num">Parts separately</th><th className="num">Expected share</th></tr></thead>
          <tbody>{m.brands.map((b) => (
            <tr key={b.code}><td className="brand-cell"><strong data-testid="brand-name">{b.name}</strong>
              <ul className="includes small muted" title={b.includes.join(', ')}>{b.includes.length ? b.includes.map((c) => <li key={c}>{nameOf.get(c) ?? c}</li>) : <li>the fare only</li>}</ul></td>
              <td className="num">{money(b.priceMinor)}</td><td className="num">{money(b.upliftMinor)}</td><td className="num">{money(b.partsMinor)}</td><td className="num">{formatShare(b.share)}</td></tr>
          ))}</tbody>
        </table>
        <dl className="facts">
          <dt>Expected revenue per passenger</dt><dd data-testid="brands-revenue">{money(m.expected.revenuePerPax)}</dd>
          <dt>Without brands (base + à la carte)</dt><dd>{money(m.expected.baselinePerPax)}</dd>
          <dt>Brand steps</dt><dd>{money(m.expected.brandStepPerPax)}</dd>
          <dt>À-la-carte sales cannibalised</dt><dd>{money(m.expected.cannibalisedPerPax)}</dd>
          <dt>Incremental per passenger</dt><dd><strong>{money(m.expected.incrementalPerPax)}</strong></dd>
        </dl>
        {m.notes.length > 0 && <ul className="small muted">{m.notes.map((n) => <li key={n}>{n}</li>)}</ul>}
      </section>
      <section className="card" aria-label="Why these prices">
        <h2>Why these prices</h2>
        {m.brands.map((b) => (
          <details key={b.code} open={b === m.brands[m.brands.length - 1]}>
            <summary>{b.name}: {money(b.priceMinor)}</summary>
            <table className="table compact"><tbody>{b.components.map((c) => <tr key={c.key}><td>{c.label}</td><td className="num">{money(c.amountMinor)}</td></tr>)}</tbody></table>
          </details>
        ))}
        <h3>À-la-carte prices</h3>
        <table className="table compact"><tbody>{m.alaCarte.map((a) => <tr key={a.code}><td>{a.name}</td><td className="num">{money(a.journeyPriceMinor)}</td></tr>)}</tbody></table>
      </section>
    </div>
  );
}

function Simulator() {
  const info = useApi('system.info', {});
  const { markets, market, chosen, setPicked, cabins } = useMarketPick();
  const today = (info.data?.now ?? new Date().toISOString()).slice(0, 10);
  const [req, setReq] = useState({ departureDate: addDays(today, 14), returnDate: '', ADT: 1, CHD: 0, INF: 0, cabin: 'Y', pointOfSale: 'DE', channel: 'direct' });
  const cabin = cabinIn(cabins, req.cabin);
  const [answer, setAnswer] = useState<ShopAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const shop = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const input: ShopInput = {
        origin: chosen.origin, destination: chosen.destination, departureDate: req.departureDate, ...(req.returnDate ? { returnDate: req.returnDate } : {}),
        passengers: { ADT: req.ADT, CHD: req.CHD, INF: req.INF }, cabin, channel: req.channel, pointOfSale: req.pointOfSale,
      };
      setAnswer(await call('offers.shop', input));
    } catch (e) {
      setError(e as Error);
      setAnswer(null);
    } finally {
      setBusy(false);
    }
  };
  const num = (k: 'ADT' | 'CHD' | 'INF') => (e: { target: { value: string } }) => setReq({ ...req, [k]: Math.max(0, Math.min(9, Number(e.target.value) || 0)) });
  return (
    <>
      <form className="filter-bar" aria-label="Shopping request" onSubmit={(e) => { e.preventDefault(); void shop(); }}>
        <label>Market <MarketSelect markets={markets} value={market} onChange={setPicked} testId="shop-market" required /></label>
        <label>Out <input type="date" value={req.departureDate} onChange={(e) => setReq({ ...req, departureDate: e.target.value })} data-testid="shop-date" /></label>
        <label>Back <input type="date" value={req.returnDate} onChange={(e) => setReq({ ...req, returnDate: e.target.value })} /></label>
        <label>Adults <input className="narrow" type="number" min={0} max={9} value={req.ADT} onChange={num('ADT')} /></label>
        <label>Children <input className="narrow" type="number" min={0} max={9} value={req.CHD} onChange={num('CHD')} /></label>
        <label>Infants <input className="narrow" type="number" min={0} max={9} value={req.INF} onChange={num('INF')} /></label>
        <label>Cabin <CabinSelect cabins={cabins} value={cabin} onChange={(c) => setReq({ ...req, cabin: c })} testId="shop-cabin" /></label>
        <label>Point of sale <input className="narrow" maxLength={2} value={req.pointOfSale} onChange={(e) => setReq({ ...req, pointOfSale: e.target.value.toUpperCase() })} /></label>
        <button type="submit" className="primary" disabled={busy || !chosen} data-testid="shop-submit">{busy ? 'Shopping…' : 'Shop'}</button>
      </form>
      {error && <ErrorNote error={error} />}
      {busy && <Loading what="offers" />}
      {answer && (answer.offers.length === 0
        ? <Empty title="No offer"><NoOfferReasons diagnostics={answer.diagnostics} /></Empty>
        : (
          <div className="offer-groups" data-testid="offers">
            {byItinerary(answer.offers).map((g) => (
              <section key={g.key} className="card offer-group" aria-label={`Itinerary ${g.key}`} data-testid="itinerary">
                <header>
                  <Itinerary offer={g.offers[0]!} />
                  <span className="muted small">from <strong>{formatMoney(g.offers[0]!.total.amountMinor, g.offers[0]!.currency)}</strong> · {g.offers.length} brand{g.offers.length === 1 ? '' : 's'} · expires {formatInstant(g.offers[0]!.expiresAt)}</span>
                </header>
                <div className="offer-list">{g.offers.map((o) => <OfferCard key={o.id} offer={o} names={answer.serviceNames} />)}</div>
              </section>
            ))}
          </div>
        ))}
    </>
  );
}

/** An offer's flights: each journey's segments with their local times, codeshares and connections. */
function Itinerary({ offer }: { offer: Offer }) {
  const openDetail = useUi((s) => s.openDetail);
  return (
    <div>
      {offer.journeys.map((j) => (
        <div key={j.id} className="small">
          <strong>{j.direction}</strong> {j.origin}→{j.destination}: {j.segmentIds.map((sid) => {
            const s = offer.segments.find((x) => x.id === sid)!;
            return (
              <span key={sid}>
                <button type="button" className="link" onClick={() => openDetail({ flightId: s.flightId })}>{s.marketingCarrier}{s.marketingFlightNumber}</button>
                {s.codeshare ? ` (operated by ${s.operatingCarrier}${s.operatingFlightNumber})` : ''} {s.localDate} {s.departureLocal.slice(11, 16)}–{s.arrivalLocal.slice(11, 16)} local{' '}
              </span>
            );
          })}
          {j.connections.length > 0 && <span className="muted"> · via {j.connections.map((c) => `${c.airport} (${c.minutes} min)`).join(', ')}</span>}
        </div>
      ))}
    </div>
  );
}

function OfferCard({ offer, names }: { offer: Offer; names: ShopAnswer['serviceNames'] }) {
  const session = useSession();
  const blocked = needsRole(session, 'decide');
  const [state, setState] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const money = (v: number) => formatMoney(v, offer.currency);
  const act = async (what: 'revalidate' | 'order') => {
    setBusy(true);
    try {
      if (what === 'revalidate') {
        const r = await call('offers.revalidate', { offerId: offer.id });
        const why = 'reason' in r && r.reason ? String(r.reason) : r.status;
        setState({ text: `${why}${r.fresh ? ` — fresh offer ${r.fresh.id} at ${formatMoney(r.fresh.total.amountMinor, r.fresh.currency)}` : ''}`, ok: r.status === 'valid' });
      } else {
        const r = await call('offers.order', { offerId: offer.id });
        setState({ text: `${r.status}: ${r.reason}${r.orders.length ? ` — PSS ${r.orders.map((x) => x.recordLocator).join(', ')}` : ''}`, ok: r.ordered });
      }
    } catch (e) {
      setState({ text: (e as Error).message, ok: false });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card offer-card" aria-label={`Offer ${offer.brand.name}`} data-testid="offer">
      <header><h2>{offer.brand.name} · <span data-testid="offer-total">{money(offer.total.amountMinor)}</span></h2></header>
      <p className="small muted">class {offer.segments.map((s) => s.rbd).join(' + ')} · for {partyText(offer.request.passengers)}</p>
      <dl className="facts">
        <dt>Fare</dt><dd>{money(offer.breakdown.fareMinor)}</dd>
        <dt>Bundle</dt><dd>{money(offer.breakdown.bundleMinor)}{offer.brand.includes.length ? ` (${offer.brand.includes.map((c) => names[c] ?? c).join(', ')})` : ''}</dd>
        <dt>Taxes</dt><dd>{money(offer.breakdown.taxesMinor)}</dd>
        <dt>Extras</dt><dd>{money(offer.breakdown.ancillariesMinor)}</dd>
      </dl>
      <details>
        <summary>Why this fare</summary>
        {offer.journeys.map((j) => (
          <table key={j.id} className="table compact"><tbody>
            {j.adultPrice.components.map((c) => <tr key={c.key}><td>{c.label}</td><td className="num">{formatMoney(c.amountMinor, j.adultPrice.currency)}</td></tr>)}
            <tr className="total-row"><td>Adult fare {j.direction}</td><td className="num">{formatMoney(j.adultPrice.amountMinor, j.adultPrice.currency)}</td></tr>
            <tr><td className="muted">bid prices of the legs</td><td className="num muted">{formatMoney(j.bidPrice.sumOfLegsMinor, j.adultPrice.currency)}</td></tr>
          </tbody></table>
        ))}
      </details>
      <div className="row-actions">
        <button type="button" disabled={busy} onClick={() => void act('revalidate')}>Re-validate</button>
        <button type="button" className="primary" disabled={busy || Boolean(blocked)} title={blocked} onClick={() => void act('order')}>Order</button>
      </div>
      {state && <p className={state.ok ? 'ok-text small' : 'error-text small'} role="status">{state.text}</p>}
    </section>
  );
}
