/**
 * Dynamic ancillary prices: the catalogue price moved by the flight's load factor and the time to
 * departure, rounded to the market's price points, then held inside guardrails: a maximum change from the
 * previous price, then a floor and a ceiling. The floor and ceiling are hard and come last, so they win
 * over the step limit when the two disagree (a previous price left outside a newly tightened band).
 *
 * The price explains itself: base, load-factor effect, time effect, rounding, step clamp, floor/ceiling
 * clamp, in that order, summing exactly to the price.
 */
import { z } from 'zod';
import { roundToPricePoint, type CurrencyCode, type Money } from '../domain/money';
import { ANCILLARY_CODES, type AncillaryCode } from './catalogue';
import { assertExplains, type ExplainedPrice, type PriceComponent } from './explanation';

export interface CurvePoint {
  at: number;
  multiplier: number;
}

export interface DynamicAncillaryRule {
  code: AncillaryCode;
  /** multiplier by load factor (0–1, above 1 when overbooked), linear between points, flat beyond */
  byLoadFactor: CurvePoint[];
  /** multiplier by days to departure, linear between points, flat beyond */
  byDaysToDeparture: CurvePoint[];
  floorMinor?: number;
  ceilingMinor?: number;
  /** floor and ceiling as fractions of the base price (the tighter of absolute and relative applies) */
  floorFraction?: number;
  ceilingFraction?: number;
  /** the largest change from the previous price, absolute and/or as a fraction of it */
  maxStepMinor?: number;
  maxStepFraction?: number;
  pricePoint?: { stepMinor: number; endingMinor?: number };
}

const curveSchema = z.array(z.strictObject({ at: z.number().finite(), multiplier: z.number().positive() })).min(1)
  .refine((c) => c.every((p, i) => i === 0 || p.at > c[i - 1]!.at), 'points must be in strictly increasing order of "at"');

export const DynamicAncillaryRuleSchema = z.strictObject({
  code: z.enum(ANCILLARY_CODES),
  byLoadFactor: curveSchema,
  byDaysToDeparture: curveSchema,
  floorMinor: z.number().int().min(0).optional(),
  ceilingMinor: z.number().int().min(0).optional(),
  floorFraction: z.number().min(0).optional(),
  ceilingFraction: z.number().positive().optional(),
  maxStepMinor: z.number().int().min(0).optional(),
  maxStepFraction: z.number().min(0).optional(),
  pricePoint: z.strictObject({ stepMinor: z.number().int().positive(), endingMinor: z.number().int().min(0).optional() }).optional(),
});

