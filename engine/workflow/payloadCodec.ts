/**
 * A decision's PSS payload as `decisions.payload` stores it. As JSON a fare's payload took about 280
 * bytes, most of them its names; a payload in the shape the workflow writes (`{ kind, fare }` with the
 * fare's twelve fields, or `{ kind, control }` with the control's seven, in the order below) is stored
 * as the array [kind, ...the values in that order]. Any other (a field missing or added, another order)
 * is stored as its JSON object, as every row was before; the reader gets back exactly what was written,
 * key order included. Part of the stored format: do not change the orders.
 *
 * Since stop 30 a payload whose values repeat its decision row's columns (the flight, the dates, the
 * class, the currency, the headline number: decisions.ts writes the row from the payload) stores only the
 * others, ["fare@", fareBasis, pointOfSale]; the readers pass the row. That took a fare decision's row
 * from about 1,000 bytes to about 915, so a 4 KB page holds four instead of three.
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

/**
 * The decision row's own columns, which decisions.ts writes from the same payload and never changes: a
 * payload whose values equal them stores only the rest (`rowRelative`).
 */
export interface PayloadRow {
  kind: string; carrier: string; origin: string; destination: string; flight_id: string; travel_date: string; travel_date_to: string;
  cabin: string; rbd: string; currency: string | null; proposed_value: number;
}

/** per kind: the payload's fields that repeat a column of its row, and that column */
const FROM_ROW: Readonly<Record<string, ReadonlyMap<string, keyof PayloadRow>>> = {
  fare: new Map([['carrier', 'carrier'], ['origin', 'origin'], ['destination', 'destination'], ['rbd', 'rbd'], ['cabin', 'cabin'], ['currency', 'currency'],
    ['amountMinor', 'proposed_value'], ['validFrom', 'travel_date'], ['validTo', 'travel_date_to'], ['flightId', 'flight_id']]),
  authorisation: new Map([['flightId', 'flight_id'], ['rbd', 'rbd'], ['cabin', 'cabin'], ['authorised', 'proposed_value'], ['currency', 'currency']]),
  bid_price: new Map([['flightId', 'flight_id'], ['rbd', 'rbd'], ['cabin', 'cabin'], ['bidPriceMinor', 'proposed_value'], ['currency', 'currency']]),
};
/** the head of a payload stored relative to its row: the kind and this mark */
const ROW_MARK = '@';

/**
 * [kind + "@", ...the values that are not the row's, in key order] when every field FROM_ROW names equals
 * its column (===, so the row gives back the same value and type); else null. A fare then takes about 20
 * bytes (its fare basis and point of sale) instead of about 106.
 */
function rowRelative(values: readonly unknown[], keys: readonly string[], row: PayloadRow): unknown[] | null {
  const kind = String(values[0]);
  const from = FROM_ROW[kind];
  if (!from || row.kind !== kind) return null;
  const out: unknown[] = [kind + ROW_MARK];
  for (let i = 0; i < keys.length; i++) {
    const col = from.get(keys[i]!);
    if (col === undefined) out.push(values[i + 1]);
    else if (values[i + 1] !== row[col]) return null;
  }
  return out;
}

/** The payload as `decisions.payload` stores it; with the row's columns, relative to them where they hold its values. */
export function encodePayload(p: DecisionPayload, row?: PayloadRow): string {
  const v = packed(p);
  if (!v) return JSON.stringify(p);
  const f = fieldsOf(p.kind)!;
  return JSON.stringify((row && rowRelative(v, f.keys, row)) ?? v);
}

/** What encodePayload stored, as the same payload (key order included); a row-relative one needs its row. */
export function decodePayload(text: string, row?: PayloadRow): DecisionPayload {
  const v = JSON.parse(text) as unknown;
  if (!Array.isArray(v)) return v as DecisionPayload; // any other shape, and every row written before
  const head = String(v[0]);
  const relative = head.endsWith(ROW_MARK);
  const kind = relative ? head.slice(0, -ROW_MARK.length) : head;
  const f = fieldsOf(kind);
  const from = FROM_ROW[kind];
  if (!f || !from || v.length !== (relative ? f.keys.length - from.size : f.keys.length) + 1) {
    throw new Error(`decision payload: stored as ${head} with ${v.length - 1} values, which this build does not know (written by a newer one?)`);
  }
  if (!relative) return { kind, [f.inner]: objectOf(v, f.keys) } as unknown as DecisionPayload;
  if (!row) throw new Error(`decision payload: stored relative to its decision's row (${head}); read it with the row`);
  const o: Record<string, unknown> = {};
  let at = 1;
  for (const k of f.keys) {
    const col = from.get(k);
    o[k] = col === undefined ? v[at++] : row[col];
  }
  return { kind, [f.inner]: o } as unknown as DecisionPayload;
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
