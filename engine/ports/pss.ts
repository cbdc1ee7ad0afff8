/**
 * The PSS port: pushes of approved fares and inventory controls. (Reading bookings, inventory and fares
 * from the PSS is a feed sync, see feed-sync.ts.)
 *
 * A push is a batch with an idempotency key. The PSS answers per item: accepted with its reference, or
 * rejected with a reason. Replaying a key returns the first answer and changes nothing, so the outbox can
 * push at least once without duplicating anything. Within one decision key the PSS never applies an older
 * sequence after a newer one: it rejects the older with code "stale_sequence".
 */
import type { CabinCode, Fare, Rbd } from '../domain/types';
import type { CurrencyCode } from '../domain/money';

/** One decision to push. `key` identifies what it sets (a fare key or a flight × RBD); `sequence` orders decisions per key. */
export interface PushItem<T> {
  /** the caller's id for this item (the outbox row), echoed in the answer */
  itemId: string;
  /** the decision key, e.g. "fare:XX/FRA-JFK/Y/YOWEU/DE/EUR/2025-06-01/2025-06-30" */
  key: string;
  /** increases with each newer decision for the same key */
  sequence: number;
  payload: T;
}

/** An inventory control for one leg departure × RBD. Fields left null are not changed. */
export interface InventoryControl {
  flightId: string;
  rbd: Rbd;
  cabin: CabinCode;
  /** nested booking limit */
  authorised: number | null;
  status: 'open' | 'closed' | null;
  bidPriceMinor: number | null;
  currency: CurrencyCode | null;
}

export interface PushBatch<T> {
  /** unique per batch; a retry of the same batch reuses it */
  idempotencyKey: string;
  items: PushItem<T>[];
}

export type PushItemResult =
  | { itemId: string; status: 'accepted'; reference: string }
  | { itemId: string; status: 'rejected'; code: string; reason: string };

export interface PushBatchResult {
  idempotencyKey: string;
  /** true when the PSS had seen the key and returned its first answer */
  replayed: boolean;
  /** when the PSS first received the batch (UTC ISO-8601) */
  receivedAt: string;
  /** one answer per pushed item, same item ids */
  items: PushItemResult[];
}

export interface PssPort {
  pushFares(batch: PushBatch<Fare>, signal?: AbortSignal): Promise<PushBatchResult>;
  pushInventoryControls(batch: PushBatch<InventoryControl>, signal?: AbortSignal): Promise<PushBatchResult>;
}

// — order creation (the offers service books through it; the PSS adapter implements it) —

/** One order at the PSS: one journey (O&D) of an offer. */
export interface PssOrderRequest {
  offerId: string;
  origin: string;
  destination: string;
  /** seats booked (infants travel on a lap and take none) */
  passengers: number;
  pointOfSale: string;
  channel: string;
  /** our flights in journey order, each in the offer's RBD */
  segments: { flightId: string; rbd: string }[];
  /** the fare for all seats as the offer priced it; the PSS refuses (price_changed) when its fare moved */
  expectedTotal: { amountMinor: number; currency: string } | null;
  /** one entry per passenger and unit; amount 0: included in the brand */
  ancillaries: { code: string; amountMinor: number; currency: string; segment: number }[];
}

export type PssOrderOutcome =
  | { ok: true; orderId: string; recordLocator: string; createdAt: string; bookingIds: string[]; totalMinor: number; currency: string; replayed: boolean }
  | { ok: false; code: string; reason: string };

/** Order creation at the PSS (the PSS adapter implements it). Throws when the PSS gives no answer. */
export interface OfferOrderPort {
  createOrder(order: PssOrderRequest, idempotencyKey: string, signal?: AbortSignal): Promise<PssOrderOutcome>;
}
