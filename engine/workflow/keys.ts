/**
 * Decision keys and values. A key names what a decision sets at the PSS, so two decisions with the
 * same key compete (the newer supersedes) and the PSS orders them by sequence:
 * - fare: carrier, market, RBD, fare basis, point of sale, currency, validity and, for a dynamic price,
 *   the departure;
 * - authorisation: departure × RBD (booking limit and open/closed);
 * - bid_price: departure × cabin.
 */
import type { Fare } from '../domain/types';
import type { InventoryControl } from '../ports/pss';
import type { DecisionKind, DecisionPayload } from './types';

export function fareKey(f: Fare): string {
  const base = `fare:${f.carrier}/${f.origin}-${f.destination}/${f.rbd}/${f.fareBasis}/${f.pointOfSale}/${f.currency}/${f.validFrom}/${f.validTo}`;
  return f.flightId ? `${base}/${f.flightId}` : base;
}

export function authorisationKey(c: Pick<InventoryControl, 'flightId' | 'rbd'>): string {
  return `auth:${c.flightId}/${c.rbd}`;
}

export function bidPriceKey(c: Pick<InventoryControl, 'flightId' | 'cabin'>): string {
  return `bid:${c.flightId}/${c.cabin}`;
}

export function keyOf(p: DecisionPayload): string {
  if (p.kind === 'fare') return fareKey(p.fare);
  return p.kind === 'authorisation' ? authorisationKey(p.control) : bidPriceKey(p.control);
}

/** The one number a decision sets (fare amount, booking limit or bid price), or why it has none. */
export function headlineOf(p: DecisionPayload): number {
  if (p.kind === 'fare') return p.fare.amountMinor;
  const v = p.kind === 'authorisation' ? p.control.authorised : p.control.bidPriceMinor;
  if (v === null) throw new Error(`an ${p.kind === 'authorisation' ? 'authorisation decision needs control.authorised' : 'bid-price decision needs control.bidPriceMinor'} (flight ${p.control.flightId}, ${p.control.rbd})`);
  return v;
}

/** The payload with its headline number replaced (an override or a bias changes only that). */
export function withHeadline(p: DecisionPayload, value: number): DecisionPayload {
  if (p.kind === 'fare') return { kind: 'fare', fare: { ...p.fare, amountMinor: value } };
  if (p.kind === 'authorisation') return { kind: 'authorisation', control: { ...p.control, authorised: value } };
  return { kind: 'bid_price', control: { ...p.control, bidPriceMinor: value } };
}

/** What the PSS receives for a payload: a Fare or an InventoryControl. */
export function pushPayloadOf(p: DecisionPayload): Fare | InventoryControl {
  return p.kind === 'fare' ? p.fare : p.control;
}

/** The unit of a kind's headline value, for messages. */
export function unitOf(kind: DecisionKind, currency: string | null): string {
  return kind === 'authorisation' ? 'seats' : `minor units of ${currency ?? '?'}`;
}

/** Percent change from the current value, or null when there is none to compare with. */
export function changePct(current: number | null | undefined, next: number): number | null {
  if (current === null || current === undefined || current === 0) return null;
  return ((next - current) / current) * 100;
}
