/**
 * Monitoring and the feedback loop: KPIs per market and network, override impact, alerts with
 * acknowledge, elasticity re-estimates, alert thresholds.
 */
import { z } from 'zod';
import { method } from './define';
import { iataAirport, carrierCode, isoDate, limit } from './common';

export type AlertKind = 'feed_stale' | 'feed_down' | 'push_failed' | 'competitor_undercut' | 'large_move' | 'forecast_error' | 'audit_tampered' | 'disk_low';
export const ALERT_KINDS: readonly AlertKind[] = ['feed_stale', 'feed_down', 'push_failed', 'competitor_undercut', 'large_move', 'forecast_error', 'audit_tampered', 'disk_low'];
export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface AlertRow {
  id: number;
  kind: AlertKind;
  severity: AlertSeverity;
  /** the market it concerns; null for network-wide alerts (feeds, pushes, audit) */
  origin: string | null;
  destination: string | null;
  /** what it is about: a feed name, decision key, flight… */
  subject: string | null;
  message: string;
  detail: Record<string, unknown>;
  raisedAt: string;
  lastSeenAt: string;
  occurrences: number;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  status: 'open' | 'acknowledged' | 'resolved';
}

export interface AlertThresholds {
  /** a feed with no success for this long is stale */
  feedStaleMinutes: number;
  /** a competitor below our fare by more than this (percent) */
  competitorUndercutPct: number;
  /** a proposed change larger than this (percent) */
  largeMovePct: number;
  /** forecast WAPE above this (percent) on a market */
  forecastWapePct: number;
  /** less free space than this (GB) on the data folder's disk: a warning; under a fifth of it, critical */
  diskFreeMinGb: number;
}

export interface ForecastAccuracy {
  /** weighted absolute percentage error, percent */
  wape: number | null;
  /** (forecast − actual) / actual, percent */
  bias: number | null;
  /** departure × cabin pairs compared */
  pairs: number;
}

export interface KpiRow {
  scope: 'market' | 'network';
  origin: string | null;
  destination: string | null;
  /** the reporting currency of every money figure in the row */
  currency: string;
  departures: number;
  seats: number;
  passengers: number;
  loadFactor: number | null;
  /** passengers denied boarding: they showed up for a cabin sold beyond its seats (overbooking) */
  deniedBoardings: number;
  revenueMinor: number;
  averageFareMinor: number | null;
  /** great-circle distance between the airports (market rows) */
  distanceKm: number | null;
  /** revenue passenger-km and available seat-km */
  rpk: number;
  ask: number;
  /** revenue per passenger-km, in minor units */
  yieldMinorPerKm: number | null;
  /** revenue per available seat-km, in minor units */
  raskMinorPerKm: number | null;
  forecast: ForecastAccuracy | null;
  /**
   * The departures of the range that have flown (departed by now) and their seats, passengers, load factor and
   * revenue: the rest of the row's figures are the later departures' bookings on the books so far.
   */
  flown: { departures: number; seats: number; passengers: number; loadFactor: number | null; revenueMinor: number };
  /** revenue left out because no dated exchange rate converts it */
  unconverted: { currency: string; revenueMinor: number }[];
}

export interface OverrideImpactRow {
  decisionId: number;
  key: string;
  origin: string;
  destination: string;
  flightId: string | null;
  rbd: string;
  currency: string;
  mode: 'replace' | 'influence';
  by: string;
  reason: string;
  from: string;
  to: string;
  overridePriceMinor: number;
  recommendedPriceMinor: number;
  bookings: number;
  realisedRevenueMinor: number;
  /** bookings and revenue the model expects had the recommendation stood */
  counterfactualBookings: number;
  counterfactualRevenueMinor: number;
  impactMinor: number;
  stdErrorMinor: number;
  ci95Minor: [number, number];
  elasticity: { value: number; standardError: number };
  /** what the counterfactual demand came from: the market's response curve, or its elasticity */
  model: 'response_curve' | 'elasticity';
}

export interface OverrideImpactTotal {
  currency: string;
  overrides: number;
  impactMinor: number;
  stdErrorMinor: number;
  ci95Minor: [number, number];
}

