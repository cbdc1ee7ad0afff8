/**
 * The RM strategies the revenue simulation compares for our carrier, as simulator controllers:
 *
 * - `fcfs`: static fares, every class open while seats remain (no control);
 * - `E`: PODS system E (EM unconstraining, additive pickup, EMSR-b, leg control), the standard;
 * - `dynamic`: our own hybrid forecasting and choice-based dynamic-programming optimisation with
 *   bid prices, conditioned on each departure's demand level, displacement-adjusted class values and
 *   competitor-aware control (./dynamic), fed only by the carrier's observations.
 *
 * `assumptions` scale the dynamic strategy's starting assumptions about passengers (robustness runs:
 * 0.7 and 1.3, i.e. ±30 % off). The other strategies make no such assumptions and ignore them.
 */
import { fcfs, systemE, type CarrierController } from '../simulation';
import { DynamicController } from './dynamic/controller';

import { STRATEGIES, type StrategyName } from '../api/contract/simulations';

export { STRATEGIES, type StrategyName };

export interface StrategyAssumptions {
  /**
   * Multiplies the sell-up excess (Frat5 − 1) of the Frat5 curve the dynamic strategy assumes: the
   * passengers' price elasticity prior (1 = the published curve C).
   */
  frat5Scale?: number;
}

export function isStrategyName(s: string): s is StrategyName {
  return (STRATEGIES as readonly string[]).includes(s);
}

/** A fresh controller of the named strategy (controllers keep per-market state: one per market). */
export function createStrategy(name: StrategyName, opts: { assumptions?: StrategyAssumptions } = {}): CarrierController {
  switch (name) {
    case 'fcfs': return fcfs();
    case 'E': return systemE();
    case 'dynamic': {
      const scale = opts.assumptions?.frat5Scale ?? 1;
      if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`strategy dynamic: assumptions.frat5Scale must be a positive number, got ${scale}`);
      return new DynamicController({ frat5Scale: scale });
    }
    default: {
      const never: never = name;
      throw new RangeError(`unknown strategy "${String(never)}": use one of ${STRATEGIES.join(', ')}`);
    }
  }
}
