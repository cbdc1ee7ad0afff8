import { describe, expect, it } from 'vitest';
import type { EnginePricingDefaults, MarketPricingSetting } from '../../../engine/api/contract';
import { describeSetting, describeStrategy, fromForm, marketFallback } from './PricingTab';

const base = { pricingMode: '' as const, kind: '' as const, reference: 'min' as const, byPct: true, amount: '', maxChangePct: '', minChangePct: '', step: '', ending: '', guardrails: {}, overbookingMaxPct: '', deniedBoardingCost: '', reason: '' };
const market = { origin: 'FRA', destination: 'JFK', currency: 'EUR' };

describe('pricing settings form', () => {
  it('turns the form into the API input with money in minor units of the market currency', () => {
    const r = fromForm({ ...base, kind: 'undercut', reference: 'quartile-band', amount: '3', maxChangePct: '10', step: '100', ending: '99', guardrails: { Y: { floor: '300', ceiling: '1,200.00' }, J: { floor: '', ceiling: '' } }, reason: 'season' }, market);
    expect(r).toEqual({ ok: true, input: {
      origin: 'FRA', destination: 'JFK', currency: 'EUR', pricingMode: null, competitor: { kind: 'undercut', reference: 'quartile-band', pct: 3 }, maxChangePct: 10, minChangePct: null,
      pricePoints: { step: 100, ending: 99 }, guardrails: { Y: { floorMinor: 30_000, ceilingMinor: 120_000 } }, overbookingMaxPct: null, deniedBoardingCostMinor: null, reason: 'season',
    } });
    // overbooking: a market's cost in its currency, the defaults' in minor units
    expect(fromForm({ ...base, overbookingMaxPct: '8', deniedBoardingCost: '350' }, market)).toMatchObject({ ok: true, input: { overbookingMaxPct: 8, deniedBoardingCostMinor: 35_000 } });
    expect(fromForm({ ...base, overbookingMaxPct: '0', deniedBoardingCost: '60000' }, { origin: null, destination: null, currency: null })).toMatchObject({ ok: true, input: { overbookingMaxPct: 0, deniedBoardingCostMinor: 60_000 } });
    expect(fromForm({ ...base, kind: 'premium', byPct: false, amount: '15.50' }, market)).toMatchObject({ ok: true, input: { competitor: { kind: 'premium', reference: 'min', amountMinor: 1_550 } } });
  });

  it('names what is wrong', () => {
    expect(fromForm({ ...base, guardrails: { Y: { floor: 'abc', ceiling: '' } } }, market)).toMatchObject({ ok: false, error: expect.stringMatching(/^Cabin Y floor/) });
    expect(fromForm({ ...base, kind: 'undercut', amount: '' }, market)).toMatchObject({ ok: false });
    expect(fromForm({ ...base, guardrails: { Y: { floor: '10', ceiling: '' } } }, { origin: null, destination: null, currency: null })).toMatchObject({ ok: false, error: 'Floors and ceilings are set per market.' });
    expect(fromForm({ ...base, step: '1.5' }, market)).toMatchObject({ ok: false });
    expect(fromForm({ ...base, overbookingMaxPct: '60' }, market)).toMatchObject({ ok: false, error: 'Overbooking is a percentage of the seats from 0 (none) to 50.' });
    expect(fromForm({ ...base, minChangePct: '1.5' }, market)).toMatchObject({ ok: true, input: { minChangePct: 1.5 } });
    expect(fromForm({ ...base, minChangePct: '25' }, market)).toMatchObject({ ok: false, error: 'The smallest change to file is a percentage from 0 (every change) to 20.' });
    expect(fromForm({ ...base, minChangePct: '5', maxChangePct: '3' }, market)).toMatchObject({ ok: false, error: 'The smallest change to file is above the maximum change per cycle.' });
    expect(fromForm({ ...base, deniedBoardingCost: 'lots' }, market)).toMatchObject({ ok: false, error: expect.stringMatching(/^Denied-boarding cost/) });
    expect(fromForm({ ...base, deniedBoardingCost: '400.5' }, { origin: null, destination: null, currency: null })).toMatchObject({ ok: false, error: expect.stringMatching(/whole number of minor units/) });
  });

  it('says a strategy in words', () => {
    expect(describeStrategy({ kind: 'undercut', reference: 'min', amountMinor: 500 }, 'EUR')).toBe('undercut the competitor minimum by 5.00 EUR');
    expect(describeStrategy({ kind: 'match', reference: 'quartile-band' }, null)).toBe('match the competitor quartile band');
    expect(describeStrategy(null, null)).toBe('inherit');
  });

  it("shows what applies where a row inherits: the engine's values on the defaults, the defaults' (else the engine's) on a market", () => {
    const engine: EnginePricingDefaults = { pricingMode: 'continuous', competitor: { kind: 'match', reference: 'quartile-band' }, maxChangePct: 20, minChangePct: 0, pricePoints: { step: 100 }, overbookingMaxPct: 10, deniedBoardingCostMinor: 40_000 };
    const unset: MarketPricingSetting = { origin: null, destination: null, currency: null, pricingMode: null, competitor: null, maxChangePct: null, minChangePct: null, pricePoints: null, guardrails: {}, overbookingMaxPct: null, deniedBoardingCostMinor: null, updatedBy: '', updatedAt: '' };
    expect(describeSetting(unset, engine, 'engine default')).toEqual({
      mode: 'continuous (engine default)', competitor: 'match the competitor quartile band (engine default)', change: '±20 % (engine default)',
      pricePoints: 'steps of 100 minor units (1.00 in a 2-decimal currency) (engine default)',
      overbooking: 'up to 10 % (engine default), denied boarding 40,000 minor units (400.00 in a 2-decimal currency) (engine default)',
    });
    // the defaults set a smallest change and turn overbooking off; a market sets its own maximum change and denied-boarding cost
    const defaults = { ...unset, minChangePct: 1, overbookingMaxPct: 0, pricingMode: 'ladder' as const };
    const market = { ...unset, origin: 'FRA', destination: 'JFK', currency: 'EUR', maxChangePct: 5, pricePoints: { step: 500, ending: 99 } };
    expect(describeSetting(market, marketFallback(defaults, engine), 'inherited')).toEqual({
      mode: 'ladder (inherited)', competitor: 'match the competitor quartile band (inherited)', change: '±5 %; files moves of 1 % or more (inherited)',
      pricePoints: 'steps of 5.00 EUR ending 0.99 EUR', overbooking: 'none (inherited)',
    });
    // values a row sets are shown bare, and overbooking of 0 % as none
    expect(describeSetting({ ...market, minChangePct: 0, overbookingMaxPct: 8, deniedBoardingCostMinor: 35_000 }, marketFallback(defaults, engine), 'inherited'))
      .toMatchObject({ change: '±5 %; files moves of 0 % or more', overbooking: 'up to 8 %, denied boarding 350.00 EUR' });
    expect(describeSetting({ ...market, overbookingMaxPct: 0 }, engine, 'inherited').overbooking).toBe('none');
    expect(describeSetting(market, { ...engine, maxChangePct: null }, 'inherited').change).toBe('±5 %');
    expect(describeSetting(unset, { ...engine, maxChangePct: null }, 'engine default').change).toBe('no limit (engine default)');
  });
});
