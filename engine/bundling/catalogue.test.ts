import { describe, expect, it } from 'vitest';
import { defaultCatalogue, parseCatalogue, resolveAncillaryPrice, unitsPerJourney } from './catalogue';
import { greatCircleKm, haulBand } from './haul';

describe('ancillary catalogue', () => {
  const cat = defaultCatalogue();
  cat.prices.push(
    { code: 'BAG1', currency: 'EUR', amountMinor: 2500, origin: 'FRA', destination: 'LHR' },
    { code: 'BAG1', currency: 'EUR', amountMinor: 2700, cabin: 'Y', haul: 'short' },
    { code: 'SEAT_XL', currency: 'EUR', amountMinor: 9900, origin: 'FRA', destination: 'JFK', bothDirections: false },
  );
  const q = { currency: 'EUR', cabin: 'Y', haul: 'short' as const };

  it('the most specific matching rule wins: market, then cabin, then haul', () => {
    expect(resolveAncillaryPrice(cat, { ...q, code: 'BAG1', origin: 'FRA', destination: 'LHR' })!.amountMinor).toBe(2500);
    expect(resolveAncillaryPrice(cat, { ...q, code: 'BAG1', origin: 'LHR', destination: 'FRA' })!.amountMinor).toBe(2500); // both directions by default
    expect(resolveAncillaryPrice(cat, { ...q, code: 'BAG1', origin: 'FRA', destination: 'CDG' })!.amountMinor).toBe(2700);
    expect(resolveAncillaryPrice(cat, { ...q, code: 'BAG1', origin: 'FRA', destination: 'CDG', cabin: 'J' })!.amountMinor).toBe(3000);
    expect(resolveAncillaryPrice(cat, { ...q, code: 'SEAT_XL', origin: 'FRA', destination: 'JFK', haul: 'long' })!.amountMinor).toBe(9900);
    expect(resolveAncillaryPrice(cat, { ...q, code: 'SEAT_XL', origin: 'JFK', destination: 'FRA', haul: 'long' })!.amountMinor).toBe(9000);
    // per currency; no rule, no price
    expect(resolveAncillaryPrice(cat, { ...q, code: 'BAG1', origin: 'FRA', destination: 'LHR', currency: 'USD' })!.amountMinor).toBe(3000);
    expect(resolveAncillaryPrice(cat, { ...q, code: 'BAG1', origin: 'FRA', destination: 'LHR', currency: 'GBP' })).toBeUndefined();
    expect(resolveAncillaryPrice(cat, { ...q, code: 'MEAL', origin: 'FRA', destination: 'JFK', haul: 'long' })).toBeUndefined();
  });

  it('counts units per segment or per journey', () => {
    expect(unitsPerJourney('segment', 2)).toBe(2);
    expect(unitsPerJourney('journey', 2)).toBe(1);
  });

  it('validates a catalogue, naming each bad field', () => {
    expect(parseCatalogue(JSON.parse(JSON.stringify(defaultCatalogue())))).toEqual(defaultCatalogue());
    const bad = defaultCatalogue() as unknown as { prices: Record<string, unknown>[]; definitions: Record<string, unknown>[] };
    bad.prices[0]!.amountMinor = 12.5;
    bad.prices[1]!.currency = 'euro';
    bad.definitions.push({ ...bad.definitions[0]! });
    expect(() => parseCatalogue(bad)).toThrow(/prices\.0\.amountMinor: must be an integer number of minor units.*prices\.1\.currency: expected an ISO 4217 currency code/);
    const dup = defaultCatalogue();
    dup.definitions.push({ ...dup.definitions[0]! });
    expect(() => parseCatalogue(dup)).toThrow(/definitions\.9\.code: ancillary BAG1 is defined twice/);
  });

  it('bands length of haul by great-circle distance', () => {
    expect(greatCircleKm({ lat: 50.0379, lon: 8.5622 }, { lat: 40.6413, lon: -73.7781 })).toBeCloseTo(6200, -2);
    expect(haulBand(600)).toBe('short');
    expect(haulBand(2500)).toBe('medium');
    expect(haulBand(6200)).toBe('long');
  });
});
