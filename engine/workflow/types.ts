/**
 * What the decision workflow takes in: recommendations from a pricing or optimisation cycle, manual
 * proposals and overrides. A decision sets one thing at the PSS: a fare (amount), an authorisation
 * level (booking limit and open/closed) or a bid price, identified by its decision key.
 */
import type { Fare } from '../domain/types';
import type { InventoryControl } from '../ports/pss';

export type DecisionKind = 'fare' | 'authorisation' | 'bid_price';
export const DECISION_KINDS: readonly DecisionKind[] = ['fare', 'authorisation', 'bid_price'];
export type DecisionSource = 'engine' | 'manual' | 'override';
export type OverrideMode = 'replace' | 'influence';

/** The PSS channel a kind is pushed through. */
export type PushChannel = 'fares' | 'inventory';
export function channelOf(kind: DecisionKind): PushChannel {
  return kind === 'fare' ? 'fares' : 'inventory';
}

/**
 * One step of a recommendation's explanation, in order; the steps sum to the recommended value (minor
 * units for fares and bid prices, seats for authorisation levels).
 */
export interface ExplanationStep {
  key: string;
  label: string;
  amount: number;
}

/** Competitor position beside a fare: the lowest competitor fare observed for the market and date. */
export interface CompetitorPosition {
  minMinor: number;
  currency: string;
  carrier: string;
  observedAt: string;
}

/** Review context captured with a recommendation, shown beside it. */
export interface DecisionContext {
  competitor?: CompetitorPosition | null;
  /** forecast demand (passengers) for the departure / cabin the decision concerns */
  forecastDemand?: number | null;
  loadFactor?: number | null;
  /** the elasticity the cycle used */
  elasticity?: { value: number; standardError: number | null; source: string } | null;
  [extra: string]: unknown;
}

/** Floor, ceiling (in the decision's unit) and maximum change per cycle (percent). */
export interface Guardrails {
  floor: number | null;
  ceiling: number | null;
  maxChangePct: number | null;
}

export type DecisionPayload =
  | { kind: 'fare'; fare: Fare }
  | { kind: 'authorisation' | 'bid_price'; control: InventoryControl };

/** Where an inventory decision applies, when the flights table does not know the flight yet. */
export interface FlightRef {
  carrier: string;
  origin: string;
  destination: string;
  localDate: string;
}

export type RecommendationInput = DecisionPayload & {
  /** the engine's id for the recommendation (traceability) */
  recommendationId?: string;
  /** the value the PSS holds now; looked up in the store when undefined */
  currentValue?: number | null;
  explanation?: ExplanationStep[];
  context?: DecisionContext;
  guardrails?: Guardrails | null;
  flight?: FlightRef;
};
