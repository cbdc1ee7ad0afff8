/**
 * The competitor port (pricing tools): competitor fares, price-elasticity estimates and dated exchange
 * rates, by real-time request and by periodic sync. Fallback defaults are flagged in the answer.
 */
import type { AirportCode, CabinCode, CarrierCode } from '../domain/types';
import type { CurrencyCode } from '../domain/money';
import type { PortAnswer } from './answer';

/** One observed competitor price. */
export interface CompetitorFare {
  carrier: CarrierCode;
  origin: AirportCode;
  destination: AirportCode;
  /** local departure date, "YYYY-MM-DD" */
  departureDate: string;
  /** the cabin, when the tool reports one */
  cabin: CabinCode | null;
  /** the branded fare (e.g. "Light"), when the tool reports one */
  brand: string | null;
  amountMinor: number;
  currency: CurrencyCode;
  /** when the price was observed (UTC ISO-8601) */
  observedAt: string;
}

/** An estimate of own-price elasticity of demand for a market (negative: demand falls as price rises). */
export interface ElasticityEstimate {
  origin: AirportCode;
  destination: AirportCode;
  cabin: CabinCode | null;
  /** the passenger segment, e.g. "business", "leisure", or null for all */
  segment: string | null;
  /** days-before-departure range the estimate applies to, inclusive; null for all */
  dbdFrom: number | null;
  dbdTo: number | null;
  elasticity: number;
  standardError: number | null;
  asOf: string;
}

/** A dated exchange rate: 1 unit of `base` buys `rate` units of `quote`. */
export interface ExchangeRate {
  base: CurrencyCode;
  quote: CurrencyCode;
  /** the date the rate applies to, "YYYY-MM-DD" */
  date: string;
  rate: number;
}

export interface CompetitorFareQuery {
  origin: AirportCode;
  destination: AirportCode;
  fromDate: string;
  toDate: string;
  cabin?: CabinCode;
  carriers?: CarrierCode[];
}

export interface CompetitorPort {
  competitorFares(query: CompetitorFareQuery, signal?: AbortSignal): Promise<PortAnswer<CompetitorFare[]>>;
  elasticities(query: { origin: AirportCode; destination: AirportCode }, signal?: AbortSignal): Promise<PortAnswer<ElasticityEstimate[]>>;
  /** rates for `date` (the latest at or before it) from `base` to each requested currency */
  exchangeRates(query: { date: string; base: CurrencyCode; quotes?: CurrencyCode[] }, signal?: AbortSignal): Promise<PortAnswer<ExchangeRate[]>>;
}
