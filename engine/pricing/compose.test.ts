import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ceilPricePoint, decodeFareExplanation, DEFAULT_PRICING_PARAMETERS, encodeFareExplanation, floorPricePoint, priceCabin, sharedFareDetails, type CabinPricingInput } from './compose';
import { GUARDRAIL_COMPONENTS, type FareComponentCode } from './types';

const base: CabinPricingInput = {
  currency: 'EUR',
  mode: 'continuous',
  rbds: [
    { rbd: 'Y', referenceMinor: 40000, baseMinor: 40000, availableSeats: 120, bidPriceMinor: 5000 },
    { rbd: 'M', referenceMinor: 25000, baseMinor: 25000, availableSeats: 60, bidPriceMinor: 5000 },
    { rbd: 'Q', referenceMinor: 12000, baseMinor: 12000, availableSeats: 0, bidPriceMinor: 5000 },
  ],
  forecast: { demandToCome: 90, sd: 12, remainingSeats: 60, daysToDeparture: 21, method: 'additive' },
  competitor: { targetMinor: 22000, sellingMinor: 25000, sellingReferenceMinor: 25000, strategy: 'undercut min by 5 %', minMinor: 23158, competitors: 3 },
  elasticity: { estimate: -1.2, se: 0.1, observations: 400 },
  params: DEFAULT_PRICING_PARAMETERS,
  guardrails: { pricePoints: { step: 100 }, floorMinor: 9000, ceilingMinor: 90000, maxChangePct: 30 },
};

const sum = (r: { explanation: { components: { amountMinor: number }[] } }) => r.explanation.components.reduce((a, c) => a + c.amountMinor, 0);
const amount = (r: { explanation: { components: { code: string; amountMinor: number }[] } }, code: FareComponentCode) => r.explanation.components.find((c) => c.code === code)!.amountMinor;

describe('price composition', () => {
  it('explains a price with components worked out by hand', () => {
    const [, m] = priceCabin(base);
    // forecast: pressure 90/60 = 1.5; 1.5^(1/1.6) = 1.288…, capped at 1.25: target 31250; weight 0.4 → +2500
    expect(amount(m!, 'forecast')).toBe(2500);
    // competitor: selling target 22000 on a selling reference of 25000 → factor 0.88 → target 22000; 0.3 · −3000 = −900
    expect(amount(m!, 'competitor')).toBe(-900);
    // elasticity: ε̂ −1.2 (se 0.1) shrunk toward −1.6 (prior sd 0.4): κ = 0.16/0.17, ε = −1.2235…;
    // markup ε/(1+ε) = 5.50… against −1.6/−0.6 = 2.667: capped at +25 % → target 31250; 0.3 · 6250 = 1875 → 1800
    expect(amount(m!, 'elasticity')).toBe(1800);
    expect(amount(m!, 'bid_price')).toBe(0);
    expect(amount(m!, 'protection')).toBe(0);
    // 25000 + 2500 − 900 + 1800 = 28400, inside ±30 % (17500..32500), floor and ceiling
    expect(m!.recommendedMinor).toBe(28400);
    expect(sum(m!)).toBe(28400);
    expect(m!.explanation.guardrailsApplied).toEqual([]);
  });

  it('converges over cycles instead of drifting: each signal aims at a level', () => {
    let input = base;
    const seen: number[] = [];
    for (let cycle = 0; cycle < 6; cycle++) {
      const out = priceCabin(input);
      seen.push(out[1]!.recommendedMinor);
      input = { ...input, rbds: input.rbds.map((r, j) => ({ ...r, baseMinor: out[j]!.recommendedMinor })) };
    }
    // the weighted target of M: 0.4·31250 + 0.3·22000 + 0.3·31250 = 28475 → the price settles next to it
    expect(Math.abs(seen[5]! - 28475)).toBeLessThanOrEqual(100);
    expect(seen[5]).toBe(seen[4]);
  });

  it('prices a class closed by protection up to the lowest open class above it', () => {
    const [, , q] = priceCabin(base);
    expect(amount(q!, 'protection')).toBe(13000); // 25000 − 12000
    expect(q!.explanation.components.find((c) => c.code === 'protection')!.detail.pricedAs).toBe('M');
  });

  it('clamps to the guardrails and says which bound', () => {
    const r = priceCabin({ ...base, guardrails: { ...base.guardrails, ceilingMinor: 28050, maxChangePct: 10 } });
    expect(r[1]!.recommendedMinor).toBe(27500); // 28400 capped at +10 % of 25000
    expect(r[1]!.explanation.guardrailsApplied).toEqual(['max_change']);
    expect(r[0]!.recommendedMinor).toBe(28000); // the ceiling, snapped down to a price point
    expect(r[0]!.explanation.guardrailsApplied).toContain('ceiling');
    expect(() => priceCabin({ ...base, guardrails: { ...base.guardrails, floorMinor: 50000, ceilingMinor: 40000 } })).toThrow(/no price point between them/);
  });

  it('snaps to filed rungs in ladder-priced markets and to any price point in continuous ones', () => {
    const ladder = priceCabin({ ...base, mode: 'ladder' });
    for (const r of ladder) expect([40000, 25000, 12000]).toContain(r.recommendedMinor);
    const cont = priceCabin({ ...base, guardrails: { ...base.guardrails, pricePoints: { step: 1000, ending: 900 } } });
    for (const r of cont) expect((r.recommendedMinor - 900) % 1000).toBe(0);
  });
});

