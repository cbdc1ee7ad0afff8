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

function Bundles() {
  const markets = useApi('fares.markets', {});
  const [market, setMarket] = useState('');
  const [cabin, setCabin] = useState('Y');
  const [o, d] = market.split('-');
  const q = useApi('bundles.brands', { origin: o, destination: d, cabin, limit: 1 }, { enabled: Boolean(o && d) });
  return (
    <>
      <form className="filter-bar" onSubmit={(e) => e.preventDefault()} aria-label="Market">
        <label>Market{' '}
          <select value={market} onChange={(e) => setMarket(e.target.value)} data-testid="bundles-market">
            <option value="">Choose…</option>
            {markets.data?.map((m) => <option key={`${m.origin}-${m.destination}`} value={`${m.origin}-${m.destination}`}>{m.origin}-{m.destination}</option>)}
          </select>
        </label>
        <label>Cabin <input className="narrow" maxLength={1} value={cabin} onChange={(e) => setCabin(e.target.value.toUpperCase() || 'Y')} /></label>
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
  return (
    <div className="detail-grid" data-testid="brands">
      <section className="card" aria-label="Brands">
        <h2>{m.origin}-{m.destination} · {m.cabin} · base fare {money(m.fare.amountMinor)}{m.fare.rbd ? ` (${m.fare.rbd})` : ''}</h2>
        <table className="table compact" data-testid="brands-table">
          <thead><tr><th>Brand</th><th>Includes</th><th className="num">Price</th><th className="num">Over base</th><th className="num">Parts separately</th><th className="num">Expected share</th></tr></thead>
          <tbody>{m.brands.map((b) => (
            <tr key={b.code}><td><strong>{b.name}</strong></td><td className="small">{b.includes.join(', ') || '—'}</td><td className="num">{money(b.priceMinor)}</td><td className="num">{money(b.upliftMinor)}</td><td className="num">{money(b.partsMinor)}</td><td className="num">{formatShare(b.share)}</td></tr>
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
  const markets = useApi('fares.markets', {});
  const today = (info.data?.now ?? new Date().toISOString()).slice(0, 10);
  const [req, setReq] = useState({ market: '', departureDate: addDays(today, 14), returnDate: '', ADT: 1, CHD: 0, INF: 0, cabin: 'Y', pointOfSale: 'DE', channel: 'direct' });
  const [answer, setAnswer] = useState<ShopAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const shop = async () => {
    const [origin, destination] = req.market.split('-');
    setBusy(true);
    setError(null);
    try {
      const input: ShopInput = {
        origin: origin ?? '', destination: destination ?? '', departureDate: req.departureDate, ...(req.returnDate ? { returnDate: req.returnDate } : {}),
        passengers: { ADT: req.ADT, CHD: req.CHD, INF: req.INF }, cabin: req.cabin, channel: req.channel, pointOfSale: req.pointOfSale,
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
        <label>Market{' '}
          <select value={req.market} onChange={(e) => setReq({ ...req, market: e.target.value })} required data-testid="shop-market">
            <option value="">Choose…</option>
            {markets.data?.map((m) => <option key={`${m.origin}-${m.destination}`} value={`${m.origin}-${m.destination}`}>{m.origin}-{m.destination}</option>)}
          </select>
        </label>
        <label>Out <input type="date" value={req.departureDate} onChange={(e) => setReq({ ...req, departureDate: e.target.value })} data-testid="shop-date" /></label>
        <label>Back <input type="date" value={req.returnDate} onChange={(e) => setReq({ ...req, returnDate: e.target.value })} /></label>
        <label>Adults <input className="narrow" type="number" min={0} max={9} value={req.ADT} onChange={num('ADT')} /></label>
        <label>Children <input className="narrow" type="number" min={0} max={9} value={req.CHD} onChange={num('CHD')} /></label>
        <label>Infants <input className="narrow" type="number" min={0} max={9} value={req.INF} onChange={num('INF')} /></label>
        <label>Cabin <input className="narrow" maxLength={1} value={req.cabin} onChange={(e) => setReq({ ...req, cabin: e.target.value.toUpperCase() })} /></label>
        <label>Point of sale <input className="narrow" maxLength={2} value={req.pointOfSale} onChange={(e) => setReq({ ...req, pointOfSale: e.target.value.toUpperCase() })} /></label>
        <button type="submit" className="primary" disabled={busy || !req.market} data-testid="shop-submit">{busy ? 'Shopping…' : 'Shop'}</button>
      </form>
      {error && <ErrorNote error={error} />}
      {busy && <Loading what="offers" />}
      {answer && (answer.offers.length === 0
        ? <Empty title="No offer">{answer.diagnostics && Object.keys(answer.diagnostics).length ? JSON.stringify(answer.diagnostics) : 'Nothing is available for this request.'}</Empty>
        : <div className="offer-list" data-testid="offers">{answer.offers.map((o) => <OfferCard key={o.id} offer={o} />)}</div>)}
    </>
  );
}

function OfferCard({ offer }: { offer: Offer }) {
  const session = useSession();
  const blocked = needsRole(session, 'decide');
  const openDetail = useUi((s) => s.openDetail);
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
      <header><h2>{offer.brand.name} · <span data-testid="offer-total">{money(offer.total.amountMinor)}</span></h2><span className="muted small">expires {formatInstant(offer.expiresAt)}</span></header>
      {offer.journeys.map((j) => (
        <div key={j.id} className="small">
          <strong>{j.direction}</strong> {j.origin}→{j.destination}: {j.segmentIds.map((sid) => {
            const s = offer.segments.find((x) => x.id === sid)!;
            return (
              <span key={sid}>
                <button type="button" className="link" onClick={() => openDetail({ flightId: s.flightId })}>{s.marketingCarrier}{s.marketingFlightNumber}</button>
                {s.codeshare ? ` (operated by ${s.operatingCarrier}${s.operatingFlightNumber})` : ''} {s.localDate} {s.departureLocal.slice(11, 16)}–{s.arrivalLocal.slice(11, 16)} local, class {s.rbd}{' '}
              </span>
            );
          })}
          {j.connections.length > 0 && <span className="muted"> · via {j.connections.map((c) => `${c.airport} (${c.minutes} min)`).join(', ')}</span>}
        </div>
      ))}
      <dl className="facts">
        <dt>Fare</dt><dd>{money(offer.breakdown.fareMinor)}</dd>
        <dt>Bundle</dt><dd>{money(offer.breakdown.bundleMinor)}{offer.brand.includes.length ? ` (${offer.brand.includes.join(', ')})` : ''}</dd>
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
