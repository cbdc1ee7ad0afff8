/**
 * The assembler's test fixture: a small synthetic hub network around FRA, live brand pricing by the
 * bundling optimiser with two passenger segments, catalogue ancillaries and taxes. Used by the tests.
 */
import { fixedClock } from '../domain/time';
import type { InventoryRecord } from '../domain/types';
import { DEFAULT_BRANDS, DEFAULT_BRAND_RULES } from '../bundling/branded-fares';
import { alaCarteJourneyPrices } from '../bundling/brand-problem';
import { defaultCatalogue } from '../bundling/catalogue';
import type { ChoiceSegment } from '../bundling/choice';
import { marketHaul } from '../bundling/haul';
import type { OfferSettings } from './assembler';
import { createOfferContext } from './context';
import { ancillaryPricerFromCatalogue, brandSourceFromOptimiser, farePricerFromFares } from './sources';
import { syntheticHubNetwork, type SyntheticNetwork } from './synthetic-network';

export const FIXTURE_NOW = '2026-02-20T10:00:00.000Z';

/** Two segments' journey WTPs for one-segment journeys, minor units. */
const SEGMENTS: ChoiceSegment[] = [
  { id: 'leisure', weight: 0.7, wtp: { BAG1: { meanMinor: 2600, scaleMinor: 700 }, SEAT_STD: { meanMinor: 600, scaleMinor: 400 }, FLEX_CHG: { meanMinor: 1500, scaleMinor: 800 }, SEAT_XL: { meanMinor: 1500, scaleMinor: 700 }, PRIO: { meanMinor: 400, scaleMinor: 300 }, MEAL: { meanMinor: 700, scaleMinor: 300 }, FLEX_REF: { meanMinor: 2000, scaleMinor: 1500 } } },
  { id: 'business', weight: 0.3, wtp: { BAG1: { meanMinor: 3800, scaleMinor: 900 }, SEAT_STD: { meanMinor: 1400, scaleMinor: 500 }, FLEX_CHG: { meanMinor: 5000, scaleMinor: 1500 }, SEAT_XL: { meanMinor: 4200, scaleMinor: 1200 }, PRIO: { meanMinor: 1200, scaleMinor: 500 }, MEAL: { meanMinor: 900, scaleMinor: 400 }, FLEX_REF: { meanMinor: 9000, scaleMinor: 3000 } } },
];

export interface FixtureOptions {
  settings?: Partial<OfferSettings>;
  patchInventory?: (r: InventoryRecord) => InventoryRecord;
  network?: SyntheticNetwork;
}

export function offerFixture(o: FixtureOptions = {}) {
  const net = o.network ?? syntheticHubNetwork({ seed: 3, spokes: 4, rotationsPerDay: 2, startDate: '2026-03-01', days: 6, codeshareEvery: 4 });
  const clock = fixedClock(FIXTURE_NOW);
  const catalogue = defaultCatalogue();
  const airports = new Map(net.airports.map((a) => [a.code, a]));
  let n = 0;
  const brands = brandSourceFromOptimiser((q) => {
    const market = { origin: q.origin, destination: q.destination, cabin: q.cabin, haul: marketHaul(airports, q.origin, q.destination).band, segmentsPerJourney: q.segmentsPerJourney };
    const prices = alaCarteJourneyPrices(catalogue, market, q.currency);
    return {
      currency: q.currency, fareMinor: q.fareMinor, brands: DEFAULT_BRANDS.map((b) => ({ ...b, includes: [...b.includes] })),
      alaCarteMinor: prices.alaCarteMinor, covers: prices.covers, itemNames: prices.itemNames, segments: SEGMENTS, choiceScaleMinor: 1200,
      rules: DEFAULT_BRAND_RULES, grid: { stepMinor: 100, maxFactor: 1.2 },
    };
  });
  const ctx = createOfferContext({
    ownerCode: 'DF', airports: net.airports, legs: net.legs, inventory: o.patchInventory ? net.inventory.map(o.patchInventory) : net.inventory, ladder: net.ladder,
    priceJourney: farePricerFromFares(net.fares), brands, ancillaries: ancillaryPricerFromCatalogue(catalogue, net.airports), taxes: net.taxes,
    clock, newId: () => `OF${String(++n).padStart(4, '0')}`, settings: { connectionPoints: ['FRA'], minConnectMinutes: { FRA: 45 }, ...o.settings },
  });
  return { net, ctx, clock, catalogue };
}
