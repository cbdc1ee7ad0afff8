/**
 * The carriers' own pricing processes before the workbench takes over: general fare level changes
 * every four to eight weeks (a market group re-filed 5 % down to 6 % up) and short promotions on the
 * lowest economy classes (15–30 % off, sold for one to two weeks, for travel two weeks to three months
 * out). They give the history the price variation that elasticity estimates need.
 */
import { Rng } from './rng';
import type { FareAction } from './simulator';
import type { Network } from './network';

export interface FareActionOptions {
  seed: number;
  fromDay: number;
  toDay: number;
  /** our carrier's actions stop here (the workbench prices from then on) */
  ownUntilDay: number;
}

export function generateFareActions(net: Network, o: FareActionOptions): FareAction[] {
  const out: FareAction[] = [];
  for (const car of net.carriers) {
    const rng = new Rng(o.seed, 0xfa7e, car.idx);
    const last = car.idx === net.own ? Math.min(o.toDay, o.ownUntilDay - 1) : o.toDay;
    // markets the carrier files in, grouped by origin airport
    const byOrigin = new Map<number, number[]>();
    for (let m = 0; m < net.markets.n; m++) {
      let sells = false;
      for (let i = net.markets.pathStart[m]!; i < net.markets.pathStart[m + 1]! && !sells; i++) sells = net.paths.carrier[i] === car.idx;
      if (!sells) continue;
      const a = net.markets.origin[m]!;
      if (!byOrigin.has(a)) byOrigin.set(a, []);
      byOrigin.get(a)!.push(m);
    }
    const groups = [...byOrigin.values()];
    if (groups.length === 0) continue;
    const all = groups.flat();
    const yClasses = car.classesByCabin[car.classesByCabin.length - 1]!;
    const promoClasses = yClasses.slice(Math.max(0, yClasses.length - 4));
    const allClasses = Array.from({ length: car.nClasses }, (_, i) => i);
    for (let d = o.fromDay + 7 + rng.int(28); d <= last; d += 28 + rng.int(29)) {
      const markets = rng.uniform() < 0.3 ? all : groups[rng.int(groups.length)]!;
      out.push({ day: d, carrier: car.idx, kind: 'level', markets, classes: allClasses, factor: 0.95 + 0.11 * rng.uniform() });
    }
    for (let d = o.fromDay + 3 + rng.int(21); d <= last; d += 21 + rng.int(22)) {
      const saleDays = 7 + rng.int(8);
      const travelFrom = d + 14;
      out.push({
        day: d, carrier: car.idx, kind: 'promo', markets: groups[rng.int(groups.length)]!, classes: promoClasses,
        factor: 0.7 + 0.15 * rng.uniform(), travelFrom, travelTo: travelFrom + 30 + rng.int(47), saleUntil: d + saleDays - 1,
      });
    }
  }
  return out.sort((a, b) => a.day - b.day || a.carrier - b.carrier);
}
