/**
 * Passengers' true behaviour, drawn per seed within documented ranges (README, "True parameters"), so
 * that nothing downstream can be tuned to one fixed truth. Each range is [low, high]; a seed draws one
 * value uniformly in it. Values that are fractions of a reference fare are noted so.
 */
import { Rng } from './rng';
import type { SegmentSpec } from './scenario';

export type Range = readonly [number, number];

export interface SegmentRanges {
  emult: Range;
  /** restriction disutilities, fractions of the segment's reference fare */
  r1: Range;
  r2: Range;
  r3: Range;
  restrictionCostCv: Range;
  connectionCost: Range;
  elapsedCostPerHour: Range;
  timeCostPerHour: Range;
  /** value of the premium cabin J, fraction of the reference fare */
  cabinValueJ: Range;
  cancelProbability: Range;
  noShowProbability: Range;
  homePosShare: Range;
  siteLoyaltyCost: Range;
  otaEmultFactor: Range;
  /** amplitude of the yearly and half-yearly seasonal waves */
  seasonA1: Range;
  seasonA2: Range;
  /** peak day of year of each wave */
  seasonPeak1: Range;
  seasonPeak2: Range;
  /** jitter applied to each weekday factor before renormalising */
  dowJitter: Range;
}

export const SANDBOX_RANGES: Readonly<Record<'business' | 'leisure', SegmentRanges>> = {
  business: {
    emult: [1.8, 2.6], r1: [0.6, 1.0], r2: [0.25, 0.45], r3: [0.15, 0.3], restrictionCostCv: [0.2, 0.4],
    connectionCost: [0.15, 0.3], elapsedCostPerHour: [0.04, 0.08], timeCostPerHour: [0.03, 0.06], cabinValueJ: [0.5, 0.9],
    cancelProbability: [0.15, 0.25], noShowProbability: [0.06, 0.1], homePosShare: [0.8, 0.9], siteLoyaltyCost: [0.1, 0.2],
    otaEmultFactor: [0.95, 1.0], seasonA1: [0.03, 0.08], seasonA2: [0.08, 0.15], seasonPeak1: [270, 290], seasonPeak2: [95, 110],
    dowJitter: [-0.05, 0.05],
  },
  leisure: {
    emult: [1.3, 1.7], r1: [0.03, 0.1], r2: [0.05, 0.15], r3: [0.03, 0.08], restrictionCostCv: [0.3, 0.5],
    connectionCost: [0.05, 0.12], elapsedCostPerHour: [0.01, 0.03], timeCostPerHour: [0.005, 0.02], cabinValueJ: [0.1, 0.3],
    cancelProbability: [0.06, 0.12], noShowProbability: [0.02, 0.04], homePosShare: [0.75, 0.85], siteLoyaltyCost: [0.05, 0.1],
    otaEmultFactor: [0.85, 0.95], seasonA1: [0.15, 0.3], seasonA2: [0.03, 0.08], seasonPeak1: [190, 215], seasonPeak2: [100, 120],
    dowJitter: [-0.05, 0.05],
  },
};

/**
 * 3MKT: the file gives emult (1.6) and the reference fares; the restriction disutilities are ours
 * (the file says to choose and document them). No schedule or weekday effects, single party size,
 * no cancellations (PODS base settings).
 */
export const THREE_MKT_RANGES: Readonly<Record<'business' | 'leisure', Pick<SegmentRanges, 'r1' | 'r2' | 'r3' | 'restrictionCostCv' | 'connectionCost' | 'timeCostPerHour'>>> = {
  business: { r1: [0.6, 0.9], r2: [0.2, 0.35], r3: [0.25, 0.4], restrictionCostCv: [0.2, 0.3], connectionCost: [0.1, 0.2], timeCostPerHour: [0.01, 0.03] },
  leisure: { r1: [0.08, 0.15], r2: [0.05, 0.12], r3: [0.05, 0.1], restrictionCostCv: [0.3, 0.4], connectionCost: [0.03, 0.08], timeCostPerHour: [0.0, 0.01] },
};

