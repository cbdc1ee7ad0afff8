/**
 * What a push would send (the dry run's diff): the decisions auto-approval would approve, with the rule
 * that would approve each, and the decisions already queued in the outbox, with who approved them — each
 * as key, market, flight, class, current value → new value and change.
 */
import type { Database } from 'better-sqlite3';
import type { CycleReport, CyclePushItem } from '../api/contract/cycle';
import type { DecisionKind } from '../api/contract/decisions';

interface Row {
  id: number; kind: DecisionKind; key: string; origin: string; destination: string; flight_id: string; travel_date: string; cabin: string; rbd: string;
  currency: string | null; current_value: number | null; proposed_value: number; change_pct: number | null; state: string; decided_by: string | null;
}

const COLUMNS = 'id, kind, key, origin, destination, flight_id, travel_date, cabin, rbd, currency, current_value, proposed_value, change_pct, state, decided_by';

const toItem = (r: Row, why: string): CyclePushItem => ({
  decisionId: r.id, kind: r.kind, key: r.key, origin: r.origin, destination: r.destination, flightId: r.flight_id, travelDate: r.travel_date,
  cabin: r.cabin, rbd: r.rbd, currency: r.kind === 'authorisation' ? null : r.currency, currentValue: r.current_value, proposedValue: r.proposed_value,
  changePct: r.change_pct, why,
});

export interface PushDiff {
  summary: NonNullable<CycleReport['wouldPush']>;
  /** every item, in travel order (the CLI prints them) */
  items(): Generator<CyclePushItem>;
}

/**
 * The diff for `approve` (decision id → why it would be approved) plus everything queued in the outbox;
 * the summary keeps the first `keep` items.
 */
export function pushDiff(db: Database, approve: ReadonlyMap<number, string>, keep = 200): PushDiff {
  const queued = db.prepare("SELECT id FROM decisions WHERE state = 'queued' ORDER BY id").pluck().all() as number[];
  const why = new Map(approve);
  for (const id of queued) if (!why.has(id)) why.set(id, '');
  const ids = [...why.keys()];
  const byKind: Partial<Record<DecisionKind, number>> = {};
  const byMarket = new Map<string, number>();
  const order = new Map<number, string>();
  const chunk = 5_000;
  const sel = db.prepare(`SELECT id, kind, origin || '-' || destination AS market, travel_date || origin || destination || flight_id || cabin || rbd || printf('%012d', id) AS ord
    FROM decisions WHERE id IN (SELECT value FROM json_each(?))`).raw();
  for (let i = 0; i < ids.length; i += chunk) {
    for (const r of sel.all(JSON.stringify(ids.slice(i, i + chunk))) as [number, DecisionKind, string, string][]) {
      byKind[r[1]] = (byKind[r[1]] ?? 0) + 1;
      byMarket.set(r[2], (byMarket.get(r[2]) ?? 0) + 1);
      order.set(r[0], r[3]);
    }
  }
  const sorted = [...order.entries()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map(([id]) => id);
  const rows = db.prepare(`SELECT ${COLUMNS} FROM decisions WHERE id IN (SELECT value FROM json_each(?))`);
  const reason = (r: Row) => why.get(r.id) || `approved by ${r.decided_by ?? 'someone'}, waiting in the outbox`;
  function* items(limit = Infinity): Generator<CyclePushItem> {
    let n = 0;
    for (let i = 0; i < sorted.length && n < limit; i += chunk) {
      const part = sorted.slice(i, i + chunk);
      const got = new Map((rows.all(JSON.stringify(part)) as Row[]).map((r) => [r.id, r]));
      for (const id of part) {
        const r = got.get(id);
        if (!r) continue;
        if (n++ >= limit) return;
        yield toItem(r, reason(r));
      }
    }
  }
  return {
    summary: {
      total: sorted.length, byKind,
      byMarket: [...byMarket.entries()].map(([market, count]) => ({ market, count })).sort((a, b) => b.count - a.count || a.market.localeCompare(b.market)),
      items: [...items(keep)], truncated: sorted.length > keep,
    },
    items: () => items(),
  };
}
