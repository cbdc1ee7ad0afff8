/**
 * The sandbox market with a ledger of what the PSS applied: every fare and inventory control that reached
 * the market (after the PSS's idempotency and stale-sequence checks), by the caller's item id, in order.
 * Replays of a known idempotency key never reach the market (the sandbox answers them from memory and
 * counts them apart, see the control API's push counters), so an item id in the ledger twice is a
 * decision applied twice at the PSS.
 */
import type { SandboxMarket } from '../../../connectors/sandbox/market';
import type { Fare } from '../../../engine/domain/types';
import type { InventoryControl, PushItemResult } from '../../../engine/ports/pss';

export interface Application {
  channel: 'fares' | 'controls';
  itemId: string;
  accepted: boolean;
  payload: Fare | InventoryControl;
  /** the market's simulated instant */
  at: string;
}

export interface Ledger {
  applications: Application[];
  /** item id → times applied (accepted or refused by the market) */
  countById(): Map<string, number>;
}

/** Wraps a market so that its applyFares/applyControls calls are recorded. */
export function withLedger<M extends SandboxMarket>(market: M): { market: M; ledger: Ledger } {
  const applications: Application[] = [];
  const record = (channel: Application['channel'], items: { itemId: string; payload: Fare | InventoryControl }[], results: PushItemResult[]) => {
    const at = market.clock.now().toISOString();
    items.forEach((it, i) => applications.push({ channel, itemId: it.itemId, accepted: results[i]?.status === 'accepted', payload: it.payload, at }));
    return results;
  };
  const wrapped = new Proxy(market, {
    get(target, prop, receiver) {
      if (prop === 'applyFares') {
        return (items: { itemId: string; fare: Fare }[]) => record('fares', items.map((x) => ({ itemId: x.itemId, payload: x.fare })), target.applyFares(items));
      }
      if (prop === 'applyControls') {
        return (items: { itemId: string; control: InventoryControl }[]) => record('controls', items.map((x) => ({ itemId: x.itemId, payload: x.control })), target.applyControls(items));
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return {
    market: wrapped,
    ledger: {
      applications,
      countById() {
        const m = new Map<string, number>();
        for (const a of applications) m.set(a.itemId, (m.get(a.itemId) ?? 0) + 1);
        return m;
      },
    },
  };
}
