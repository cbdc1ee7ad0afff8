/**
 * PODS "system E": the standard leg-based RM system the competitors run, fed only by the carrier's
 * own observations.
 *
 * - History: per flight (pattern), the last `historyDepartures` flown departures; per class and
 *   booking period, the net bookings seen and whether the class was closed for at least
 *   `censorThreshold` of the period.
 * - EM unconstraining, normal model, run online: when a departure enters the history, each censored
 *   observation x of a cell (class × period) is replaced by its conditional expectation under the
 *   cell's current normal fit, E[X | X ≥ x] = μ + σ·φ(z)/(1 − Φ(z)) (the EM E-step, with the
 *   engine's `millsInverse`), and the cell's μ, σ are re-estimated from the window (the M-step).
 *   Earlier imputations are not revised (a full EM per cell per day would cost seconds per simulated
 *   day); with a stationary market the window converges to the same fixed point.
 * - Additive pickup: demand to come after DCP k = Σ of the period means after k; its standard
 *   deviation is the sample sd of the departures' remaining-demand sums (as engine/forecasting's
 *   additivePickupInto computes it).
 * - EMSR-b (engine/optimisation/emsrb) per cabin on the classes' average fares (the revenue per
 *   passenger the flight earned in each class, smoothed), nested booking limits on the remaining
 *   seats; leg control: the limits become authorisation levels, re-optimised at every DCP.
 */
import { bookingLimitsInto, emsrbInto } from '../optimisation/emsrb';
import { millsInverse } from '../optimisation/normal';
import type { CarrierController, CarrierView, ControllerDecisions, DcpBatch, LegControlDecision } from './controller';

export interface SystemEOptions {
  /** past departures per flight in the forecast (default 26) */
  historyDepartures?: number;
  /** a class closed for at least this fraction of a period censors its observation (default 0.3) */
  censorThreshold?: number;
  /** smoothing of the average fare per class (default 0.1) */
  fareSmoothing?: number;
}

interface FlightHistory {
  count: number;
  head: number;
  /** ring of imputed demand: [slot · nCl · P + c · P + k] */
  values: Float64Array;
  /** ring of each departure's remaining-demand sums: [slot · nCl · (P + 1) + c · (P + 1) + f] */
  suffix: Float64Array;
  /** window sums per cell [c · P + k] and per remaining-from period [c · (P + 1) + f] */
  cellSum: Float64Array;
  cellSq: Float64Array;
  remSum: Float64Array;
  remSq: Float64Array;
  fare: Float64Array;
  fareSeen: Uint8Array;
}

function meanSd(sum: number, sq: number, n: number, out: { mean: number; sd: number }): void {
  const mean = sum / n;
  out.mean = mean;
  out.sd = n > 1 ? Math.sqrt(Math.max(0, (sq - n * mean * mean) / (n - 1))) : 0;
}

class SystemE implements CarrierController {
  readonly name = 'E';
  private readonly H: number;
  private readonly threshold: number;
  private readonly alpha: number;
  private hist = new Map<number, FlightHistory>();
  // scratch
  private fares = new Float64Array(32);
  private means = new Float64Array(32);
  private sds = new Float64Array(32);
  private prot = new Float64Array(32);
  private limits = new Float64Array(32);
  private readonly ms = { mean: 0, sd: 0 };
  /** the classes of each cabin (from the view's ladder, which never changes) */
  private byCabin: number[][] | null = null;
  /**
   * Authorisation levels of the last onDcp answer, one block of nCl per leg, reused from call to call
   * (the simulator applies an answer before it asks again): no typed array is allocated per leg.
   */
  private auPool = new Float64Array(0);
  /** the answer's control records, one per leg slot of the pool (its authorisations a view of the pool), reused likewise */
  private ctlPool: { leg: number; authorisations: Float64Array }[] = [];
  private readonly answer: LegControlDecision[] = [];
  /** one class's observations per period (onDeparted) */
  private obsBookings = new Float64Array(0);
  private obsClosed = new Float64Array(0);