const cabin = fc.record({
  bases: fc.array(fc.integer({ min: 10, max: 2000 }), { minLength: 1, maxLength: 8 }),
  drift: fc.double({ min: 0.7, max: 1.4, noNaN: true }),
  seats: fc.array(fc.integer({ min: -2, max: 80 }), { minLength: 8, maxLength: 8 }),
  bids: fc.array(fc.integer({ min: 0, max: 200000 }), { minLength: 8, maxLength: 8 }),
  demand: fc.double({ min: 0, max: 400, noNaN: true }),
  remaining: fc.integer({ min: 0, max: 300 }),
  target: fc.option(fc.integer({ min: 1000, max: 300000 }), { nil: null }),
  selling: fc.integer({ min: 1000, max: 300000 }),
  elasticity: fc.option(fc.record({ estimate: fc.double({ min: -4, max: 0.5, noNaN: true }), se: fc.double({ min: 0.01, max: 2, noNaN: true }) }), { nil: null }),
  step: fc.constantFrom(1, 100, 500, 1000),
  ending: fc.constantFrom(0, 1),
  floor: fc.option(fc.integer({ min: 0, max: 50000 }), { nil: null }),
  width: fc.integer({ min: 2000, max: 400000 }),
  maxChange: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  mode: fc.constantFrom<'ladder' | 'continuous'>('ladder', 'continuous'),
});

function build(c: { bases: number[]; drift: number; seats: number[]; bids: number[]; demand: number; remaining: number; target: number | null; selling: number; elasticity: { estimate: number; se: number } | null; step: number; ending: number; floor: number | null; width: number; maxChange: number | null; mode: 'ladder' | 'continuous' }): CabinPricingInput {
  const ending = c.step > 1 ? c.ending * (c.step - 1) : 0;
  const refs = [...c.bases].sort((a, b) => b - a).map((b) => b * 100 + ending);
  return {
    ...base,
    mode: c.mode,
    rbds: refs.map((ref, i) => ({ rbd: `R${i}`, referenceMinor: ref, baseMinor: Math.max(1, Math.round(ref * c.drift)), availableSeats: c.seats[i]!, bidPriceMinor: c.bids[i]! })),
    forecast: { demandToCome: c.demand, sd: 5, remainingSeats: c.remaining, daysToDeparture: 10, method: 'additive' },
    competitor: { targetMinor: c.target, sellingMinor: c.selling, sellingReferenceMinor: c.selling, strategy: 'match min' },
    elasticity: c.elasticity ? { ...c.elasticity, observations: 100 } : null,
    guardrails: { pricePoints: { step: c.step, ending }, floorMinor: c.floor, ceilingMinor: c.floor === null ? null : c.floor + c.width, maxChangePct: c.maxChange },
  };
}

