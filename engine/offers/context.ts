/**
 * Builds the assembler's context from plain data (what the store holds) and the engines' functions. The
 * composition root calls this; tests and the benchmark too.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/time';
import type { Airport, FlightLeg, InventoryRecord, RbdDefinition } from '../domain/types';
import { DEFAULT_OFFER_SETTINGS, type OfferContext, type OfferSettings } from './assembler';
import { buildInventoryIndex } from './inventory';
import { buildScheduleIndex } from './schedule';
import { BASE_ONLY, type AncillaryPricer, type BrandSource, type JourneyPricer } from './sources';
import type { CurrencyConverter, TaxRule } from './taxes';

export interface OfferContextInput {
  /** the carrier that owns the offers */
  ownerCode: string;
  /** marketing carriers whose flights are sold (default: the owner) */
  ownCarriers?: string[];
  airports: readonly Airport[];
  legs: readonly FlightLeg[];
  inventory: readonly InventoryRecord[];
  ladder: readonly RbdDefinition[];
  priceJourney: JourneyPricer;
  brands?: BrandSource;
  ancillaries?: AncillaryPricer;
  taxes?: readonly TaxRule[];
  convert?: CurrencyConverter;
  clock: Clock;
  newId?: () => string;
  settings?: Partial<OfferSettings>;
}

export function createOfferContext(i: OfferContextInput): OfferContext {
  const settings: OfferSettings = { ...DEFAULT_OFFER_SETTINGS, ...i.settings };
  if (settings.priceGuaranteeMinutes > settings.offerTtlMinutes) {
    throw new Error(`settings.priceGuaranteeMinutes (${settings.priceGuaranteeMinutes}) cannot exceed settings.offerTtlMinutes (${settings.offerTtlMinutes})`);
  }
  if (settings.maxLegs < 1 || settings.maxLegs > 3) throw new Error(`settings.maxLegs must be 1 to 3, got ${settings.maxLegs}`);
  const schedule = buildScheduleIndex(i.legs, i.ownCarriers ?? [i.ownerCode]);
  const inventory = buildInventoryIndex(i.inventory, i.ladder, (id) => schedule.byId.get(id)?.carrier);
  return {
    ownerCode: i.ownerCode,
    airports: new Map(i.airports.map((a) => [a.code, a])),
    schedule, inventory,
    priceJourney: i.priceJourney,
    brands: i.brands ?? BASE_ONLY,
    ancillaries: i.ancillaries,
    taxes: i.taxes ?? [],
    convert: i.convert,
    clock: i.clock,
    newId: i.newId ?? randomUUID,
    settings,
  };
}