export interface ElasticityRow {
  origin: string;
  destination: string;
  cabin: string;
  elasticity: number;
  standardError: number;
  /** where the value comes from: re-estimated from observed bookings, the pricing-tools feed, or the default prior */
  source: 'observed' | 'feed' | 'default';
  priorElasticity: number;
  priorStandardError: number;
  observations: number;
  priceChanges: number;
  bookings: number;
  estimatedAt: string | null;
}

const market = { origin: iataAirport.optional(), destination: iataAirport.optional() };
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code');

export const monitoringContract = {
  'monitoring.kpis': method<{ rows: KpiRow[] }>()({
    description: 'Revenue, passengers, load factor, yield, RASK, average fare and forecast accuracy per market and for the network, for departures in a date range; the departures flown by now apart (a range reaching past today also counts later departures\' bookings on the books so far).',
    access: 'read',
    input: z.object({
      dateFrom: isoDate,
      dateTo: isoDate,
      ...market,
      carrier: carrierCode.optional(),
      /** reporting currency; default: the currency most of the revenue is in */
      currency: currency.optional(),
    }).strict().refine((v) => v.dateFrom <= v.dateTo, { message: 'dateTo is before dateFrom', path: ['dateTo'] }),
  }),
  'monitoring.alerts': method<{ rows: AlertRow[]; total: number; open: number }>()({
    description: 'Alerts, newest first: open (default), acknowledged, resolved or all.',
    access: 'read',
    input: z.object({
      status: z.enum(['open', 'acknowledged', 'resolved', 'active', 'all']).default('active'),
      kind: z.enum(ALERT_KINDS as unknown as [AlertKind, ...AlertKind[]]).optional(),
      ...market,
      limit: limit(5_000, 200),
      offset: z.number().int().min(0).default(0),
    }).strict(),
  }),
  'monitoring.acknowledgeAlerts': method<{ acknowledged: number }>()({
    description: 'Acknowledge alerts (who and when are recorded); they stay listed until their cause clears.',
    access: 'read',
    writes: ['alerts', 'audit_log'],
    input: z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000), note: z.string().trim().max(500).optional() }).strict(),
  }),
  'monitoring.checkAlerts': method<{ raised: number; resolved: number }>()({
    description: 'Run the alert checks now (feeds, competitor undercut, forecast error).',
    access: 'read',
    writes: ['alerts'],
    input: z.object({}).strict(),
  }),
  'monitoring.thresholds': method<AlertThresholds>()({
    description: 'Alert thresholds.',
    access: 'read',
    input: z.object({}).strict(),
  }),
  'monitoring.setThresholds': method<AlertThresholds>()({
    description: 'Change alert thresholds.',
    access: ['revenue_manager', 'admin'],
    writes: ['settings', 'audit_log'],
    input: z.object({
      feedStaleMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
      competitorUndercutPct: z.number().min(0).max(100).optional(),
      largeMovePct: z.number().min(0).max(1_000).optional(),
      forecastWapePct: z.number().min(0).max(1_000).optional(),
      diskFreeMinGb: z.number().min(0).max(1_000_000).optional(),
    }).strict(),
  }),
  'monitoring.overrideImpact': method<{ rows: OverrideImpactRow[]; totals: OverrideImpactTotal[] }>()({
    description: 'For each pushed fare override: realised revenue after it minus the revenue the model expects had the recommendation stood, with its uncertainty.',
    access: 'read',
    input: z.object({ ...market, from: isoDate.optional(), to: isoDate.optional(), limit: limit(10_000, 500) }).strict(),
  }),
  'monitoring.elasticities': method<ElasticityRow[]>()({
    description: 'Price elasticity per market and cabin, re-estimated from bookings after price changes, with its standard error.',
    access: 'read',
    input: z.object({ ...market, cabin: z.string().regex(/^[A-Z]$/).optional(), history: z.boolean().default(false) }).strict(),
  }),
  'monitoring.reestimateElasticities': method<ElasticityRow[]>()({
    description: 'Re-estimate elasticities now from the bookings observed after each pushed price change.',
    access: ['analyst', 'revenue_manager', 'admin'],
    writes: ['elasticity_estimates'],
    input: z.object({ ...market }).strict(),
  }),
};
