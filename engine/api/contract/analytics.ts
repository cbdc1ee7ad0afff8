/**
 * Read models for the review summary and the analyst charts: decisions summed by market and by flight
 * (the review grid's drill-down), own fares against competitors over departure dates (minimum, quartile
 * band, each competitor), and load factor and revenue trends.
 */
import { z } from 'zod';
import { method } from './define';
import { iataAirport, isoDate } from './common';
import { decisionFilter } from './decisions';

export interface ReviewSummaryRow {
  /** "ORG-DST", or the flight id when grouped by flight */
  key: string;
  origin: string;
  destination: string;
  /** grouped by flight: the flight and its local date */
  flightId: string | null;
  travelDate: string | null;
  flights: number;
  decisions: number;
  byState: Record<string, number>;
  outsideGuardrails: number;
  overrides: number;
  /** mean and extremes of the change against the current value, percent */
  avgChangePct: number | null;
  minChangePct: number | null;
  maxChangePct: number | null;
  avgLoadFactor: number | null;
  firstDate: string;
  lastDate: string;
}

export interface CompetitorSeriesPoint {
  /** local departure date */
  date: string;
  /** our lowest open fare in the cabin that day (what a traveller can buy), converted */
  ownMinor: number | null;
  minMinor: number | null;
  q1Minor: number | null;
  medianMinor: number | null;
  q3Minor: number | null;
  /** each competitor's latest observed fare for that date, converted */
  byCarrier: Record<string, number>;
}

export interface CompetitorSeries {
  origin: string;
  destination: string;
  cabin: string;
  /** every amount is in this currency (converted at the observation day's rate) */
  currency: string;
  carriers: string[];
  points: CompetitorSeriesPoint[];
  /** observations left out because no dated exchange rate converts them */
  unconverted: number;
}

export interface TrendPoint {
  /** first local departure date of the period */
  period: string;
  departures: number;
  seats: number;
  passengers: number;
  loadFactor: number | null;
  revenueMinor: number;
  averageFareMinor: number | null;
  /** of `departures`, those flown by now: a period with departures still to fly has only its bookings on the books so far */
  flownDepartures: number;
}

export interface Trends {
  currency: string;
  granularity: 'day' | 'week' | 'month';
  points: TrendPoint[];
}

export interface DemandByDcpPoint {
  /** the DCP (days before departure) that ends the period */
  dcp: number;
  /** bookings made in the period (gross), summed over the departures that reached it */
  booked: number | null;
  /** demand still to come in the period by the latest pricing cycle's forecast, summed */
  forecastToCome: number | null;
  forecastSd: number | null;
  /** held-out backtest of the chosen method at this DCP: actual and forecast, WAPE and bias (percent) */
  backtestActual: number | null;
  backtestForecast: number | null;
  wape: number | null;
  bias: number | null;
}

export interface DemandByDcp {
  origin: string;
  destination: string;
  cabin: string;
  departures: number;
  cycleId: string | null;
  /** the backtest run shown, its chosen method and every method's overall accuracy */
  backtest: { runAt: string; chosen: string | null; methods: { method: string; wape: number; mape: number; bias: number; cells: number; chosen: boolean }[] } | null;
  points: DemandByDcpPoint[];
}

const market = { origin: iataAirport, destination: iataAirport };
/** a market's cabin over departure dates (the charts' common input) */
const marketCabinDates = { ...market, cabin: z.string().regex(/^[A-Z]$/, 'expected a one-letter cabin code').default('Y'), dateFrom: isoDate, dateTo: isoDate };
/** refine() arguments: dateTo on or after dateFrom and at most maxDays later */
const range = (maxDays: number): [(v: { dateFrom: string; dateTo: string }) => boolean, { message: string; path: string[] }] => [
  (v) => v.dateFrom <= v.dateTo && (Date.parse(v.dateTo) - Date.parse(v.dateFrom)) / 86_400_000 <= maxDays,
  { message: `dateTo must be on or after dateFrom and at most ${maxDays} days later`, path: ['dateTo'] },
];

export const analyticsContract = {
  'analytics.reviewSummary': method<{ rows: ReviewSummaryRow[] }>()({
    description: 'Decisions matching the review filter, summed by market or by flight: counts by state, change %, guardrail breaches, load factor.',
    access: 'read',
    input: z.object({ filter: decisionFilter.default({}), groupBy: z.enum(['market', 'flight']).default('market'), limit: z.number().int().min(1).max(20_000).default(2_000) }).strict(),
  }),
  'analytics.competitorFares': method<CompetitorSeries>()({
    description: 'Own lowest open fare against competitor fares per departure date: minimum, quartile band and each competitor, in one currency.',
    access: 'read',
    input: z.object({
      ...marketCabinDates,
      currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code').optional(),
    }).strict().refine(...range(400)),
  }),
  'analytics.demandByDcp': method<DemandByDcp>()({
    description: 'Bookings by DCP period against the latest forecast for the departures in a date range, with the held-out backtest accuracy by DCP and by method.',
    access: 'read',
    input: z.object(marketCabinDates).strict().refine(...range(400)),
  }),
  'analytics.trends': method<Trends>()({
    description: 'Load factor, passengers and revenue per day, week or month of departure, for a market or the network.',
    access: 'read',
    input: z.object({
      origin: iataAirport.optional(),
      destination: iataAirport.optional(),
      dateFrom: isoDate,
      dateTo: isoDate,
      granularity: z.enum(['day', 'week', 'month']).default('week'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code').optional(),
    }).strict()
      .refine(...range(800))
      .refine((v) => (v.origin === undefined) === (v.destination === undefined), { message: 'give both origin and destination, or neither for the network', path: ['destination'] }),
  }),
};
