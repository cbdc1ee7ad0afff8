/**
 * Seats open per leg and RBD from the PSS inventory, under standard nesting: an authorisation level
 * (booking limit) AU_i covers class i and every class below it, so sales in any lower class use it up.
 * Class k is open for min over the classes i at or above it of (AU_i − sales in i and below), and not at
 * all when the PSS reports it closed. An RBD with no inventory record, or not on the carrier's fare
 * ladder, is closed.
 */
import type { CurrencyCode } from '../domain/money';
import type { InventoryRecord, RbdDefinition } from '../domain/types';

export interface LegAvailability {
  seats: ReadonlyMap<string, number>;
  /** the leg's bid price, when the PSS holds one */
  bidPrice?: { amountMinor: number; currency: CurrencyCode };
  /** sold / authorised of the cabin's top class, per cabin (a load-factor proxy for dynamic ancillaries) */
  soldByCabin: ReadonlyMap<string, number>;
}

export interface InventoryIndex {
  legs: ReadonlyMap<string, LegAvailability>;
}

interface ClassRow { rbd: string; cabin: string; rank: number; sold: number; authorised: number; closed: boolean }

/** Nested availability of one cabin's classes (any order in, by RBD out). */
export function nestedAvailability(classes: readonly { rbd: string; rank: number; sold: number; authorised: number; closed: boolean }[]): Map<string, number> {
  const sorted = [...classes].sort((a, b) => a.rank - b.rank);
  // sales in class i and every class below it
  const soldBelow = new Array<number>(sorted.length);
  let acc = 0;
  for (let i = sorted.length - 1; i >= 0; i--) { acc += sorted[i]!.sold; soldBelow[i] = acc; }
  const out = new Map<string, number>();
  let bound = Infinity;
  sorted.forEach((c, i) => {
    bound = Math.min(bound, c.authorised - soldBelow[i]!);
    out.set(c.rbd, c.closed ? 0 : Math.max(0, bound));
  });
  return out;
}

export function buildInventoryIndex(records: readonly InventoryRecord[], ladder: readonly RbdDefinition[], carrierOf: (flightId: string) => string | undefined): InventoryIndex {
  const rank = new Map(ladder.map((r) => [`${r.carrier}|${r.rbd}`, r]));
  const grouped = new Map<string, ClassRow[]>();
  const bids = new Map<string, { amountMinor: number; currency: CurrencyCode }>();
  for (const r of records) {
    const carrier = carrierOf(r.flightId);
    const def = carrier ? rank.get(`${carrier}|${r.rbd}`) : undefined;
    if (r.bidPriceMinor !== undefined && r.currency) {
      const prev = bids.get(r.flightId);
      if (!prev || r.bidPriceMinor > prev.amountMinor) bids.set(r.flightId, { amountMinor: r.bidPriceMinor, currency: r.currency });
    }
    if (!def) continue;
    (grouped.get(r.flightId) ?? grouped.set(r.flightId, []).get(r.flightId)!).push({
      rbd: r.rbd, cabin: def.cabin, rank: def.rank, sold: r.sold, authorised: r.authorised, closed: r.status === 'closed',
    });
  }
  const legs = new Map<string, LegAvailability>();
  for (const [flightId, rows] of grouped) {
    const seats = new Map<string, number>();
    const soldByCabin = new Map<string, number>();
    const byCabin = new Map<string, ClassRow[]>();
    for (const r of rows) (byCabin.get(r.cabin) ?? byCabin.set(r.cabin, []).get(r.cabin)!).push(r);
    for (const [cabin, cls] of byCabin) {
      for (const [rbd, n] of nestedAvailability(cls)) seats.set(rbd, n);
      soldByCabin.set(cabin, cls.reduce((s, c) => s + c.sold, 0));
    }
    legs.set(flightId, { seats, soldByCabin, bidPrice: bids.get(flightId) });
  }
  for (const [flightId, bid] of bids) if (!legs.has(flightId)) legs.set(flightId, { seats: new Map(), soldByCabin: new Map(), bidPrice: bid });
  return { legs };
}

export function seatsOpen(index: InventoryIndex, flightId: string, rbd: string): number {
  return index.legs.get(flightId)?.seats.get(rbd) ?? 0;
}
