/**
 * Dated exchange rates: one rate per currency per day, units of the currency per unit of the base
 * currency. Each rate follows a seeded mean-reverting random walk in logs (reversion 0.5 % a day)
 * around its starting level, so history and horizon both have realistic, reproducible movements.
 */
import { hashNormal, hashString } from './rng';

const REVERSION = 0.005;

export class FxSeries {
  private readonly rates: Float64Array[];
  private filledTo: number; // last day filled, relative to firstDay

  constructor(
    private readonly seed: number,
    readonly currencies: readonly string[],
    private readonly initial: readonly number[],
    private readonly vol: readonly number[],
    readonly firstDay: number,
  ) {
    this.rates = currencies.map(() => new Float64Array(1024));
    this.rates.forEach((r, i) => { r[0] = initial[i]!; });
    this.filledTo = 0;
  }

  private fill(to: number): void {
    if (to >= this.rates[0]!.length) {
      const size = Math.max(to + 256, this.rates[0]!.length * 2);
      for (let i = 0; i < this.rates.length; i++) {
        const next = new Float64Array(size);
        next.set(this.rates[i]!);
        this.rates[i] = next;
      }
    }
    for (let d = this.filledTo + 1; d <= to; d++) {
      for (let i = 0; i < this.rates.length; i++) {
        const r = this.rates[i]!;
        const v = this.vol[i]!;
        if (v === 0) { r[d] = r[d - 1]!; continue; }
        const prevLog = Math.log(r[d - 1]!);
        const anchor = Math.log(this.initial[i]!);
        const z = hashNormal(this.seed, hashString(this.currencies[i]!), this.firstDay + d);
        r[d] = Math.exp(prevLog + v * z - REVERSION * (prevLog - anchor));
      }
    }
    this.filledTo = Math.max(this.filledTo, to);
  }

  /** Units of currency `ccy` (index) per base unit on `day` (days before the first day use the first day's rate). */
  rate(ccy: number, day: number): number {
    const d = day - this.firstDay;
    if (d <= 0) return this.rates[ccy]![0]!;
    if (d > this.filledTo) this.fill(d);
    return this.rates[ccy]![d]!;
  }
}
