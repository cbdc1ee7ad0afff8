import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BRANDS, optimiseBrandedFares, partsMinor, solveBranchAndBound, solveBruteForce, type BrandedFareInput, type RuleLevel } from './branded-fares';
import { buildChoiceTables, choiceOutcome, expectedRevenue } from './choice';
import { sumComponents } from './explanation';
import type { AncillaryCode } from './catalogue';

const ITEMS: AncillaryCode[] = ['BAG1', 'SEAT_STD', 'FLEX_CHG', 'SEAT_XL', 'PRIO', 'MEAL', 'FLEX_REF'];

function instance(opts: { segments: { weight: number; mu: number[]; s: number[] }[]; prices: number[]; fare: number; lambda: number; step: number; minStep: number; maxStep: number; minDisc: number; maxFactor: number }): BrandedFareInput {
  const alaCarteMinor: Partial<Record<AncillaryCode, number>> = {};
  ITEMS.forEach((c, i) => { alaCarteMinor[c] = opts.prices[i]!; });
  return {
    currency: 'EUR', fareMinor: opts.fare, brands: DEFAULT_BRANDS.map((b) => ({ ...b, includes: [...b.includes] })),
    alaCarteMinor, covers: { SEAT_XL: ['SEAT_STD'] },
    segments: opts.segments.map((g, gi) => ({ id: `g${gi}`, weight: g.weight, wtp: Object.fromEntries(ITEMS.map((c, i) => [c, { meanMinor: g.mu[i]!, scaleMinor: g.s[i]! }])) })),
    choiceScaleMinor: opts.lambda,
    rules: { minBundleDiscountMinor: opts.minDisc, minStepMinor: opts.minStep, maxStepMinor: opts.maxStep },
    grid: { stepMinor: opts.step, maxFactor: opts.maxFactor },
  };
}

const example = instance({
  segments: [
    { weight: 0.7, mu: [2600, 900, 1500, 1800, 600, 700, 2000], s: [700, 400, 800, 900, 300, 300, 1500] },
    { weight: 0.3, mu: [3800, 1500, 5000, 4200, 1200, 900, 9000], s: [900, 500, 1500, 1200, 500, 400, 3000] },
  ],
  prices: [3000, 1200, 3500, 3500, 900, 900, 6000], fare: 12_000, lambda: 1500, step: 100, minStep: 500, maxStep: 8000, minDisc: 1, maxFactor: 1.5,
});

