/** Small, fast markets for the simulator's own tests (not used by production code). */
import { createSandboxMarket, createThreeMktMarket, type SimulatedMarket } from './market';
import type { CarrierController } from './controller';

/** A sandbox with a short horizon and history (about 45 simulated days): seconds, not minutes. */
export function smallSandbox(seed = 3, controllers?: Record<string, CarrierController>): SimulatedMarket {
  return createSandboxMarket({
    seed, today: '2026-03-02', historyDays: 12, burnInDays: 5, saleOpensDays: 30, routes: 20, dcps: [28, 21, 14, 7, 3, 1, 0], controllers,
  });
}

/** 3MKT with a booking log of every carrier. */
export function threeMkt(opts: { seed?: number; demandMultiplier?: number; controllers?: Record<string, CarrierController>; record?: 'all' | 'own' | 'none'; legRoomDays?: number } = {}): SimulatedMarket {
  return createThreeMktMarket({ seed: opts.seed ?? 7, demandMultiplier: opts.demandMultiplier, controllers: opts.controllers, record: opts.record ?? 'all', startDate: '2025-01-06', legRoomDays: opts.legRoomDays });
}