/** Base weekday factors (Monday first) before jitter. */
export const BASE_DOW: Readonly<Record<'business' | 'leisure', readonly number[]>> = {
  business: [1.25, 1.05, 1.0, 1.15, 1.15, 0.4, 1.0],
  leisure: [0.95, 0.8, 0.85, 1.0, 1.25, 1.1, 1.05],
};

export const SANDBOX_CHANNEL_MIX: Readonly<Record<'business' | 'leisure', Record<string, number>>> = {
  business: { direct: 0.25, mobile: 0.05, ota: 0.1, gds: 0.6 },
  leisure: { direct: 0.35, mobile: 0.25, ota: 0.35, gds: 0.05 },
};

export const SANDBOX_GROUP_SIZES: Readonly<Record<'business' | 'leisure', readonly number[]>> = {
  business: [0.85, 0.12, 0.03],
  leisure: [0.45, 0.35, 0.08, 0.1, 0.02],
};

/** Mean willingness to pay for each ancillary as a multiple of its price (lognormal per passenger). */
export const ANCILLARY_PROPENSITY: Readonly<Record<'business' | 'leisure', Record<string, number>>> = {
  business: { BAG1: 0.9, BAG2: 0.3, SEAT_STD: 0.9, SEAT_XL: 0.8, MEAL: 0.8, WIFI: 1.1, PRIO: 0.9, LOUNGE: 0.7, FLEX_CHG: 0.9, FLEX_REF: 0.6 },
  leisure: { BAG1: 0.85, BAG2: 0.45, SEAT_STD: 0.7, SEAT_XL: 0.45, MEAL: 0.5, WIFI: 0.45, PRIO: 0.4, LOUNGE: 0.25, FLEX_CHG: 0.35, FLEX_REF: 0.2 },
};

export function draw(rng: Rng, r: Range): number {
  return r[0] + (r[1] - r[0]) * rng.uniform();
}

/** Morning and evening peaks for business, a broad daytime spread for leisure. */
export const PREFERRED_TIMES = {
  business: [{ hour: 7.5, sdHours: 1.5, weight: 0.55 }, { hour: 18, sdHours: 1.5, weight: 0.45 }],
  leisure: [{ hour: 12, sdHours: 4, weight: 1 }],
} as const;

/** Draws a sandbox segment's true parameters. */
export function drawSandboxSegment(code: 'business' | 'leisure', rng: Rng): SegmentSpec {
  const r = SANDBOX_RANGES[code];
  const dow = BASE_DOW[code].map((f) => f * (1 + draw(rng, r.dowJitter)));
  const mean = dow.reduce((a, b) => a + b, 0) / 7;
  return {
    code,
    emult: draw(rng, r.emult),
    restrictionCost: { R1: draw(rng, r.r1), R2: draw(rng, r.r2), R3: draw(rng, r.r3) },
    restrictionCostCv: draw(rng, r.restrictionCostCv),
    connectionCost: draw(rng, r.connectionCost),
    elapsedCostPerHour: draw(rng, r.elapsedCostPerHour),
    timeCostPerHour: draw(rng, r.timeCostPerHour),
    preferredTimes: PREFERRED_TIMES[code].map((p) => ({ ...p })),
    cabinValue: { J: draw(rng, r.cabinValueJ), Y: 0 },
    groupSize: [...SANDBOX_GROUP_SIZES[code]],
    cancelProbability: draw(rng, r.cancelProbability),
    noShowProbability: draw(rng, r.noShowProbability),
    channelMix: { ...SANDBOX_CHANNEL_MIX[code] },
    homePosShare: draw(rng, r.homePosShare),
    siteLoyaltyCost: draw(rng, r.siteLoyaltyCost),
    otaEmultFactor: draw(rng, r.otaEmultFactor),
    dowFactors: dow.map((f) => f / mean),
    season: { a1: draw(rng, r.seasonA1), peak1: draw(rng, r.seasonPeak1), a2: draw(rng, r.seasonA2), peak2: draw(rng, r.seasonPeak2) },
    ancillaryPropensity: { ...ANCILLARY_PROPENSITY[code] },
  };
}
