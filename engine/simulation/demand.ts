/**
 * The demand model (truth). For a market m, passenger segment s and journey date X (local date at
 * the origin), the mean number of passengers is
 *
 *   μ(m, s, X) = base(m, s) · demandMultiplier · season_s(X) · weekday_s(X) · events(m, s, X)
 *
 * and the realised demand varies PODS-style with normal k-factors (coefficients of variation):
 *
 *   K(m, s, X) = max(0, 1 + k_sys·Z_sys(X) + k_mkt·Z_mkt(m, X) + k_seg·Z_seg(m, s, X))
 *   λ_k(m, s, X) = μ · K · share_k(curve) · max(0, 1 + k_tf·Z_tf(m, s, X, k))
 *
 * Z are standard normals addressed by hash (the same seed gives the same draws whatever the prices
 * or controls; the time-frame draws of a market and day come from one stream seeded by that hash),
 * share_k the booking curve's share of period k. Requests (parties) arriving in period k
 * are Poisson with mean λ_k / mean party size, spread uniformly over the period's days and over the
 * hours of each day. E[K] = 1 up to the truncation at 0 (negligible for the k-factors used).
 */
import { hash32, hashNormal, hashString, normalInPlace, Rng } from './rng';
import type { Network } from './network';
import { weekdayIndex } from './network';

const TAG_SYS = hashString('k:sys');
const TAG_MKT = hashString('k:mkt');
const TAG_SEG = hashString('k:seg');
const TAG_TF = hashString('k:tf');

export class DemandModel {
  /** mean party size per segment */
  readonly meanGroup: Float64Array;
  private readonly seasonCache = new Map<number, Float64Array>();
  private readonly eventCache = new Map<number, Float64Array>();
  /** per market: bitmask of segment entries concerned per calendar event is computed on the fly */
  private readonly marketCountries: [string, string][];
  private readonly marketAirports: [string, string][];

  constructor(private readonly net: Network, readonly seed: number) {
    this.meanGroup = Float64Array.from(net.segments, (s) => {
      const tot = s.groupSize.reduce((a, b) => a + b, 0);
      return s.groupSize.reduce((a, p, i) => a + p * (i + 1), 0) / tot;
    });
    const ap = net.airports;
    this.marketCountries = Array.from({ length: net.markets.n }, (_, m) => [ap[net.markets.origin[m]!]!.country ?? '', ap[net.markets.destination[m]!]!.country ?? '']);
    this.marketAirports = Array.from({ length: net.markets.n }, (_, m) => [ap[net.markets.origin[m]!]!.code, ap[net.markets.destination[m]!]!.code]);
  }

  /** Seasonal × weekday factor per segment for a journey day. */
  private season(day: number): Float64Array {
    let v = this.seasonCache.get(day);
    if (!v) {
      const date = new Date(day * 86_400_000);
      const doy = Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
      const w = weekdayIndex(day);
      v = Float64Array.from(this.net.segments, (s) => {
        const se = 1 + s.season.a1 * Math.cos((2 * Math.PI * (doy - s.season.peak1)) / 365) + s.season.a2 * Math.cos((4 * Math.PI * (doy - s.season.peak2)) / 365);
        return Math.max(0.05, se) * s.dowFactors[w]!;
      });
      if (this.seasonCache.size > 4000) this.seasonCache.clear();
      this.seasonCache.set(day, v);
    }
    return v;
  }

  /** Event multipliers [market · nSegments + segment] for one journey day. */
  private events(day: number): Float64Array {
    let v = this.eventCache.get(day);
    if (!v) {
      const nS = this.net.segments.length;
      v = new Float64Array(this.net.markets.n * nS).fill(1);
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      for (const e of this.net.spec.calendar) {
        if (iso < e.from || iso > e.to) continue;
        for (let m = 0; m < this.net.markets.n; m++) {
          const [co, cd] = this.marketCountries[m]!;
          const [ao, ad] = this.marketAirports[m]!;
          const touches = e.airports.length > 0
            ? e.airports.includes(ao) || e.airports.includes(ad)
            : e.countries.length === 0 || e.countries.includes(co) || e.countries.includes(cd);
          if (!touches) continue;
          for (let s = 0; s < nS; s++) {
            const f = e.effect[this.net.segments[s]!.code];
            if (f !== undefined) v[m * nS + s] *= f;
          }
        }
      }
      if (this.eventCache.size > 800) this.eventCache.clear();
      this.eventCache.set(day, v);
    }
    return v;
  }

  /** μ(m, s, X) for the demand entry `entry` of market m (expected passengers before k-factors). */
  mean(m: number, entry: number, day: number): number {
    const d = this.net.markets.demand[m]![entry]!;
    const nS = this.net.segments.length;
    return d.baseDemand * this.net.spec.demandMultiplier * this.season(day)[d.segment]! * this.events(day)[m * nS + d.segment]!;
  }

  /** K(m, s, X): the realised total-demand multiplier. */
  kFactor(m: number, entry: number, day: number, seed = this.seed): number {
    const v = this.net.spec.variability;
    const seg = this.net.markets.demand[m]![entry]!.segment;
    const k = 1 + v.sys * hashNormal(seed, TAG_SYS, day) + v.mkt * hashNormal(seed, TAG_MKT, m, day) + v.seg * hashNormal(seed, TAG_SEG, m * 16 + seg, day);
    return k > 0 ? k : 0;
  }

  private readonly tfRng = new Rng(1);

  /**
   * The time-frame multipliers of every demand entry and period of a market and journey day into
   * `out[entry · P + k]`: max(0, 1 + k_tf·Z), Z drawn in that order from the (seed, market, day) stream.
   */
  tfFactors(m: number, day: number, out: Float64Array, seed = this.seed): void {
    const tf = this.net.spec.variability.tf;
    const n = this.net.markets.demand[m]!.length * this.net.nPeriods;
    if (tf === 0) { out.fill(1, 0, n); return; }
    this.tfRng.reseed(hash32(seed, TAG_TF, m, day), 0x7f);
    // the stream's first n uniforms in one loop, then each turned into its normal in place
    this.tfRng.fillUniform(out, 0, n);
    for (let i = 0; i < n; i++) {
      normalInPlace(out, i);
      const f = 1 + tf * out[i]!;
      out[i] = f > 0 ? f : 0;
    }
  }

  /** Expected passengers per period (unconditional: before the k-factor draws). */
  expectedByPeriod(m: number, entry: number, day: number): number[] {
    const mu = this.mean(m, entry, day);
    return Array.from(this.net.markets.demand[m]![entry]!.shares, (s) => mu * s);
  }

  /** Realised Poisson means per period (after this seed's k-factor and time-frame draws). */
  realisedByPeriod(m: number, entry: number, day: number, seed = this.seed): number[] {
    const mu = this.mean(m, entry, day) * this.kFactor(m, entry, day, seed);
    const P = this.net.nPeriods;
    const tf = new Float64Array(this.net.markets.demand[m]!.length * P);
    this.tfFactors(m, day, tf, seed);
    return Array.from(this.net.markets.demand[m]![entry]!.shares, (s, k) => mu * s * tf[entry * P + k]!);
  }
}