  constructor(opts: SystemEOptions) {
    this.H = opts.historyDepartures ?? 26;
    this.threshold = opts.censorThreshold ?? 0.3;
    this.alpha = opts.fareSmoothing ?? 0.1;
  }

  /** The history, for saving the market (snapshot.ts). */
  snapshotState(): unknown {
    return { H: this.H, threshold: this.threshold, alpha: this.alpha, hist: [...this.hist] };
  }

  restoreState(state: unknown): void {
    const st = state as { H: number; threshold: number; alpha: number; hist: [number, FlightHistory][] };
    if (st.H !== this.H || st.threshold !== this.threshold || st.alpha !== this.alpha) throw new Error(`system E: saved with history ${st.H}, threshold ${st.threshold}, smoothing ${st.alpha}; this controller differs`);
    this.hist = new Map(st.hist);
  }

  clone(): SystemE {
    const c = new SystemE({ historyDepartures: this.H, censorThreshold: this.threshold, fareSmoothing: this.alpha });
    for (const [k, h] of this.hist) {
      c.hist.set(k, {
        count: h.count, head: h.head, values: h.values.slice(), suffix: h.suffix.slice(), cellSum: h.cellSum.slice(), cellSq: h.cellSq.slice(),
        remSum: h.remSum.slice(), remSq: h.remSq.slice(), fare: h.fare.slice(), fareSeen: h.fareSeen.slice(),
      });
    }
    return c;
  }

  onDeparted(view: CarrierView, leg: number): void {
    const p = view.pattern(leg);
    const nCl = view.classes.length;
    const P = view.periods;
    const P1 = P + 1;
    let h = this.hist.get(p);
    if (!h) {
      h = {
        count: 0, head: 0, values: new Float64Array(this.H * nCl * P), suffix: new Float64Array(this.H * nCl * P1),
        cellSum: new Float64Array(nCl * P), cellSq: new Float64Array(nCl * P), remSum: new Float64Array(nCl * P1), remSq: new Float64Array(nCl * P1),
        fare: new Float64Array(nCl), fareSeen: new Uint8Array(nCl),
      };
      this.hist.set(p, h);
    }
    const slot = h.head;
    const full = h.count === this.H;
    const vb = slot * nCl * P;
    const sb = slot * nCl * P1;
    const ms = this.ms;
    if (this.obsBookings.length < P) { this.obsBookings = new Float64Array(P); this.obsClosed = new Float64Array(P); }
    const obsB = this.obsBookings;
    const obsC = this.obsClosed;
    for (let c = 0; c < nCl; c++) {
      view.periodObservations(leg, c, obsB, obsC);
      // E-step on censored observations with the cell's current fit, then replace the oldest departure
      for (let k = 0; k < P; k++) {
        const cell = c * P + k;
        let x = obsB[k]!;
        if (x < 0) x = 0;
        if (h.count >= 2 && obsC[k]! >= this.threshold) {
          meanSd(h.cellSum[cell]!, h.cellSq[cell]!, h.count, ms);
          const sigma = Math.max(ms.sd, 0.5);
          x = Math.max(x, ms.mean + sigma * millsInverse((x - ms.mean) / sigma));
        }
        if (full) {
          const old = h.values[vb + cell]!;
          h.cellSum[cell] -= old;
          h.cellSq[cell] -= old * old;
        }
        h.values[vb + cell] = x;
        h.cellSum[cell] += x;
        h.cellSq[cell] += x * x;
      }
      // remaining-demand sums of this departure from each period on
      let rem = 0;
      for (let f = P; f >= 0; f--) {
        if (f < P) rem += h.values[vb + c * P + f]!;
        const r = c * P1 + f;
        if (full) {
          const old = h.suffix[sb + r]!;
          h.remSum[r] -= old;
          h.remSq[r] -= old * old;
        }
        h.suffix[sb + r] = rem;
        h.remSum[r] += rem;
        h.remSq[r] += rem * rem;
      }
      // average fare earned per passenger in the class
      const pax = view.sold(leg, c);
      if (pax > 0) {
        const avg = view.revenue(leg, c) / pax;
        h.fare[c] = h.fareSeen[c] ? (1 - this.alpha) * h.fare[c]! + this.alpha * avg : avg;
        h.fareSeen[c] = 1;
      }
    }
    h.head = (h.head + 1) % this.H;
    h.count = Math.min(this.H, h.count + 1);
    if (h.head === 0) this.resum(h, nCl, P);
  }

