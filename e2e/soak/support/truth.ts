/**
 * The store against the sandbox's own logs: after syncs that were killed and resumed any number of times,
 * every booking the PSS logged is in the store in its latest state (or quarantined with a reason), every
 * PROS figure holds its latest value, every competitor observation is there once. A gap shows as
 * missing, a duplicate or out-of-order page as extra rows or a stale state.
 */
import type { Database } from 'better-sqlite3';
import type { SandboxMarket, LogPage } from '../../../connectors/sandbox/market';

export interface StreamCheck {
  /** records in the sandbox's log (latest state per key) */
  expected: number;
  /** of those, in the store */
  present: number;
  /** of those, quarantined instead (with a reason) */
  quarantined: number;
  /** expected but neither in the store nor quarantined */
  missing: number;
  /** in the store but not in the sandbox's log */
  extra: number;
  /** in the store with another state or value than the sandbox's latest */
  stale: number;
  examples: string[];
}

export interface TruthReport {
  bookings: StreamCheck;
  demand: StreamCheck;
  competitor: StreamCheck;
  /** missing + stale over all streams: records lost (must be 0) */
  lost: number;
  /** extra rows over all streams (must be 0) */
  duplicates: number;
}

function readAll<T>(page: (after: number, limit: number) => LogPage<T>): T[] {
  const out: T[] = [];
  let after = 0;
  for (;;) {
    const p = page(after, 50_000);
    out.push(...p.items);
    if (!p.hasMore) return out;
    after = p.next;
  }
}

function check(expected: Map<string, string>, present: Map<string, string>, quarantined: Set<string>): StreamCheck {
  const c: StreamCheck = { expected: expected.size, present: 0, quarantined: 0, missing: 0, extra: 0, stale: 0, examples: [] };
  const note = (s: string) => { if (c.examples.length < 5) c.examples.push(s); };
  for (const [k, v] of expected) {
    const got = present.get(k);
    if (got === undefined) {
      if (quarantined.has(k)) c.quarantined++;
      else { c.missing++; note(`missing ${k}`); }
    } else {
      c.present++;
      if (got !== v) { c.stale++; note(`${k}: store ${got}, sandbox ${v}`); }
    }
  }
  for (const k of present.keys()) if (!expected.has(k)) { c.extra++; note(`extra ${k}`); }
  return c;
}

function quarantinedKeys(db: Database, feed: string, keyOf: (p: Record<string, unknown>) => string | null): Set<string> {
  const out = new Set<string>();
  for (const payload of db.prepare('SELECT payload FROM quarantine WHERE feed = ?').pluck().iterate(feed) as IterableIterator<string>) {
    try {
      const k = keyOf(JSON.parse(payload) as Record<string, unknown>);
      if (k) out.add(k);
    } catch { /* a payload that is not JSON names no record */ }
  }
  return out;
}

export function compareWithSandbox(db: Database, market: SandboxMarket): TruthReport {
  // bookings: the latest event per booking id
  const bookings = new Map<string, string>();
  for (const e of readAll((a, l) => market.bookingEvents(a, l))) bookings.set(e.booking.id, `${e.booking.status}/${e.booking.rbd}/${e.booking.passengers}`);
  const inStore = new Map<string, string>();
  for (const r of db.prepare('SELECT id, status, rbd, passengers FROM bookings').iterate() as IterableIterator<{ id: string; status: string; rbd: string; passengers: number }>) {
    inStore.set(r.id, `${r.status}/${r.rbd}/${r.passengers}`);
  }
  const bq = quarantinedKeys(db, 'pss', (p) => (typeof p.bookingId === 'string' ? p.bookingId : typeof p.id === 'string' ? p.id : null));

  // demand: the latest figure per market, date, cabin and DCP
  const dkey = (r: { carrier: string; origin: string; destination: string; departureDate: string; cabin: string; dcp: number }) => `${r.carrier}/${r.origin}-${r.destination}/${r.departureDate}/${r.cabin}/${r.dcp}`;
  const demand = new Map<string, string>();
  for (const p of readAll((a, l) => market.demandPublications(a, l))) demand.set(dkey(p.record), `${p.record.kind}:${p.record.bookings}`);
  const demandStore = new Map<string, string>();
  for (const r of db.prepare('SELECT carrier, origin, destination, departure_date AS departureDate, cabin, dcp, kind, bookings FROM demand').iterate() as IterableIterator<{ carrier: string; origin: string; destination: string; departureDate: string; cabin: string; dcp: number; kind: string; bookings: number }>) {
    demandStore.set(dkey(r), `${r.kind}:${r.bookings}`);
  }
  const dq = quarantinedKeys(db, 'pros', (p) => (typeof p.origin === 'string' && typeof p.departureDate === 'string' ? dkey(p as never) : null));

  // competitor observations: each once
  const ckey = (r: { carrier: string; origin: string; destination: string; departureDate: string; cabin: string | null; brand: string | null; currency: string; observedAt: string }) =>
    `${r.carrier}/${r.origin}-${r.destination}/${r.departureDate}/${r.cabin ?? ''}/${r.brand ?? ''}/${r.currency}/${r.observedAt}`;
  const comp = new Map<string, string>();
  for (const o of readAll((a, l) => market.competitorObservations(a, l))) comp.set(ckey(o.fare), String(o.fare.amountMinor));
  const compStore = new Map<string, string>();
  for (const r of db.prepare(`SELECT carrier, origin, destination, departure_date AS departureDate, cabin, brand, currency, observed_at AS observedAt, amount_minor AS amountMinor FROM competitor_fares`)
    .iterate() as IterableIterator<{ carrier: string; origin: string; destination: string; departureDate: string; cabin: string; brand: string; currency: string; observedAt: string; amountMinor: number }>) {
    compStore.set(ckey({ ...r, cabin: r.cabin || null, brand: r.brand || null }), String(r.amountMinor));
  }
  const cq = quarantinedKeys(db, 'competitor', (p) => (typeof p.carrier === 'string' && typeof p.observedAt === 'string' ? ckey(p as never) : null));

  const b = check(bookings, inStore, bq);
  const d = check(demand, demandStore, dq);
  const c = check(comp, compStore, cq);
  return { bookings: b, demand: d, competitor: c, lost: b.missing + b.stale + d.missing + d.stale + c.missing + c.stale, duplicates: b.extra + d.extra + c.extra };
}
