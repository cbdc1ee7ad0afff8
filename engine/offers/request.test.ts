import { describe, expect, it } from 'vitest';
import { OfferRequestError, parseShoppingRequest, ShoppingRequestSchema } from './request';
import { NETWORK_AIRPORTS } from './synthetic-network';

const ctx = { airports: new Map(NETWORK_AIRPORTS.map((a) => [a.code, a])), now: new Date('2026-02-20T10:00:00Z') };
const good = { origin: 'LHR', destination: 'MAD', departureDate: '2026-03-02', passengers: { ADT: 1 }, pointOfSale: 'GB' };

function issuesOf(input: unknown): { field: string; message: string }[] {
  try {
    parseShoppingRequest(input, ctx);
  } catch (e) {
    expect(e).toBeInstanceOf(OfferRequestError);
    expect((e as Error).message).toMatch(/^invalid shopping request: /);
    return (e as OfferRequestError).issues;
  }
  throw new Error('expected the request to be refused');
}

describe('shopping request', () => {
  it('parses a good request with its defaults', () => {
    expect(parseShoppingRequest(good, ctx)).toEqual({ ...good, passengers: { ADT: 1, CHD: 0, INF: 0 }, cabin: 'Y', channel: 'direct', ancillaries: [] });
  });

  it('refuses an unknown airport, naming the field', () => {
    expect(issuesOf({ ...good, origin: 'XXX' })).toEqual([{ field: 'origin', message: 'unknown airport XXX: not in the airport reference data' }]);
    expect(issuesOf({ ...good, destination: 'QQQ' })[0]!.field).toBe('destination');
    expect(issuesOf({ ...good, origin: 'london' })).toEqual([{ field: 'origin', message: 'expected a three-letter IATA airport code, e.g. "FRA"' }]);
  });

  it('refuses a past date, judged at the origin airport', () => {
    expect(issuesOf({ ...good, departureDate: '2026-02-19' })).toEqual([{ field: 'departureDate', message: '2026-02-19 is in the past (today at LHR is 2026-02-20)' }]);
    // late evening UTC is already tomorrow in Dubai: "today" there is the 21st
    const late = { ...ctx, now: new Date('2026-02-20T22:00:00Z') };
    expect(() => parseShoppingRequest({ ...good, origin: 'DXB', departureDate: '2026-02-20' }, late)).toThrow(/departureDate: 2026-02-20 is in the past \(today at DXB is 2026-02-21\)/);
    expect(parseShoppingRequest({ ...good, departureDate: '2026-02-20' }, ctx).departureDate).toBe('2026-02-20');
    expect(issuesOf({ ...good, departureDate: '2027-03-01' })[0]).toMatchObject({ field: 'departureDate', message: expect.stringMatching(/beyond the 361-day booking horizon/) });
    expect(issuesOf({ ...good, departureDate: '2026-02-30' })).toEqual([{ field: 'departureDate', message: 'not a calendar date' }]);
  });

  it('refuses zero passengers and more than nine', () => {
    expect(issuesOf({ ...good, passengers: {} })).toEqual([{ field: 'passengers', message: 'at least one passenger is needed' }]);
    expect(issuesOf({ ...good, passengers: { ADT: 0, CHD: 0, INF: 0 } })[0]!.field).toBe('passengers');
    expect(issuesOf({ ...good, passengers: { ADT: 6, CHD: 3, INF: 1 } })).toEqual([{ field: 'passengers', message: 'at most 9 passengers per request, got 10 (ADT 6 + CHD 3 + INF 1)' }]);
    expect(issuesOf({ ...good, passengers: { ADT: -1 } })[0]).toMatchObject({ field: 'passengers.ADT' });
    expect(issuesOf({ ...good, passengers: { ADT: 1.5 } })[0]).toMatchObject({ field: 'passengers.ADT', message: 'must be a whole number' });
  });

  it('refuses more infants than adults', () => {
    expect(issuesOf({ ...good, passengers: { ADT: 1, INF: 2 } })).toEqual([{ field: 'passengers.INF', message: "each infant travels on an adult's lap: 2 infant(s) but 1 adult(s)" }]);
  });

  it('refuses a return before the departure, and the same airport at both ends', () => {
    expect(issuesOf({ ...good, returnDate: '2026-03-01' })).toEqual([{ field: 'returnDate', message: 'return date 2026-03-01 is before the departure date 2026-03-02' }]);
    expect(issuesOf({ ...good, destination: 'LHR' })).toEqual([{ field: 'destination', message: 'destination LHR is the origin' }]);
  });

  it('names unknown fields and bad ancillary codes', () => {
    expect(issuesOf({ ...good, pax: 2 })[0]!.message).toMatch(/pax/);
    expect(issuesOf({ ...good, ancillaries: ['PONY'] })[0]!.field).toBe('ancillaries.0');
  });

  it('the structural schema (the API input) checks cross-field rules without reference data', () => {
    const r = ShoppingRequestSchema.safeParse({ ...good, passengers: { ADT: 1, INF: 2 }, returnDate: '2026-01-01' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['passengers.INF', 'returnDate']);
  });
});
