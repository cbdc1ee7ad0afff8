/**
 * The sandbox pricing tool, as connectors/specs/pricing.openapi.json describes it: the competitor fare
 * observation stream and real-time search, elasticity estimates, and dated exchange rates.
 */
import type { CompetitorFare, ElasticityEstimate, ExchangeRate } from '../../engine/ports/competitor';
import { formatAmount } from '../specs/decimal';
import { badRequest } from './http/errors';
import { Router, dateParam, intParam, type RequestContext } from './http/server';
import { ListCache, decodeCursor, encodeCursor, keysetPage, sortByKey } from './http/paging';
import type { TokenAuthority } from './http/auth';
import { tokenRoute } from './token-route';
import { nextLink } from './pss';
import { stateKey, type SandboxState } from './state';

export function wireCompetitorFare(f: CompetitorFare) {
  return {
    carrier: f.carrier, origin: f.origin, destination: f.destination, departureDate: f.departureDate, cabin: f.cabin, brand: f.brand,
    price: formatAmount(f.amountMinor, f.currency), currency: f.currency, observedAt: f.observedAt,
  };
}

export function wireElasticity(e: ElasticityEstimate) {
  return {
    origin: e.origin, destination: e.destination, cabin: e.cabin, segment: e.segment, dbdFrom: e.dbdFrom, dbdTo: e.dbdTo,
    elasticity: e.elasticity, standardError: e.standardError, asOf: e.asOf,
  };
}

export function wireRate(r: ExchangeRate) {
  return { base: r.base, quote: r.quote, date: r.date, rate: r.rate };
}

const elasticityKey = (e: ElasticityEstimate) => `${e.origin}${e.destination} ${e.cabin ?? ''} ${e.segment ?? ''} ${String(e.dbdFrom ?? 999).padStart(3, '0')}`;
const rateKey = (r: ExchangeRate) => `${r.date} ${r.quote}`;

function airport(ctx: RequestContext, name: string, required: boolean): string | undefined {
  const v = ctx.query.get(name);
  if (!v) {
    if (required) throw badRequest(name, 'is required (IATA airport code)');
    return undefined;
  }
  if (!/^[A-Z]{3}$/.test(v)) throw badRequest(name, `"${v}" is not an IATA airport code`);
  return v;
}

function currencies(text: string | null, field: string): string[] | undefined {
  if (!text) return undefined;
  const list = text.split(',').map((s) => s.trim());
  const bad = list.find((c) => !/^[A-Z]{3}$/.test(c));
  if (bad !== undefined) throw badRequest(field, `"${bad}" is not an ISO 4217 currency`);
  return list;
}

export function pricingRouter(state: SandboxState, auth: TokenAuthority): Router {
  const { market } = state;
  const cache = new ListCache(4);
  const asOf = () => market.clock.now().toISOString();
  return new Router()
    .add('POST', '/oauth2/token', tokenRoute(auth), { auth: false })
    .add('GET', '/v1/competitor-fares', (ctx) => {
      const after = decodeCursor(ctx.query.get('after'));
      const limit = intParam(ctx, 'limit', 5000, 1, 20_000);
      const page = market.competitorObservations(after, limit);
      const data = page.items.map((o) => wireCompetitorFare(o.fare));
      return { kind: 'json', body: { data, nextCursor: encodeCursor(page.next), hasMore: page.hasMore }, records: data, headers: nextLink(ctx, page.hasMore, encodeCursor(page.next)) };
    })
    .add('GET', '/v1/competitor-fares/search', (ctx) => {
      const origin = airport(ctx, 'origin', true)!;
      const destination = airport(ctx, 'destination', true)!;
      const fromDate = dateParam(ctx, 'fromDate');
      const toDate = dateParam(ctx, 'toDate');
      if (fromDate > toDate) throw badRequest('fromDate', `${fromDate} is after toDate ${toDate}`);
      const cabin = ctx.query.get('cabin') || undefined;
      const carriersText = ctx.query.get('carriers');
      const carriers = carriersText ? carriersText.split(',').map((s) => s.trim()) : undefined;
      if (carriers?.some((c) => !/^[A-Z0-9]{2,3}$/.test(c))) throw badRequest('carriers', `"${carriersText}" is not a comma-separated list of carrier codes`);
      const data = market.competitorFares({ origin, destination, fromDate, toDate, cabin, carriers }).map(wireCompetitorFare);
      return { kind: 'json', body: { data, asOf: asOf() }, records: data };
    })
    .add('GET', '/v1/elasticities', (ctx) => {
      const origin = airport(ctx, 'origin', false);
      const destination = airport(ctx, 'destination', false);
      const limit = intParam(ctx, 'limit', 5000, 1, 20_000);
      const query = `elasticities:${origin ?? ''}:${destination ?? ''}`;
      const items = cache.get(`${query}#${stateKey(state)}`, () => sortByKey(
        market.elasticities().filter((e) => (!origin || e.origin === origin) && (!destination || e.destination === destination)), elasticityKey));
      const { page, nextPageToken } = keysetPage(items, elasticityKey, ctx.query.get('pageToken'), query, limit);
      const data = page.map(wireElasticity);
      return { kind: 'json', body: { data, nextPageToken }, records: data };
    })
    .add('GET', '/v1/exchange-rates', (ctx) => {
      const base = ctx.query.get('base') ?? '';
      if (!/^[A-Z]{3}$/.test(base)) throw badRequest('base', `"${base}" is not an ISO 4217 currency`);
      if (!market.currencies().includes(base)) throw badRequest('base', `no rates for ${base}; known: ${market.currencies().join(', ')}`);
      const fromDate = dateParam(ctx, 'fromDate');
      const toDate = dateParam(ctx, 'toDate', market.clock.now().toISOString().slice(0, 10));
      if (fromDate > toDate) throw badRequest('fromDate', `${fromDate} is after toDate ${toDate}`);
      const quotes = currencies(ctx.query.get('quotes'), 'quotes');
      const limit = intParam(ctx, 'limit', 5000, 1, 20_000);
      const query = `rates:${base}:${fromDate}:${toDate}:${quotes?.join(',') ?? ''}`;
      const items = cache.get(`${query}#${stateKey(state)}`, () => sortByKey(
        market.exchangeRates(base, fromDate, toDate).filter((r) => !quotes || quotes.includes(r.quote)), rateKey));
      const { page, nextPageToken } = keysetPage(items, rateKey, ctx.query.get('pageToken'), query, limit);
      const data = page.map(wireRate);
      return { kind: 'json', body: { data, nextPageToken }, records: data };
    });
}
