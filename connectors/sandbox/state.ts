/**
 * What the four sandbox systems share: the market, a state version that changes whenever the market
 * does (so cached lists are rebuilt), and the push counters the control API reports.
 */
import type { SandboxMarket } from './market';

export interface PushCounters {
  /** batches received with a new idempotency key */
  batches: number;
  /** batches whose key had been seen: the first answer was returned, nothing applied */
  replayed: number;
  /** a seen key with a different body: refused with 422 */
  conflicts: number;
  itemsAccepted: number;
  itemsRejected: number;
}

export interface SandboxState {
  market: SandboxMarket;
  /** increases with every change of the market */
  version: number;
  pushes: { fares: PushCounters; controls: PushCounters; orders: PushCounters };
  /** files written to drop folders */
  files: { system: string; file: string; kind: string; rows: number; badRows: number; at: string }[];
}

const zero = (): PushCounters => ({ batches: 0, replayed: 0, conflicts: 0, itemsAccepted: 0, itemsRejected: 0 });

export function createState(market: SandboxMarket): SandboxState {
  return { market, version: 0, pushes: { fares: zero(), controls: zero(), orders: zero() }, files: [] };
}

/** The cache key part for the market's current state. */
export function stateKey(state: SandboxState): string {
  return `${state.version}@${state.market.clock.now().toISOString()}`;
}
