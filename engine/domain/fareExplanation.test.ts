import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICING_PARAMETERS, priceCabin, type CabinPricingInput } from '../pricing/compose';
import { fareStepLabel } from '../workflow/fromPricing';
import { fareStepInputs, FARE_STEP_INPUTS } from './fareExplanation';

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
const bare: CabinPricingInput = {
  ...cabin, elasticity: null, guardrails: { pricePoints: { step: 500, ending: 100 } },
  competitor: { targetMinor: null, sellingMinor: 25000, sellingReferenceMinor: 25000, strategy: 'match the competitor quartile band', competitors: 0, note: 'no recent competitor fare for this market, cabin and date' },
};

describe('a fare step\'s inputs read back from its label', () => {
  it('gives every input the pricing engine wrote, as written, for every step and class', () => {
    let steps = 0;
    for (const input of [cabin, bare]) {
      for (const price of priceCabin(input)) {
        for (const c of price.explanation.components) {
          const label = fareStepLabel(c.code, c.detail);
          const read = fareStepInputs(c.code, label);
          expect(read, label).not.toBeNull();
          // the label keeps the first six inputs that are set, in the engine's order
          const set = Object.entries(c.detail).filter(([, v]) => v !== null && v !== undefined && v !== '').slice(0, 6);
          expect([...read!.inputs.keys()], label).toEqual(set.map(([k]) => k));
          for (const [k, v] of set) expect(read!.inputs.get(k), `${label}: ${k}`).toBe(String(typeof v === 'number' ? Math.round(v * 1000) / 1000 : v));
          expect(Object.keys(FARE_STEP_INPUTS)).toContain(c.code);
          steps++;
        }
      }
    }
    expect(steps).toBe(72);
  });

  it('refuses a label with a name it does not know, and knows a step whose inputs are all unset', () => {
    expect(fareStepInputs('base', 'Fare filed now (rbd K, surprise 3)')).toBeNull();
    expect(fareStepInputs('base', 'Fare filed now (referenceMinor 1, rbd K)')).toBeNull(); // out of the engine's order
    expect(fareStepInputs('floor', 'Guardrail: floor')).toEqual({ name: 'Guardrail: floor', inputs: new Map() });
    expect(fareStepInputs('authorised_capacity', 'Authorised capacity (150 seats)')).toBeNull();
  });
});
