import { describe, expect, it } from 'vitest';
import { describeStep, readableStep, stepTitle } from './explainStep';

// Labels as the pricing engine writes them (engine/workflow/fromPricing.ts fareStepLabel; the engine's
// engine/domain/fareExplanation.test.ts reads every input back from its own labels). Class M of a cabin Y, M, Q:
const M = {
  base: 'Fare filed now (rbd M, referenceMinor 25000)',
  forecast: 'Demand to come against seats left (demandToCome 90, sd 12, remainingSeats 60, pressure 1.5, daysToDeparture 21, method additive)',
  protection: 'Class closed by protection levels (availableSeats 60, closed false)',
  bid_price: 'Not below the bid price (bidPriceMinor 0)',
  competitor: 'Competitor strategy (strategy match the competitor minimum, sellingTargetMinor 22000, sellingMinor 25000, sellingReferenceMinor 25000, factor 0.88, minMinor 23158)',
  elasticity: 'Price elasticity (estimate -1.2, se 0.1, observations 400, used -1.224, reference -1.6, shrinkWeight 0.941)',
  price_point: 'Price point (step 100, ending 0)',
  ladder_rung: 'Ladder rung (mode continuous)',
  max_change: 'Guardrail: maximum change per cycle (maxChangePct 30, lowMinor 17500, highMinor 32500)',
  monotone_ladder: 'Guardrail: monotone ladder (classAbove Y, classAbovePriceMinor 45600)',
  floor: 'Guardrail: floor (floorMinor 9000)',
  ceiling: 'Guardrail: ceiling (ceilingMinor 90000)',
};
// the same class with no competitor fare, no elasticity estimate and no guardrails but price points of 5.00 ending in 1.00
const NONE = {
  competitor: 'Competitor strategy (strategy match the competitor quartile band, sellingMinor 25000, sellingReferenceMinor 25000, competitors 0, note no recent competitor fare for this market, cabin and date, weight 0.3)',
  elasticity: 'Price elasticity (observations 0, used -1.6, reference -1.6, shrinkWeight 0, weight 0.3)',
  price_point: 'Price point (step 500, ending 100)',
  max_change: 'Guardrail: maximum change per cycle',
  floor: 'Guardrail: floor',
  ceiling: 'Guardrail: ceiling',
};
const text = (key: string, label: string, currency: string | null = 'EUR') => describeStep({ key, label }, currency).text;

describe('a fare explanation in words', () => {
  it('says what each input is, with money in the currency, without the engine\'s names', () => {
    expect(text('base', M.base)).toBe("Fare filed now in class M; the class's reference fare 250.00 EUR");
    expect(text('forecast', M.forecast)).toBe('Demand to come 90 ± 12 passengers against 60 seats left, 21 days before departure (additive pickup); pressure 1.5');
    // under an analyst's demand influence (kept in the label past its first six inputs)
    expect(text('forecast', `${M.forecast.slice(0, -1)}, influence Strike at CDG −35 %; Fair, hall 3 +100 %)`))
      .toBe('Demand to come 90 ± 12 passengers against 60 seats left, 21 days before departure (additive pickup); pressure 1.5; under the demand influence Strike at CDG −35 %; Fair, hall 3 +100 %');
    expect(text('protection', M.protection)).toBe('Class open: 60 seats available within the protection levels');
    expect(text('bid_price', M.bid_price)).toBe('No bid price on the flight (0)');
    expect(text('bid_price', 'Not below the bid price (bidPriceMinor 5000)')).toBe('Kept at or above the bid price of 50.00 EUR');
    expect(text('competitor', M.competitor)).toBe('Strategy: match the competitor minimum; lowest competitor fare 231.58 EUR; our selling fare 250.00 EUR (its reference 250.00 EUR); target 220.00 EUR; reference fare × 0.88');
    expect(text('elasticity', M.elasticity)).toBe('Elasticity estimated at −1.2 ± 0.1 (400 observations); −1.224 used, shrunk toward the reference −1.6 (weight of the estimate 0.941)');
    expect(text('price_point', M.price_point)).toBe('Rounded to a price point: steps of 1.00 EUR');
    expect(text('ladder_rung', M.ladder_rung)).toBe('Pricing mode continuous: no ladder rung');
    expect(text('ladder_rung', 'Ladder rung (mode ladder)')).toBe('Moved to the nearest fare of the filed ladder');
    expect(text('max_change', M.max_change)).toBe('At most 30 % change per cycle: 175.00 EUR to 325.00 EUR');
    expect(text('monotone_ladder', M.monotone_ladder)).toBe('No dearer than class Y above it, at 456.00 EUR');
    expect(text('monotone_ladder', 'Guardrail: monotone ladder')).toBe('Top class of the cabin: no class above');
    expect(text('floor', M.floor)).toBe('Floor 90.00 EUR');
    expect(text('ceiling', M.ceiling)).toBe('Ceiling 900.00 EUR');
    for (const [key, label] of Object.entries({ ...M, ...NONE })) {
      expect(text(key, label), label).not.toMatch(/Minor|demandToCome|remainingSeats|availableSeats|daysToDeparture|shrinkWeight|classAbove|maxChangePct|\b(true|false|null)\b/);
    }
  });

  it('tells an open class from one closed by the protection levels, in the name too', () => {
    expect(describeStep({ key: 'protection', label: 'Class closed by protection levels (availableSeats 0, closed true, pricedAs M)' }, 'EUR'))
      .toEqual({ name: 'Class closed by protection levels', text: 'Class closed by the protection levels (0 seats available): priced up to class M, the lowest open class above' });
    expect(stepTitle({ key: 'protection', label: M.protection })).toBe('Protection levels');
    expect(text('protection', 'Class closed by protection levels (availableSeats 0, closed true)')).toBe('Class closed by the protection levels (0 seats available): no class above is open');
  });

  it('reads a value holding ", " (a competitor note) and steps whose inputs are all unset', () => {
    expect(text('competitor', NONE.competitor)).toBe('Strategy: match the competitor quartile band; no recent competitor fare for this market, cabin and date; our selling fare 250.00 EUR (its reference 250.00 EUR); weight 0.3');
    expect(text('elasticity', NONE.elasticity)).toBe('No elasticity estimate for this market; −1.6 used, shrunk toward the reference −1.6 (weight of the estimate 0); weight 0.3');
    expect(text('price_point', NONE.price_point)).toBe('Rounded to a price point: steps of 5.00 EUR, ending in 1.00 EUR');
    expect(text('max_change', NONE.max_change)).toBe('No limit on the change per cycle');
    expect(text('floor', NONE.floor)).toBe('No floor');
    expect(text('ceiling', NONE.ceiling)).toBe('No ceiling');
  });

  it('shows what it cannot put in words with its amounts as money', () => {
    expect(describeStep({ key: 'authorised_capacity', label: 'Authorised capacity (150 seats + overbooking)' }, null)).toEqual({ name: 'Authorised capacity', text: 'Authorised capacity (150 seats + overbooking)' });
    expect(text('base', 'Fare filed now (rbd K, surprise 3)')).toBe('Fare filed now (rbd K, surprise 3)');
    expect(text('base', M.base, null)).toBe(M.base);
    expect(readableStep('Guardrail: maximum change per cycle (maxChangePct 20, lowMinor 7400, highMinor 11000)', 'EUR'))
      .toBe('Guardrail: maximum change per cycle (maxChangePct 20, low 74.00 EUR, high 110.00 EUR)');
    expect(readableStep('Fare filed now (rbd K, referenceMinor 9200)', 'JPY')).toBe('Fare filed now (rbd K, reference 9,200 JPY)');
  });
});
