/**
 * The offer store (schema 4): offers are saved when made, read back (and checked) at order time, marked
 * ordered or replaced by a fresh offer, expired past their time limit and purged after a retention period.
 * Status moves only forward from "offered": a second order on the same offer is refused.
 */
import type { Database } from 'better-sqlite3';
import { seatedPassengers } from './request';
import { OfferSchema, type Offer } from './types';

export type OfferStatus = 'offered' | 'ordered' | 'expired' | 'replaced';

export interface StoredOffer {
  offer: Offer;
  status: OfferStatus;
  statusAt: string;
  replacedBy?: string;
  orderId?: string;
  shoppingResponseId?: string;
}

export interface OfferSummary {
  id: string;
  createdAt: string;
  expiresAt: string;
  origin: string;
  destination: string;
  departureDate: string;
  returnDate?: string;
  brand: string;
  passengers: number;
  currency: string;
  totalMinor: number;
  status: OfferStatus;
}

interface Row {
  id: string; created_at: string; expires_at: string; origin: string; destination: string; departure_date: string; return_date: string | null;
  brand: string; passengers: number; currency: string; total_minor: number; status: OfferStatus; status_at: string;
  replaced_by: string | null; order_id: string | null; shopping_response_id: string | null; record: string;
}

export class OfferStateError extends Error {
  readonly code: 'not_found' | 'not_offered';
  constructor(code: OfferStateError['code'], message: string) {
    super(message);
    this.name = 'OfferStateError';
    this.code = code;
  }
}

/** Saves offers (one transaction); `shoppingResponseId` groups the offers of one shopping answer. */
export function saveOffers(db: Database, offers: readonly Offer[], opts: { shoppingResponseId?: string } = {}): void {
  const insert = db.prepare(`INSERT INTO offers (id, owner_code, created_at, expires_at, price_guaranteed_until, origin, destination, departure_date, return_date,
    cabin, channel, point_of_sale, passengers, brand, currency, total_minor, fare_minor, bundle_minor, taxes_minor, ancillaries_minor, status, status_at,
    shopping_response_id, record) VALUES (@id, @owner, @created, @expires, @guaranteed, @origin, @destination, @dep, @ret, @cabin, @channel, @pos, @pax,
    @brand, @currency, @total, @fare, @bundle, @taxes, @anc, 'offered', @created, @sr, @record)`);
  const seg = db.prepare('INSERT INTO offer_segments (offer_id, seq, flight_id, rbd) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const o of offers) {
      const r = o.request;
      insert.run({
        id: o.id, owner: o.ownerCode, created: o.createdAt, expires: o.expiresAt, guaranteed: o.priceGuaranteedUntil, origin: r.origin, destination: r.destination,
        dep: r.departureDate, ret: r.returnDate ?? null, cabin: r.cabin, channel: r.channel, pos: r.pointOfSale,
        pax: seatedPassengers(r) + r.passengers.INF, brand: o.brand.code, currency: o.currency, total: o.total.amountMinor,
        fare: o.breakdown.fareMinor, bundle: o.breakdown.bundleMinor, taxes: o.breakdown.taxesMinor, anc: o.breakdown.ancillariesMinor,
        sr: opts.shoppingResponseId ?? null, record: JSON.stringify(o),
      });
      o.segments.forEach((s, i) => seg.run(o.id, i + 1, s.flightId, s.rbd));
    }
  })();
}

