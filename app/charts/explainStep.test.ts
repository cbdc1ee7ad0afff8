import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICING_PARAMETERS, priceCabin, type CabinPricingInput } from '../../engine/pricing/compose';
import { fareStepLabel } from '../../engine/workflow/fromPricing';
import { describeStep, readableStep, stepInputs, stepTitle } from './explainStep';

const cabin: CabinPricingInput = {
  currency: 'EUR',
  mode: 'continuous',
  rbds: [
    { rbd: 'Y', referenceMinor: 40000, baseMinor: 40000, availableSeats: 120, bidPriceMinor: 5000 },
    { rbd: 'M', referenceMinor: 25000, baseMinor: 25000, availableSeats: 60, bidPriceMinor: 0 },
    { rbd: 'Q', referenceMinor: 12000, baseMinor: 12000, availableSeats: 0, bidPriceMinor: 5000 },
  ],
  forecast: { demandToCome: 90, sd: 12, remainingSeats: 60, daysToDeparture: 21, method: 'additive' },
  competitor: { targetMinor: 22000, sellingMinor: 25000, sellingReferenceMinor: 25000, strategy: 'match the competitor minimum', minMinor: 23158, competitors: 3 },
  elasticity: { estimate: -1.2, se: 0.1, observations: 400 },
  params: DEFAULT_PRICING_PARAMETERS,
  guardrails: { pricePoints: { step: 100 }, floorMinor: 9000, ceilingMinor: 90000, maxChangePct: 30 },
};

/** The steps of a class as the review shows them: the pricing engine's components, labelled as decisions store them. */
function stepsOf(input: CabinPricingInput, cls: number) {
  return priceCabin(input)[cls]!.explanation.components.map((c) => ({ key: c.code, label: fareStepLabel(c.code, c.detail), amount: c.amountMinor }));
}
const text = (steps: { key: string; label: string }[], key: string, currency: string | null = 'EUR') => describeStep(steps.find((s) => s.key === key)!, currency).text;

describe('a fare explanation in words', () => {
  it('reads every step of an engine explanation without its internal names or minor units', () => {
    for (const cls of [0, 1, 2]) {
      for (const s of stepsOf(cabin, cls)) {
        const t = describeStep(s, 'EUR').text;
        expect(t, s.label).not.toMatch(/Minor|demandToCome|remainingSeats|availableSeats|daysToDeparture|shrinkWeight|classAbove|maxChangePct|\b(true|false|null)\b/);
      }
    }
  });

  it('says what each input is, with money in the currency', () => {
    const m = stepsOf(cabin, 1);
    expect(text(m, 'base')).toBe("Fare filed now in class M; the class's reference fare 250.00 EUR");
    expect(text(m, 'forecast')).toBe('Demand to come 90 ± 12 passengers against 60 seats left, 21 days before departure (additive pickup); pressure 1.5');
    expect(text(m, 'protection')).toBe('Class open: 60 seats available within the protection levels');
    expect(text(m, 'bid_price')).toBe('No bid price on the flight (0)');
    expect(text(m, 'competitor')).toBe('Strategy: match the competitor minimum; lowest competitor fare 231.58 EUR; our selling fare 250.00 EUR (its reference 250.00 EUR); target 220.00 EUR; reference fare × 0.88');
    expect(text(m, 'elasticity')).toBe('Elasticity estimated at −1.2 ± 0.1 (400 observations); −1.224 used, shrunk toward the reference −1.6 (weight of the estimate 0.941)');
    expect(text(m, 'price_point')).toBe('Rounded to a price point: steps of 1.00 EUR');
    expect(text(m, 'ladder_rung')).toBe('Pricing mode continuous: no ladder rung');
    expect(text(m, 'max_change')).toBe('At most 30 % change per cycle: 175.00 EUR to 325.00 EUR');
    expect(text(m, 'monotone_ladder')).toMatch(/^No dearer than class Y above it, at \d+\.\d\d EUR$/);
    expect(text(m, 'floor')).toBe('Floor 90.00 EUR');
    expect(text(m, 'ceiling')).toBe('Ceiling 900.00 EUR');
    const y = stepsOf(cabin, 0);
    expect(text(y, 'bid_price')).toBe('Kept at or above the bid price of 50.00 EUR');
    expect(text(y, 'monotone_ladder')).toBe('Top class of the cabin: no class above');
  });

  it('tells an open class from one closed by the protection levels, in the name too', () => {
    const q = stepsOf(cabin, 2).find((s) => s.key === 'protection')!;
    expect(describeStep(q, 'EUR')).toEqual({ name: 'Class closed by protection levels', text: 'Class closed by the protection levels (0 seats available): priced up to class M, the lowest open class above' });
    const m = stepsOf(cabin, 1).find((s) => s.key === 'protection')!;
    expect(stepTitle(m)).toBe('Protection levels');
    const closedTop = stepsOf({ ...cabin, rbds: cabin.rbds.map((r) => ({ ...r, availableSeats: 0 })) }, 0).find((s) => s.key === 'protection')!;
    expect(describeStep(closedTop, 'EUR').text).toBe('Class closed by the protection levels (0 seats available): no class above is open');
  });

  it('reads a value holding ", " (a competitor note) and steps whose inputs are all unset', () => {
    const none = stepsOf({ ...cabin, competitor: { targetMinor: null, sellingMinor: 25000, sellingReferenceMinor: 25000, strategy: 'match the competitor quartile band', competitors: 0, note: 'no recent competitor fare for this market, cabin and date' },
      elasticity: null, guardrails: { pricePoints: { step: 500, ending: 100 } } }, 1);
    expect(text(none, 'competitor')).toBe('Strategy: match the competitor quartile band; no recent competitor fare for this market, cabin and date; our selling fare 250.00 EUR (its reference 250.00 EUR); weight 0.3');
    expect(text(none, 'elasticity')).toMatch(/^No elasticity estimate for this market; −1\.6 used, shrunk toward the reference −1\.6/);
    expect(text(none, 'price_point')).toBe('Rounded to a price point: steps of 5.00 EUR, ending in 1.00 EUR');
    expect(text(none, 'max_change')).toBe('No limit on the change per cycle');
    expect(text(none, 'floor')).toBe('No floor');
    expect(text(none, 'ceiling')).toBe('No ceiling');
    expect(stepInputs('competitor', none.find((s) => s.key === 'competitor')!.label)!.inputs.get('note')).toBe('no recent competitor fare for this market, cabin and date');
  });

  it('shows what it cannot put in words with its amounts as money', () => {
    expect(describeStep({ key: 'authorised_capacity', label: 'Authorised capacity (150 seats + overbooking)' }, null)).toEqual({ name: 'Authorised capacity', text: 'Authorised capacity (150 seats + overbooking)' });
    expect(describeStep({ key: 'base', label: 'Fare filed now (rbd K, surprise 3)' }, 'EUR').text).toBe('Fare filed now (rbd K, surprise 3)');
    expect(readableStep('Guardrail: maximum change per cycle (maxChangePct 20, lowMinor 7400, highMinor 11000)', 'EUR'))
      .toBe('Guardrail: maximum change per cycle (maxChangePct 20, low 74.00 EUR, high 110.00 EUR)');
    expect(readableStep('Fare filed now (rbd K, referenceMinor 9200)', 'JPY')).toBe('Fare filed now (rbd K, reference 9,200 JPY)');
    expect(readableStep('Seats (authorisedMinor 5)', null)).toBe('Seats (authorisedMinor 5)');
  });
});