describe('branded fares', () => {
  it('the branch and bound equals a brute-force search over the grid, at every rule level, on random small instances', () => {
    const seg = fc.record({
      weight: fc.double({ min: 0.05, max: 1, noNaN: true }),
      mu: fc.array(fc.integer({ min: -2000, max: 9000 }), { minLength: 7, maxLength: 7 }),
      s: fc.array(fc.integer({ min: 100, max: 3000 }), { minLength: 7, maxLength: 7 }),
    });
    fc.assert(fc.property(
      fc.record({
        segments: fc.array(seg, { minLength: 1, maxLength: 4 }),
        prices: fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 7, maxLength: 7 }),
        fare: fc.integer({ min: 2000, max: 50_000 }),
        lambda: fc.integer({ min: 100, max: 5000 }),
        step: fc.constantFrom(250, 500, 1000),
        minStep: fc.integer({ min: 0, max: 3000 }),
        maxStep: fc.integer({ min: 3000, max: 15_000 }),
        minDisc: fc.integer({ min: 1, max: 1500 }),
        maxFactor: fc.constantFrom(1, 1.5),
      }),
      (o) => {
        const input = instance(o);
        const brutes: number[][] = [];
        for (const level of [0, 1, 2, 3] as RuleLevel[]) {
          let brute;
          try { brute = solveBruteForce(input, level); } catch (e) {
            expect(() => solveBranchAndBound(input, level)).toThrow(/no brand prices satisfy the rules/);
            expect((e as Error).message).toMatch(/no brand prices satisfy the rules/);
            continue;
          }
          const bb = solveBranchAndBound(input, level);
          expect(bb.uplifts).toEqual(brute.uplifts);
          expect(bb.revenuePerPax).toBe(brute.revenuePerPax);
          brutes[level] = brute.uplifts;
        }
        // the full optimiser (which reuses a level's optimum when it meets the next rule) agrees too
        if (brutes.length === 4) expect(optimiseBrandedFares(input).byRuleLevel.map((l) => l.uplifts)).toEqual(brutes);
      },
    ), { numRuns: 150, seed: 20_251_125 });
  });

  it('prices the three brands under the rules and explains each price exactly', () => {
    const r = optimiseBrandedFares(example);
    const [light, classic, flex] = r.brands;
    expect(light!.priceMinor).toBe(12_000);
    // ordered, steps within bounds, each bundle below its parts
    expect(classic!.priceMinor).toBeGreaterThanOrEqual(light!.priceMinor);
    expect(flex!.priceMinor).toBeGreaterThanOrEqual(classic!.priceMinor);
    for (const [lo, hi] of [[light!, classic!], [classic!, flex!]] as const) {
      expect(hi.priceMinor - lo.priceMinor).toBeGreaterThanOrEqual(500);
      expect(hi.priceMinor - lo.priceMinor).toBeLessThanOrEqual(8000);
    }
    expect(classic!.upliftMinor).toBeLessThan(partsMinor(example, 1));
    expect(flex!.upliftMinor).toBeLessThan(partsMinor(example, 2));
    expect(classic!.partsMinor).toBe(3000 + 1200 + 3500);
    expect(flex!.partsMinor).toBe(3000 + 3500 + 3500 + 900 + 900 + 6000);
    for (const b of r.brands) {
      expect(sumComponents(b.components)).toBe(b.priceMinor);
      for (const c of b.components) expect(Number.isInteger(c.amountMinor)).toBe(true);
    }
    expect(classic!.components.map((c) => c.key)).toEqual(['fare', 'included:BAG1', 'included:SEAT_STD', 'included:FLEX_CHG', 'bundle_discount', 'rule:bundle_below_parts', 'rule:brand_order', 'rule:step_bounds']);
    // shares sum to one; the revenue identity holds
    expect(r.brands.reduce((s, b) => s + b.share, 0)).toBeCloseTo(1, 12);
    const o = r.outcome;
    expect(o.revenuePerPax).toBeCloseTo(o.baselinePerPax + o.brandStepPerPax - o.cannibalisedPerPax, 9);
    // bundles pay: the optimum earns at least the baseline (the grid's top prices nearly reproduce it)
    expect(o.incrementalPerPax).toBeGreaterThan(0);
    // the optimum is at least as good as any feasible neighbour on the grid
    const t = buildChoiceTables(example);
    for (const d of [[100, 0], [-100, 0], [0, 100], [0, -100]]) {
      const u = [0, classic!.upliftMinor + d[0]!, flex!.upliftMinor + d[1]!];
      const ok = u[1]! >= 500 && u[1]! <= 8000 && u[2]! - u[1]! >= 500 && u[2]! - u[1]! <= 8000 && u[1]! < partsMinor(example, 1) && u[2]! < partsMinor(example, 2);
      if (ok) expect(expectedRevenue(t, u)).toBeLessThanOrEqual(o.revenuePerPax);
    }
  });

  it('a binding rule shows up as its own component, and the others say they were not binding', () => {
    // a tight maximum step forces Flex down from where revenue alone would put it
    const tight = { ...example, rules: { ...example.rules, maxStepMinor: 1000 } };
    const r = optimiseBrandedFares(tight);
    const flex = r.brands[2]!;
    const step = flex.components.find((c) => c.key === 'rule:step_bounds')!;
    expect(step.amountMinor).toBeLessThan(0);
    expect(r.brands[2]!.priceMinor - r.brands[1]!.priceMinor).toBeLessThanOrEqual(1000);
    expect(r.byRuleLevel[3]!.revenuePerPax).toBeLessThanOrEqual(r.byRuleLevel[2]!.revenuePerPax);
    expect(r.byRuleLevel[2]!.revenuePerPax).toBeLessThanOrEqual(r.byRuleLevel[1]!.revenuePerPax);
    expect(r.byRuleLevel[1]!.revenuePerPax).toBeLessThanOrEqual(r.byRuleLevel[0]!.revenuePerPax);
    const loose = optimiseBrandedFares({ ...example, rules: { ...example.rules, minStepMinor: 0, maxStepMinor: 1_000_000 } });
    expect(loose.brands[2]!.components.find((c) => c.key === 'rule:step_bounds')).toMatchObject({ amountMinor: 0, label: expect.stringMatching(/not binding/) });
  });

  it('step bounds as a fraction of the fare tighten the absolute ones', () => {
    const r = optimiseBrandedFares({ ...example, rules: { ...example.rules, maxStepFractionOfFare: 0.05 } });
    expect(r.brands[1]!.upliftMinor).toBeLessThanOrEqual(600);
    expect(r.brands[2]!.upliftMinor - r.brands[1]!.upliftMinor).toBeLessThanOrEqual(600);
  });

  it('refuses rules no price can meet, naming them', () => {
    expect(() => optimiseBrandedFares({ ...example, rules: { ...example.rules, minStepMinor: 9000, maxStepMinor: 9500 } }))
      .toThrow(/no brand prices satisfy the rules up to "step bounds".*Widen the step bounds/);
    expect(() => optimiseBrandedFares({ ...example, rules: { ...example.rules, minStepMinor: 900, maxStepMinor: 800 } })).toThrow(/minimum step between brands \(900\) exceeds the maximum \(800\)/);
    expect(() => optimiseBrandedFares({ ...example, brands: [example.brands[0]!, { ...example.brands[1]!, includes: [] }] })).toThrow(/must include more than LIGHT/);
  });

  it('the choice model moves share towards a brand whose items are valued more', () => {
    const t1 = buildChoiceTables(example);
    const richer = { ...example, segments: example.segments.map((g) => ({ ...g, wtp: { ...g.wtp, FLEX_REF: { meanMinor: g.wtp.FLEX_REF!.meanMinor + 3000, scaleMinor: g.wtp.FLEX_REF!.scaleMinor } } })) };
    const t2 = buildChoiceTables(richer);
    const u = [0, 3000, 8000];
    expect(choiceOutcome(t2, u).shares[2]!).toBeGreaterThan(choiceOutcome(t1, u).shares[2]!);
    // prohibitive brand prices leave the baseline: everyone on Light, buying à la carte
    const o = choiceOutcome(t1, [0, 1e9, 2e9]);
    expect(o.shares[0]).toBeCloseTo(1, 12);
    expect(o.revenuePerPax).toBeCloseTo(o.baselinePerPax, 6);
  });
});
