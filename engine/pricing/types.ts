/**
 * What a pricing cycle recommends: fares per departure × cabin × RBD, authorisation levels per
 * departure × RBD and bid prices per departure × cabin, each explaining itself. The decision workflow
 * turns these into proposals (proposed → approved → queued → pushed); the UI renders the explanations.
 *
 * Money is integer minor units with the recommendation's currency. A fare recommendation's
 * explanation is an ordered list of components whose amounts sum exactly to the recommended price.
 */

export type RecommendationKind = 'fare' | 'authorisation' | 'bid_price';

/** The components of a fare, in the order they are applied. */
export type FareComponentCode =
  | 'base' // the fare filed now (the current value)
  | 'forecast' // demand to come against the seats left
  | 'protection' // the class is closed by the protection levels: priced up to the lowest open class
  | 'bid_price' // never below the opportunity cost of the seat(s)
  | 'competitor' // toward the market strategy's target against competitor fares
  | 'elasticity' // the market's estimated price response against the reference
  | 'price_point' // the base fare snapped to the market's price points
  | 'ladder_rung' // ladder-priced markets: snapped to a rung of the filed ladder
  | 'max_change' // guardrail: at most ±x % per cycle
  | 'monotone_ladder' // guardrail: a higher class is never cheaper than a lower one
  | 'floor' // guardrail: not below the market's floor
  | 'ceiling'; // guardrail: not above the market's ceiling

export const FARE_COMPONENT_ORDER: readonly FareComponentCode[] = [
  'base', 'forecast', 'protection', 'bid_price', 'competitor', 'elasticity',
  'price_point', 'ladder_rung', 'max_change', 'monotone_ladder', 'floor', 'ceiling',
];

export const GUARDRAIL_COMPONENTS: ReadonlySet<FareComponentCode> = new Set(['price_point', 'ladder_rung', 'max_change', 'monotone_ladder', 'floor', 'ceiling']);

export type DetailValue = number | string | boolean | null;

export interface FareComponent {
  code: FareComponentCode;
  /** signed amount in minor units; the components of an explanation sum to the price */
  amountMinor: number;
  /** the inputs behind the amount (plain values, for display) */
  detail: Record<string, DetailValue>;
}

export interface FareExplanation {
  currency: string;
  components: FareComponent[];
  /** every guardrail that changed the price */
  guardrailsApplied: FareComponentCode[];
  /** a guardrail could not be honoured because a harder one won (e.g. max change against the floor) */
  conflicts: string[];
}

interface RecommendationBase {
  kind: RecommendationKind;
  /** unique per kind: "<flightId>/<cabin>/<rbd>" for fares and authorisations, "<flightId>/<cabin>" for bid prices */
  key: string;
  flightId: string;
  cabin: string;
  origin: string;
  destination: string;
  /** local departure date */
  departureDate: string;
  /** days before departure when recommended */
  daysToDeparture: number;
}

export interface FareRecommendation extends RecommendationBase {
  kind: 'fare';
  rbd: string;
  currency: string;
  currentMinor: number;
  recommendedMinor: number;
  /** 'continuous': any price point; 'ladder': a rung of the filed ladder */
  pricingMode: 'ladder' | 'continuous';
  explanation: FareExplanation;
}

export interface AuthorisationRecommendation extends RecommendationBase {
  kind: 'authorisation';
  rbd: string;
  /** current authorisation level (nested booking limit, seats) */
  current: number;
  recommended: number;
  explanation: {
    /** EMSR-b, or EMSR-b on MR-transformed fares */
    method: 'emsrb' | 'emsrb-mr';
    /** seats protected for the classes above this one */
    protectedAbove: number;
    /** authorised capacity of the cabin (physical + overbooking) and physical seats */
    authorisedCapacity: number;
    physicalCapacity: number;
    /** this class's demand to come (mean, sd) and the fare EMSR-b used (adjusted under MR) */
    demandMean: number;
    demandSd: number;
    fareUsed: number;
    /** closed as an inefficient class under the fare transformation */
    inefficient: boolean;
    forecastMethod: string;
    fallback: string | null;
  };
}

export interface BidPriceRecommendation extends RecommendationBase {
  kind: 'bid_price';
  currency: string;
  currentMinor: number | null;
  recommendedMinor: number;
  explanation: {
    method: 'emsr' | 'dp' | 'lp';
    remainingSeats: number;
    /** DP: the exact expected revenue of the DP and of EMSR-b from now, and the gap */
    dpRevenueMinor?: number;
    emsrbRevenueMinor?: number;
    gapPct?: number;
  };
}

export type Recommendation = FareRecommendation | AuthorisationRecommendation | BidPriceRecommendation;

/** Forecast of one departure × RBD as the cycle made it (what the store keeps per leg × RBD × DCP). */
export interface ForecastRecord {
  flightId: string;
  cabin: string;
  rbd: string;
  /** forecast method used ('historical-average' when falling back) */
  method: string;
  /** first DCP period still to come */
  fromPeriod: number;
  /** the DCPs (days before departure) ending each period still to come; shared, read-only */
  dcps: readonly number[];
  /** demand to come in each of those periods: mean and sd */
  periodMean: number[];
  periodSd: number[];
  mean: number;
  sd: number;
  cancellations: number;
  netFinal: number;
  showRate: number;
  fallback: string | null;
}
