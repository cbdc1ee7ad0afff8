import { z } from 'zod';

export const iataAirport = z.string().regex(/^[A-Z]{3}$/, 'expected a three-letter IATA airport code');
export const carrierCode = z.string().regex(/^[A-Z0-9]{2,3}$/, 'expected a two- or three-character carrier code');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD').refine((s) => {
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}, 'not a calendar date');
export const rbdCode = z.string().regex(/^[A-Z][A-Z0-9]?$/, 'expected an RBD of one or two characters');
export const feedName = z.enum(['pss', 'pros', 'competitor', 'schedule']);
export const limit = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);