  /** Recomputes the window sums from the rings (once per cycle, so rounding never accumulates). */
  private resum(h: FlightHistory, nCl: number, P: number): void {
    const P1 = P + 1;
    h.cellSum.fill(0); h.cellSq.fill(0); h.remSum.fill(0); h.remSq.fill(0);
    for (let d = 0; d < h.count; d++) {
      for (let i = 0; i < nCl * P; i++) { const x = h.values[d * nCl * P + i]!; h.cellSum[i] += x; h.cellSq[i] += x * x; }
      for (let i = 0; i < nCl * P1; i++) { const x = h.suffix[d * nCl * P1 + i]!; h.remSum[i] += x; h.remSq[i] += x * x; }
    }
  }

  onDcp(view: CarrierView, batches: readonly DcpBatch[]): ControllerDecisions {
    const controls = this.answer;
    controls.length = 0;
    const nCl = view.classes.length;
    const P = view.periods;
    const byCabin = (this.byCabin ??= view.cabins.map((_, cab) => view.classes.map((c, i) => (c.cabinIndex === cab ? i : -1)).filter((i) => i >= 0)));
    let nLegs = 0;
    for (const b of batches) nLegs += b.legs.length;
    if (this.auPool.length < nLegs * nCl || (this.ctlPool.length > 0 && this.ctlPool[0]!.authorisations.length !== nCl)) {
      this.auPool = new Float64Array(Math.max(nLegs * nCl, this.auPool.length * 2));
      this.ctlPool = [];
    }
    const pool = this.auPool;
    const ctls = this.ctlPool;
    let used = 0;
    for (const b of batches) {
      const from = b.dcpIndex + 1;
      for (const leg of b.legs) {
        const h = this.hist.get(view.pattern(leg));
        if (!h || h.count < 2) continue;
        let ctl = ctls[used];
        if (!ctl) ctls[used] = ctl = { leg, authorisations: pool.subarray(used * nCl, (used + 1) * nCl) };
        ctl.leg = leg;
        const au = ctl.authorisations.fill(NaN);
        used++;
        for (let cab = 0; cab < byCabin.length; cab++) {
          const cls = byCabin[cab]!;
          const n = cls.length;
          if (n === 0) continue;
          const cap = view.capacity(leg, cab);
          const sold = view.cabinSold(leg, cab);
          const remaining = Math.max(0, cap - sold);
          let prevFare = Infinity;
          for (let j = 0; j < n; j++) {
            const c = cls[j]!;
            let f = h.fareSeen[c] ? h.fare[c]! : view.localFare(leg, c);
            if (!(f > 0)) f = prevFare === Infinity ? 1 : prevFare * 0.9;
            f = Math.min(f, prevFare);
            prevFare = f;
            this.fares[j] = Math.max(f, 1e-6);
            meanSd(h.remSum[c * (P + 1) + from]!, h.remSq[c * (P + 1) + from]!, h.count, this.ms);
            this.means[j] = Math.max(0, this.ms.mean);
            this.sds[j] = this.ms.sd;
          }
          if (n === 1) { au[cls[0]!] = cap; continue; }
          emsrbInto(this.fares, this.means, this.sds, n, this.prot);
          bookingLimitsInto(this.prot, n, remaining, this.limits);
          for (let j = 0; j < n; j++) au[cls[j]!] = sold + this.limits[j]!;
        }
        controls.push(ctl);
      }
    }
    return { controls };
  }
}

/** A new PODS system E controller (each carrier needs its own: it keeps the carrier's history). */
export function systemE(opts: SystemEOptions = {}): CarrierController & { clone(): CarrierController } {
  return new SystemE(opts);
}