/** Validates a rule (settings, UI edits); throws naming each bad field. */
export function parseDynamicRule(input: unknown): DynamicAncillaryRule {
  const r = DynamicAncillaryRuleSchema.safeParse(input);
  if (!r.success) throw new Error(`invalid dynamic ancillary rule: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Seats sell dearer on full flights; bags dearer close to departure. Defaults to edit, not market data. */
export const DEFAULT_DYNAMIC_RULES: readonly DynamicAncillaryRule[] = [
  {
    code: 'SEAT_XL',
    byLoadFactor: [{ at: 0.5, multiplier: 0.85 }, { at: 0.8, multiplier: 1 }, { at: 0.95, multiplier: 1.3 }],
    byDaysToDeparture: [{ at: 0, multiplier: 1.1 }, { at: 14, multiplier: 1 }],
    floorFraction: 0.7, ceilingFraction: 1.6, maxStepFraction: 0.2, pricePoint: { stepMinor: 100 },
  },
  {
    code: 'SEAT_STD',
    byLoadFactor: [{ at: 0.5, multiplier: 0.8 }, { at: 0.85, multiplier: 1 }, { at: 0.97, multiplier: 1.25 }],
    byDaysToDeparture: [{ at: 0, multiplier: 1.1 }, { at: 14, multiplier: 1 }],
    floorFraction: 0.6, ceilingFraction: 1.5, maxStepFraction: 0.2, pricePoint: { stepMinor: 100 },
  },
  {
    code: 'BAG1',
    byLoadFactor: [{ at: 0, multiplier: 1 }],
    byDaysToDeparture: [{ at: 0, multiplier: 1.2 }, { at: 3, multiplier: 1.1 }, { at: 30, multiplier: 1 }],
    floorFraction: 0.8, ceilingFraction: 1.3, maxStepFraction: 0.15, pricePoint: { stepMinor: 100 },
  },
];

export function interpolate(curve: readonly CurvePoint[], x: number): number {
  if (curve.length === 0) return 1;
  if (x <= curve[0]!.at) return curve[0]!.multiplier;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1]!; const b = curve[i]!;
    if (x <= b.at) return a.multiplier + ((b.multiplier - a.multiplier) * (x - a.at)) / (b.at - a.at);
  }
  return curve[curve.length - 1]!.multiplier;
}

export interface DynamicPriceInput {
  /** the catalogue's à-la-carte price per unit */
  base: Money;
  loadFactor: number;
  daysToDeparture: number;
  /** the price in force before this cycle, for the step limit */
  previousMinor?: number;
  rule: DynamicAncillaryRule;
}

export interface DynamicPrice extends ExplainedPrice {
  code: AncillaryCode;
  floorMinor: number;
  ceilingMinor: number;
  /** guardrails that changed the price */
  clamps: ('max_step' | 'floor' | 'ceiling')[];
}

export function guardrailBand(base: number, rule: DynamicAncillaryRule): { floor: number; ceiling: number } {
  let floor = rule.floorMinor ?? 0;
  if (rule.floorFraction !== undefined) floor = Math.max(floor, Math.ceil(base * rule.floorFraction));
  let ceiling = rule.ceilingMinor ?? Number.MAX_SAFE_INTEGER;
  if (rule.ceilingFraction !== undefined) ceiling = Math.min(ceiling, Math.floor(base * rule.ceilingFraction));
  return { floor, ceiling };
}

export function dynamicAncillaryPrice(input: DynamicPriceInput): DynamicPrice {
  const { base, rule } = input;
  const currency: CurrencyCode = base.currency;
  if (!Number.isSafeInteger(base.amountMinor) || base.amountMinor < 0) throw new Error(`${rule.code}: base price must be a non-negative integer, got ${base.amountMinor}`);
  if (!(input.loadFactor >= 0)) throw new Error(`${rule.code}: loadFactor must be non-negative, got ${input.loadFactor}`);
  if (!(input.daysToDeparture >= 0)) throw new Error(`${rule.code}: daysToDeparture must be non-negative, got ${input.daysToDeparture}`);
  const { floor, ceiling } = guardrailBand(base.amountMinor, rule);
  if (floor > ceiling) throw new Error(`${rule.code}: the floor ${floor} exceeds the ceiling ${ceiling} (${currency}); fix the rule's guardrails`);

  const m1 = interpolate(rule.byLoadFactor, input.loadFactor);
  const m2 = interpolate(rule.byDaysToDeparture, input.daysToDeparture);
  const afterLf = Math.round(base.amountMinor * m1);
  const afterTime = Math.round(base.amountMinor * m1 * m2);
  const rounded = rule.pricePoint ? roundToPricePoint(afterTime, rule.pricePoint.stepMinor, rule.pricePoint.endingMinor ?? 0) : afterTime;
  const clamps: DynamicPrice['clamps'] = [];
  let stepped = rounded;
  if (input.previousMinor !== undefined) {
    let maxStep = rule.maxStepMinor ?? Number.MAX_SAFE_INTEGER;
    if (rule.maxStepFraction !== undefined) maxStep = Math.min(maxStep, Math.floor(input.previousMinor * rule.maxStepFraction));
    const lo = input.previousMinor - maxStep; const hi = input.previousMinor + maxStep;
    if (stepped < lo) { stepped = lo; clamps.push('max_step'); } else if (stepped > hi) { stepped = hi; clamps.push('max_step'); }
  }
  let final = stepped;
  if (final < floor) { final = floor; clamps.push('floor'); } else if (final > ceiling) { final = ceiling; clamps.push('ceiling'); }

  const pct = (m: number) => `${m >= 1 ? '+' : ''}${((m - 1) * 100).toFixed(1)} %`;
  const components: PriceComponent[] = [
    { key: 'base', label: `${rule.code} catalogue price`, amountMinor: base.amountMinor },
    { key: 'load_factor', label: `Load factor ${(input.loadFactor * 100).toFixed(0)} %: ${pct(m1)}`, amountMinor: afterLf - base.amountMinor },
    { key: 'time_to_departure', label: `${input.daysToDeparture} days to departure: ${pct(m2)}`, amountMinor: afterTime - afterLf },
    { key: 'rounding', label: 'Rounded to the market price points', amountMinor: rounded - afterTime },
    { key: 'guardrail:max_step', label: input.previousMinor === undefined ? 'Maximum change per cycle (no previous price)' : `Maximum change from the previous price ${input.previousMinor}`, amountMinor: stepped - rounded },
    { key: 'guardrail:floor_ceiling', label: `Floor ${floor} / ceiling ${ceiling === Number.MAX_SAFE_INTEGER ? 'none' : ceiling}`, amountMinor: final - stepped },
  ];
  const price: DynamicPrice = { code: rule.code, amountMinor: final, currency, components, floorMinor: floor, ceilingMinor: ceiling, clamps };
  assertExplains(price, `dynamic price of ${rule.code}`);
  return price;
}
