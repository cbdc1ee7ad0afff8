/**
 * The markets filter of a run: leg markets "ORG-DST". A run with markets prices the flight numbers that
 * serve them (a flight number is priced whole, so its legs keep their history) and proposes only the
 * recommendations of those markets. Empty: every market.
 */
import type { Database } from 'better-sqlite3';

const MARKET_RE = /^[A-Z]{3}-[A-Z]{3}$/;

export class MarketsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MarketsError';
  }
}

/** Parses "LHR-JFK,FRA-JFK" (commas or spaces); throws naming the bad entry. */
export function parseMarkets(text: string | readonly string[]): string[] {
  const parts = (typeof text === 'string' ? text.split(/[\s,]+/) : [...text]).map((s) => s.trim().toUpperCase()).filter(Boolean);
  for (const p of parts) {
    if (!MARKET_RE.test(p)) throw new MarketsError(`"${p}" is not a market: give origin and destination airports like LHR-JFK`);
    if (p.slice(0, 3) === p.slice(4)) throw new MarketsError(`"${p}": origin and destination are the same airport`);
  }
  return [...new Set(parts)].sort();
}

/** A predicate over (origin, destination); everything when the list is empty. */
export function marketFilter(markets: readonly string[]): (origin: string, destination: string) => boolean {
  if (markets.length === 0) return () => true;
  const set = new Set(markets);
  return (o, d) => set.has(`${o}-${d}`);
}

/**
 * The own flight numbers serving the markets, and the markets no own flight serves (null numbers: all).
 */
export function flightNumbersFor(db: Database, ownCarrier: string, markets: readonly string[]): { flightNumbers: number[] | null; unserved: string[] } {
  if (markets.length === 0) return { flightNumbers: null, unserved: [] };
  const rows = db.prepare(`SELECT DISTINCT origin || '-' || destination AS market, flight_number FROM flights
    WHERE carrier = ? AND origin || '-' || destination IN (SELECT value FROM json_each(?))`).all(ownCarrier, JSON.stringify(markets)) as { market: string; flight_number: number }[];
  const served = new Set(rows.map((r) => r.market));
  return { flightNumbers: [...new Set(rows.map((r) => r.flight_number))].sort((a, b) => a - b), unserved: markets.filter((m) => !served.has(m)) };
}
