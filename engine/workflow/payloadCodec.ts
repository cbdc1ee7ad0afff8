/**
 * A decision's PSS payload as `decisions.payload` stores it. As JSON a fare's payload took about 280
 * bytes, most of them its names; a payload in the shape the workflow writes (`{ kind, fare }` with the
 * fare's twelve fields, or `{ kind, control }` with the control's seven, in the order below) is stored
 * as the array [kind, ...the values in that order]. Any other (a field missing or added, another order)
 * is stored as its JSON object, as every row was before; the reader gets back exactly what was written,
 * key order included. Part of the stored format: do not change the orders.
 */
import type { DecisionPayload } from './types';

const FARE_KEYS = ['carrier', 'origin', 'destination', 'rbd', 'cabin', 'fareBasis', 'pointOfSale', 'currency', 'amountMinor', 'validFrom', 'validTo', 'flightId'] as const;
const CONTROL_KEYS = ['flightId', 'rbd', 'cabin', 'authorised', 'status', 'bidPriceMinor', 'currency'] as const;

function fieldsOf(kind: unknown): { inner: 'fare' | 'control'; keys: readonly string[] } | null {
  if (kind === 'fare') return { inner: 'fare', keys: FARE_KEYS };
  if (kind === 'authorisation' || kind === 'bid_price') return { inner: 'control', keys: CONTROL_KEYS };
  return null;
}

function packed(p: DecisionPayload): unknown[] | null {
  const f = fieldsOf(p.kind);
  if (!f) return null;
  const outer = Object.keys(p);
  if (outer.length !== 2 || outer[0] !== 'kind' || outer[1] !== f.inner) return null;
  const o = (p as unknown as Record<string, Record<string, unknown>>)[f.inner]!;
  const keys = Object.keys(o);
  // the same keys in the same order, none undefined (JSON would leave it out): the array reads back as the same JSON
  if (keys.length !== f.keys.length || keys.some((k, i) => k !== f.keys[i] || o[k] === undefined)) return null;
  const out: unknown[] = [p.kind];
  for (const k of f.keys) out.push(o[k]);
  return out;
}

export function encodePayload(p: DecisionPayload): string {
  return JSON.stringify(packed(p) ?? p);
}

export function decodePayload(text: string): DecisionPayload {
  const v = JSON.parse(text) as unknown;
  if (!Array.isArray(v)) return v as DecisionPayload; // any other shape, and every row written before
  const f = fieldsOf(v[0]);
  if (!f || v.length !== f.keys.length + 1) throw new Error(`decision payload: stored as ${String(v[0])} with ${v.length - 1} values, which this build does not know (written by a newer one?)`);
  const o: Record<string, unknown> = {};
  for (let i = 0; i < f.keys.length; i++) o[f.keys[i]!] = v[i + 1];
  return { kind: v[0], [f.inner]: o } as unknown as DecisionPayload;
}