describe('properties on random cabins', () => {
  it('components sum exactly to the price; guardrails are never violated; the ladder is monotone', () => {
    fc.assert(fc.property(cabin, (c) => {
      const input = build(c);
      const out = priceCabin(input);
      const pp = input.guardrails.pricePoints;
      out.forEach((r, j) => {
        expect(sum(r)).toBe(r.recommendedMinor);
        expect(Number.isInteger(r.recommendedMinor)).toBe(true);
        expect((r.recommendedMinor - (pp.ending ?? 0)) % pp.step).toBe(0);
        if (input.guardrails.floorMinor != null) expect(r.recommendedMinor).toBeGreaterThanOrEqual(input.guardrails.floorMinor);
        if (input.guardrails.ceilingMinor != null) expect(r.recommendedMinor).toBeLessThanOrEqual(input.guardrails.ceilingMinor);
        if (j > 0) expect(r.recommendedMinor).toBeLessThanOrEqual(out[j - 1]!.recommendedMinor);
        // the base ladder is monotone, so max change holds unless the floor or ceiling is outside its band
        const mc = input.guardrails.maxChangePct;
        if (mc != null && r.explanation.conflicts.length === 0) {
          const b = r.currentMinor;
          expect(r.recommendedMinor).toBeGreaterThanOrEqual(Math.min(ceilPricePoint(b * (1 - mc / 100), pp), floorPricePoint(b * (1 + mc / 100), pp)) - pp.step);
          expect(r.recommendedMinor).toBeLessThanOrEqual(Math.max(floorPricePoint(b * (1 + mc / 100), pp), ceilPricePoint(b * (1 - mc / 100), pp)) + pp.step);
        }
        if (r.explanation.conflicts.length > 0) expect(input.guardrails.floorMinor != null).toBe(true);
      });
    }), { numRuns: 400, seed: 11 });
  });

  it('changing one input moves only its own component (the guardrails absorb the rest)', () => {
    const signals: Record<string, { code: FareComponentCode; change: (i: CabinPricingInput, v: number) => CabinPricingInput }> = {
      forecast: { code: 'forecast', change: (i, v) => ({ ...i, forecast: { ...i.forecast, demandToCome: v % 300, remainingSeats: (v * 7) % 200 } }) },
      protection: { code: 'protection', change: (i, v) => ({ ...i, rbds: i.rbds.map((r, k) => ({ ...r, availableSeats: (v + k * 13) % 5 - 1 })) }) },
      bid: { code: 'bid_price', change: (i, v) => ({ ...i, rbds: i.rbds.map((r) => ({ ...r, bidPriceMinor: v * 37 })) }) },
      competitor: { code: 'competitor', change: (i, v) => ({ ...i, competitor: { ...i.competitor, targetMinor: 1000 + v * 53 } }) },
      elasticity: { code: 'elasticity', change: (i, v) => ({ ...i, elasticity: { estimate: -0.5 - (v % 40) / 10, se: 0.2, observations: 50 } }) },
    };
    fc.assert(fc.property(cabin, fc.constantFrom(...Object.keys(signals)), fc.integer({ min: 0, max: 5000 }), (c, which, v) => {
      const input = build(c);
      const s = signals[which]!;
      const before = priceCabin(input);
      const after = priceCabin(s.change(input, v));
      before.forEach((b, j) => {
        const a = after[j]!;
        for (const comp of b.explanation.components) {
          if (comp.code === s.code || GUARDRAIL_COMPONENTS.has(comp.code)) continue;
          expect(amount(a, comp.code)).toBe(comp.amountMinor);
        }
        // with no guardrail acting either time, the price moves by exactly the own component's change
        const quiet = (r: typeof a) => r.explanation.components.every((k) => !GUARDRAIL_COMPONENTS.has(k.code) || k.amountMinor === 0);
        if (quiet(a) && quiet(b)) expect(a.recommendedMinor - b.recommendedMinor).toBe(amount(a, s.code) - amount(b, s.code));
      });
    }), { numRuns: 400, seed: 13 });
  });

  it('stores compactly and reads back the same explanation', () => {
    fc.assert(fc.property(cabin, (c) => {
      const input = build(c);
      const out = priceCabin(input);
      const shared = sharedFareDetails(out[0]!.explanation, input.mode);
      for (const r of out) {
        const stored = JSON.parse(JSON.stringify(encodeFareExplanation(r.explanation)));
        expect(decodeFareExplanation(stored, r.rbd, JSON.parse(JSON.stringify(shared)))).toEqual(r.explanation);
      }
    }), { numRuns: 100, seed: 17 });
  });
});
