/**
 * A decision's PSS payload as `decisions.payload` stores it. As JSON a fare's payload took about 280
 * bytes, most of them its names; a payload in the shape the workflow writes (`{ kind, fare }` with the
 * fare's twelve fields, or `{ kind, control }` with the control's seven, in the order below) is stored
 * as the array [kind, ...the values in that order]. Any other (a field missing or added, another order)
 * is stored as its JSON object, as every row was before; the reader gets back exactly what was written,
 * key order included. Part of the stored format: do not change the orders.
 *
 * An outbox item's payload (`outbox_items.payload`, what the PSS receives: the Fare or the InventoryControl
 * alone) is stored the same way, as ["fare", ...] or ["control", ...] (`encodePushPayload`): a fare in about 106
 * bytes instead of 230.
 */
import type { DecisionPayload } from './types';

const FARE_KEYS = ['carrier', 'origin', 'destination', 'rbd', 'cabin', 'fareBasis', 'pointOfSale', 'currency', 'amountMinor', 'validFrom', 'validTo', 'flightId'] as const;
const CONTROL_KEYS = ['flightId', 'rbd', 'cabin', 'authorised', 'status', 'bidPriceMinor', 'currency'] as const;

function fieldsOf(kind: unknown): { inner: 'fare' | 'control'; keys: readonly string[] } | null {
  if (kind === 'fare') return { inner: 'fare', keys: FARE_KEYS };
  if (kind === 'authorisation' || kind === 'bid_price') return { inner: 'control', keys: CONTROL_KEYS };
  return null;
}

/** [head, ...o's values in `keys` order], when o has exactly those keys in that order and none undefined (JSON would leave it out), so the array reads back as the same JSON; else null. */
function valuesOf(head: string, o: unknown, keys: readonly string[]): unknown[] | null {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return null;
  const r = o as Record<string, unknown>;
  const own = Object.keys(r);
  if (own.length !== keys.length || own.some((k, i) => k !== keys[i] || r[k] === undefined)) return null;
  const out: unknown[] = [head];
  for (const k of keys) out.push(r[k]);
  return out;
}

function objectOf(v: readonly unknown[], keys: readonly string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) o[keys[i]!] = v[i + 1];
  return o;
}

function packed(p: DecisionPayload): unknown[] | null {
  const f = fieldsOf(p.kind);
  if (!f) return null;
  const outer = Object.keys(p);
  if (outer.length !== 2 || outer[0] !== 'kind' || outer[1] !== f.inner) return null;
  return valuesOf(p.kind, (p as unknown as Record<string, unknown>)[f.inner], f.keys);
}

export function encodePayload(p: DecisionPayload): string {
  return JSON.stringify(packed(p) ?? p);
}

export function decodePayload(text: string): DecisionPayload {
  const v = JSON.parse(text) as unknown;
  if (!Array.isArray(v)) return v as DecisionPayload; // any other shape, and every row written before
  const f = fieldsOf(v[0]);
  if (!f || v.length !== f.keys.length + 1) throw new Error(`decision payload: stored as ${String(v[0])} with ${v.length - 1} values, which this build does not know (written by a newer one?)`);
  return { kind: v[0], [f.inner]: objectOf(v, f.keys) } as unknown as DecisionPayload;
}

const PUSH_KEYS: Readonly<Record<string, readonly string[]>> = { fare: FARE_KEYS, control: CONTROL_KEYS };

/** An outbox item's payload (a Fare or an InventoryControl) as `outbox_items.payload` stores it. */
export function encodePushPayload(p: unknown): string {
  return JSON.stringify(valuesOf('fare', p, FARE_KEYS) ?? valuesOf('control', p, CONTROL_KEYS) ?? p);
}

/** What encodePushPayload stored (or a row's JSON from before), as the same object, key order included. */
export function decodePushPayload(text: string): unknown {
  const v = JSON.parse(text) as unknown;
  if (!Array.isArray(v)) return v;
  const keys = PUSH_KEYS[String(v[0])];
  if (!keys || v.length !== keys.length + 1) throw new Error(`outbox payload: stored as ${String(v[0])} with ${v.length - 1} values, which this build does not know (written by a newer one?)`);
  return objectOf(v, keys);
}