function toStored(row: Row): StoredOffer {
  let json: unknown;
  try { json = JSON.parse(row.record); } catch (e) { throw new Error(`offer ${row.id}: stored record is not JSON (${(e as Error).message})`); }
  const parsed = OfferSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`offer ${row.id}: stored record does not match the offer schema: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return {
    offer: parsed.data, status: row.status, statusAt: row.status_at,
    ...(row.replaced_by ? { replacedBy: row.replaced_by } : {}), ...(row.order_id ? { orderId: row.order_id } : {}),
    ...(row.shopping_response_id ? { shoppingResponseId: row.shopping_response_id } : {}),
  };
}

export function loadOffer(db: Database, id: string): StoredOffer | undefined {
  const row = db.prepare('SELECT * FROM offers WHERE id = ?').get(id) as Row | undefined;
  return row ? toStored(row) : undefined;
}

export function loadShoppingResponse(db: Database, shoppingResponseId: string): StoredOffer[] {
  return (db.prepare('SELECT * FROM offers WHERE shopping_response_id = ? ORDER BY total_minor, id').all(shoppingResponseId) as Row[]).map(toStored);
}

function transition(db: Database, id: string, set: string, params: Record<string, string>): void {
  const r = db.prepare(`UPDATE offers SET ${set} WHERE id = @id AND status = 'offered'`).run({ id, ...params });
  if (r.changes === 1) return;
  const cur = db.prepare('SELECT status, status_at FROM offers WHERE id = ?').get(id) as { status: string; status_at: string } | undefined;
  if (!cur) throw new OfferStateError('not_found', `offer ${id} is not in the store: shop again`);
  throw new OfferStateError('not_offered', `offer ${id} is ${cur.status} since ${cur.status_at}: only an offered offer can change`);
}

/** Records the order made from an offer; refuses an offer already ordered, expired or replaced. */
export function markOfferOrdered(db: Database, id: string, orderId: string, at: string): void {
  transition(db, id, "status = 'ordered', order_id = @orderId, status_at = @at", { orderId, at });
}

/** Records that a fresh offer (already saved) replaces this one after re-validation. */
export function markOfferReplaced(db: Database, id: string, replacedBy: string, at: string): void {
  transition(db, id, "status = 'replaced', replaced_by = @replacedBy, status_at = @at", { replacedBy, at });
}

/** Marks offered offers past their expiry as expired; returns how many. */
export function expireOffers(db: Database, now: string): number {
  return db.prepare("UPDATE offers SET status = 'expired', status_at = @now WHERE status = 'offered' AND expires_at < @now").run({ now }).changes;
}

/** Deletes offers no longer offered that were created before `before` (retention); returns how many. */
export function purgeOffers(db: Database, before: string): number {
  return db.prepare("DELETE FROM offers WHERE status <> 'offered' AND created_at < ? AND id NOT IN (SELECT replaced_by FROM offers WHERE replaced_by IS NOT NULL AND created_at >= ?)").run(before, before).changes;
}

/** Offers still open on a flight (e.g. to re-validate after a schedule change). */
export function openOffersOnFlight(db: Database, flightId: string): string[] {
  return (db.prepare("SELECT DISTINCT s.offer_id AS id FROM offer_segments s JOIN offers o ON o.id = s.offer_id WHERE s.flight_id = ? AND o.status = 'offered' ORDER BY s.offer_id").all(flightId) as { id: string }[]).map((r) => r.id);
}

export interface OfferQuery {
  origin?: string;
  destination?: string;
  departureDate?: string;
  status?: OfferStatus;
  limit?: number;
}

export function listOffers(db: Database, q: OfferQuery = {}): OfferSummary[] {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: Math.min(Math.max(q.limit ?? 100, 1), 1000) };
  if (q.origin) { where.push('origin = @origin'); params.origin = q.origin; }
  if (q.destination) { where.push('destination = @destination'); params.destination = q.destination; }
  if (q.departureDate) { where.push('departure_date = @dep'); params.dep = q.departureDate; }
  if (q.status) { where.push('status = @status'); params.status = q.status; }
  const rows = db.prepare(`SELECT id, created_at, expires_at, origin, destination, departure_date, return_date, brand, passengers, currency, total_minor, status
    FROM offers ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT @limit`).all(params) as Row[];
  return rows.map((r) => ({
    id: r.id, createdAt: r.created_at, expiresAt: r.expires_at, origin: r.origin, destination: r.destination, departureDate: r.departure_date,
    ...(r.return_date ? { returnDate: r.return_date } : {}), brand: r.brand, passengers: r.passengers, currency: r.currency, totalMinor: r.total_minor, status: r.status,
  }));
}
