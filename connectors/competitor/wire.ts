/**
 * The pricing tool's records (connectors/specs/pricing.openapi.json), checked at the boundary and
 * normalised into the competitor port's types.
 */
import { z } from 'zod';
import type { CompetitorFare, ElasticityEstimate, ExchangeRate } from '../../engine/ports/competitor';
import { RecordProblem } from '../pss/sync-kit';
import { airportCode, amountText, cabinCode, carrierCode, currencyCode, isoDate, isoInstant, minor } from '../pss/wire';

export const wireCompetitorFare = z.object({
  carrier: carrierCode, origin: airportCode, destination: airportCode, departureDate: isoDate, cabin: cabinCode.nullable(),
  brand: z.string().min(1).max(40).nullable(), price: amountText, currency: currencyCode, observedAt: isoInstant,
});
export function toCompetitorFare(w: z.infer<typeof wireCompetitorFare>): CompetitorFare {
  if (w.origin === w.destination) throw new RecordProblem('destination', 'destination: equals the origin');
  return {
    carrier: w.carrier, origin: w.origin, destination: w.destination, departureDate: w.departureDate, cabin: w.cabin, brand: w.brand,
    amountMinor: minor(w.price, w.currency, 'price'), currency: w.currency, observedAt: w.observedAt,
  };
}

export const wireElasticity = z.object({
  origin: airportCode, destination: airportCode, cabin: cabinCode.nullable(), segment: z.string().min(1).max(40).nullable(),
  dbdFrom: z.number().int().min(0).nullable(), dbdTo: z.number().int().min(0).nullable(), elasticity: z.number().finite(),
  standardError: z.number().min(0).nullable(), asOf: isoInstant,
});
export function toElasticity(w: z.infer<typeof wireElasticity>): ElasticityEstimate {
  if ((w.dbdFrom === null) !== (w.dbdTo === null)) throw new RecordProblem('dbdTo', 'dbdTo: a days-before-departure range needs both ends, or neither');
  if (w.elasticity > 0) throw new RecordProblem('elasticity', `elasticity: ${w.elasticity} is positive; own-price elasticity of demand is negative`);
  return { ...w };
}

export const wireRate = z.object({ base: currencyCode, quote: currencyCode, date: isoDate, rate: z.number().positive().finite() });
export function toRate(w: z.infer<typeof wireRate>): ExchangeRate {
  if (w.base === w.quote) throw new RecordProblem('quote', 'quote: equals the base currency');
  return { ...w };
}

export const fareStreamPage = z.object({ data: z.array(z.unknown()), nextCursor: z.string().min(1), hasMore: z.boolean() });
export const listPage = z.object({ data: z.array(z.unknown()), nextPageToken: z.string().nullable() });
export const searchAnswer = z.object({ data: z.array(z.unknown()), asOf: isoInstant });
