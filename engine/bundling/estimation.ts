/**
 * Attach rates and willingness to pay (WTP) per passenger segment and ancillary, from the booking
 * history the PSS feed brings.
 *
 * - Attach rate: units bought à la carte per passenger who could buy (passengers who held the item through
 *   a bundle, recorded at amount 0, are not at risk). Reported raw with its Wilson 95 % interval and shrunk
 *   towards the item's pooled rate (a Beta prior worth `priorStrength` passengers), with its posterior
 *   standard deviation: small segments borrow strength, large ones speak for themselves.
 * - Price response: where the offered price varied, a binomial logistic regression of attach on price,
 *   P(buy | p) = sigmoid(a + b·p). The PSS records the price only for buyers; a non-buyer is assumed to have
 *   been offered what the nearest-in-time buyer of the same item paid on the same flight, else in the same
 *   O&D within `imputationWindowDays`; observations with neither are left out of the fit (counted).
 * - WTP: the logistic response is exactly a logistic WTP distribution with mean μ = −a/b and scale s = −1/b
 *   (P(WTP > p) = sigmoid((μ − p)/s)). When a segment's own slope is not significant, the item's pooled slope
 *   is used with the segment's attach rate; when no price ever varied, the scale is a stated fraction of the
 *   price (`priorScaleFraction`). Each estimate says which of the three it is and carries a standard error.
 */
import type { Airport, Booking, FlightLeg, RbdDefinition } from '../domain/types';
import type { CurrencyCode } from '../domain/money';
import { ANCILLARY_CODES, type AncillaryCode } from './catalogue';
import { DEFAULT_HAUL_BANDS, marketHaul, type HaulBand, type HaulBands } from './haul';
import { DEFAULT_PURPOSE_RULES, purposeProxy, segmentId, type PurposeProxyRules, type SegmentKey } from './segments';
import { fitLogistic, logit, sigmoid, wilsonInterval, type BinomialCell } from './stats';

export interface EstimationOptions {
  purposeRules: PurposeProxyRules;
  haulBands: HaulBands;
  /** pseudo-passengers of the pooled prior when shrinking a segment's attach rate */
  priorStrength: number;
  /** a segment's price response is fitted only with at least this many distinct offered prices */
  minDistinctPrices: number;
  /** ... and a coefficient of variation of the offered price at least this */
  minPriceSpread: number;
  /** a slope counts when negative and |b| / se(b) is at least this */
  significanceZ: number;
  /** WTP scale as a fraction of the mean price when no price response is known */
  priorScaleFraction: number;
  /** how far (days of booking time) a non-buyer's offered price may be imputed from a buyer in the same O&D */
  imputationWindowDays: number;
}

export const DEFAULT_ESTIMATION_OPTIONS: EstimationOptions = {
  purposeRules: DEFAULT_PURPOSE_RULES,
  haulBands: DEFAULT_HAUL_BANDS,
  priorStrength: 30,
  minDistinctPrices: 3,
  minPriceSpread: 0.03,
  significanceZ: 2,
  priorScaleFraction: 0.35,
  imputationWindowDays: 14,
};

export interface EstimationInput {
  bookings: readonly Booking[];
  /** the flown and scheduled legs the bookings refer to (departure instants for advance purchase) */
  legs: readonly FlightLeg[];
  airports: readonly Airport[];
  /** fare ladders (rank of each RBD within its cabin) */
  ladder: readonly RbdDefinition[];
  options?: Partial<EstimationOptions>;
}

export interface QuarantinedRecord {
  bookingId: string;
  field: string;
  reason: string;
}

export interface SegmentStat {
  id: string;
  key: SegmentKey;
  currency: CurrencyCode;
  passengers: number;
  bookings: number;
  /** share of the passengers in this currency */
  share: number;
}

export type PriceResponse =
  | { status: 'estimated'; a: number; b: number; bStdErr: number; elasticityAtMean: number; distinctPrices: number; observations: number }
  | { status: 'pooled'; b: number; bStdErr: number; elasticityAtMean: number; reason: string }
  | { status: 'none'; reason: string };

export interface WtpEstimate {
  /** mean of the logistic WTP distribution, minor units */
  meanMinor: number;
  /** logistic scale s (standard deviation is s·π/√3), minor units */
  scaleMinor: number;
  meanStdErrMinor: number;
  source: 'price_response' | 'pooled_price_response' | 'prior_scale';
}

export interface ItemEstimate {
  /** segment id, or "all" for the item's pooled estimate in this currency */
  segment: string;
  code: AncillaryCode;
  currency: CurrencyCode;
  /** passengers who could buy it à la carte */
  passengers: number;
  /** units bought à la carte */
  buyers: number;
  /** units held through a bundle (recorded at amount 0) */
  bundled: number;
  attachRate: { raw: number; ci95: [number, number]; shrunk: number; stdErr: number };
  /** mean offered price over priced observations (minor units), undefined when never observed */
  meanPriceMinor: number | undefined;
  /** passengers whose offered price could not be imputed (left out of the price fit) */
  unpriced: number;
  priceResponse: PriceResponse;
  /** undefined when the item was never bought in this currency: nothing to anchor a WTP on */
  wtp: WtpEstimate | undefined;
}

export interface AncillaryEstimates {
  segments: SegmentStat[];
  items: ItemEstimate[];
  quarantined: QuarantinedRecord[];
  /** bookings used (not cancelled, not quarantined) and their passengers */
  used: { bookings: number; passengers: number };
  options: EstimationOptions;
}

interface Purchase { t: number; price: number }

function sortedInsertIndex(arr: readonly Purchase[], t: number): number {
  let lo = 0; let hi = arr.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid]!.t < t) lo = mid + 1; else hi = mid; }
  return lo;
}

function nearest(arr: readonly Purchase[] | undefined, t: number, windowMs: number): number | undefined {
  if (!arr || arr.length === 0) return undefined;
  const i = sortedInsertIndex(arr, t);
  let best: Purchase | undefined;
  for (const j of [i - 1, i]) {
    const p = arr[j];
    if (p && (best === undefined || Math.abs(p.t - t) < Math.abs(best.t - t))) best = p;
  }
  return best && Math.abs(best.t - t) <= windowMs ? best.price : undefined;
}

export function estimateAncillaries(input: EstimationInput): AncillaryEstimates {
  const opt: EstimationOptions = { ...DEFAULT_ESTIMATION_OPTIONS, ...input.options };
  const legs = new Map(input.legs.map((l) => [l.id, { carrier: l.carrier, departureMs: Date.parse(l.departureUtc) }]));
  const airports = new Map(input.airports.map((a) => [a.code, a]));
  const cabinSize = new Map<string, number>();
  for (const r of input.ladder) cabinSize.set(`${r.carrier}|${r.cabin}`, Math.max(cabinSize.get(`${r.carrier}|${r.cabin}`) ?? 0, r.rank + 1));
  const rankOf = new Map(input.ladder.map((r) => [`${r.carrier}|${r.rbd}`, r]));
  const quarantined: QuarantinedRecord[] = [];
  const haulCache = new Map<string, HaulBand>();

  const K = ANCILLARY_CODES.length;
  const codeIndex = new Map<string, number>(ANCILLARY_CODES.map((c, i) => [c, i]));
  /** units: per item, units bought à la carte, their amount and units held through a bundle, at [3 × item index] */
  interface Prepared { b: Booking; segment: string; segKey: string; t: number; flightKey: string; marketKey: string; units: Float64Array | undefined }
  const prepared: Prepared[] = [];
  const segStats = new Map<string, SegmentStat>();
  // buyers' prices by item, for imputing what non-buyers were offered
  const byFlight = new Map<string, Purchase[][]>();
  const byMarket = new Map<string, Purchase[][]>();
  const slot = (m: Map<string, Purchase[][]>, k: string) => m.get(k) ?? m.set(k, Array.from({ length: K }, () => [])).get(k)!;

  for (const b of input.bookings) {
    if (b.status === 'cancelled') continue;
    if (!Number.isInteger(b.passengers) || b.passengers <= 0) { quarantined.push({ bookingId: b.id, field: 'passengers', reason: `passengers must be a positive integer, got ${b.passengers}` }); continue; }
    const leg = legs.get(b.flightId);
    if (!leg) { quarantined.push({ bookingId: b.id, field: 'flightId', reason: `flight ${b.flightId} is not in the schedule given, so advance purchase is unknown` }); continue; }
    const t = Date.parse(b.bookedAt);
    if (Number.isNaN(t)) { quarantined.push({ bookingId: b.id, field: 'bookedAt', reason: `not an ISO instant: "${b.bookedAt}"` }); continue; }
    const mk = `${b.journeyOrigin}|${b.journeyDestination}`;
    let haul = haulCache.get(mk);
    if (!haul) {
      const o = airports.has(b.journeyOrigin); const d = airports.has(b.journeyDestination);
      if (!o || !d) { quarantined.push({ bookingId: b.id, field: o ? 'journeyDestination' : 'journeyOrigin', reason: `unknown airport ${o ? b.journeyDestination : b.journeyOrigin}` }); continue; }
      haul = marketHaul(airports, b.journeyOrigin, b.journeyDestination, opt.haulBands).band;
      haulCache.set(mk, haul);
    }
    const def = rankOf.get(`${leg.carrier}|${b.rbd}`);
    const size = def ? cabinSize.get(`${def.carrier}|${def.cabin}`) ?? 1 : undefined;
    const rankFraction = def && size !== undefined ? (size > 1 ? def.rank / (size - 1) : 0) : undefined;
    const advanceDays = (leg.departureMs - t) / 86_400_000;
    const key: SegmentKey = { purpose: purposeProxy({ cabin: b.cabin, rankFraction, advanceDays }, opt.purposeRules), channel: b.channel, haul };
    const segment = segmentId(key);

    let units: Float64Array | undefined;
    b.ancillaries.forEach((a, i) => {
      const ci = codeIndex.get(a.code);
      if (ci === undefined) { quarantined.push({ bookingId: b.id, field: `ancillaries[${i}].code`, reason: `unknown ancillary code "${a.code}"; known: ${ANCILLARY_CODES.join(', ')}` }); return; }
      if (a.currency !== b.currency) { quarantined.push({ bookingId: b.id, field: `ancillaries[${i}].currency`, reason: `ancillary in ${a.currency} on a booking in ${b.currency}` }); return; }
      if (!Number.isSafeInteger(a.amountMinor) || a.amountMinor < 0) { quarantined.push({ bookingId: b.id, field: `ancillaries[${i}].amountMinor`, reason: `amount must be a non-negative integer, got ${a.amountMinor}` }); return; }
      units ??= new Float64Array(3 * K);
      if (a.amountMinor === 0) units[3 * ci + 2]!++; else { units[3 * ci]!++; units[3 * ci + 1]! += a.amountMinor; }
    });
    const flightKey = `${b.currency}|${b.flightId}`;
    const marketKey = `${b.currency}|${b.journeyOrigin}|${b.journeyDestination}`;
    if (units) {
      for (let ci = 0; ci < K; ci++) {
        const n = units[3 * ci]!;
        if (n === 0) continue;
        const price = units[3 * ci + 1]! / n;
        slot(byFlight, flightKey)[ci]!.push({ t, price });
        slot(byMarket, marketKey)[ci]!.push({ t, price });
      }
    }
    const sk = `${segment}|${b.currency}`;
    prepared.push({ b, segment, segKey: sk, t, flightKey, marketKey, units });
    const st = segStats.get(sk) ?? { id: segment, key, currency: b.currency, passengers: 0, bookings: 0, share: 0 };
    st.passengers += b.passengers; st.bookings++;
    segStats.set(sk, st);
  }
  for (const m of [byFlight, byMarket]) for (const arrs of m.values()) for (const arr of arrs) arr.sort((x, y) => x.t - y.t);

  const windowMs = opt.imputationWindowDays * 86_400_000;
  const segAcc = new Map<string, { segment: string; currency: CurrencyCode; accs: Acc[] }>();
  const pooledAcc = new Map<string, Acc[]>();
  for (const p of prepared) {
    const { b, units } = p;
    let sa = segAcc.get(p.segKey)?.accs;
    if (!sa) { sa = Array.from({ length: K }, newAcc); segAcc.set(p.segKey, { segment: p.segment, currency: b.currency, accs: sa }); }
    const pa = pooledAcc.get(b.currency) ?? pooledAcc.set(b.currency, Array.from({ length: K }, newAcc)).get(b.currency)!;
    const flight = byFlight.get(p.flightKey);
    const market = byMarket.get(p.marketKey);
    for (let ci = 0; ci < K; ci++) {
      const n = units ? units[3 * ci]! : 0;
      const bundled = Math.min(units ? units[3 * ci + 2]! : 0, b.passengers);
      const trials = b.passengers - bundled;
      const successes = Math.min(n, trials);
      let price: number | undefined;
      if (n > 0) price = units![3 * ci + 1]! / n;
      else if (trials > 0) price = nearest(flight?.[ci], p.t, Number.POSITIVE_INFINITY) ?? nearest(market?.[ci], p.t, windowMs);
      accumulate(sa[ci]!, trials, successes, bundled, price);
      accumulate(pa[ci]!, trials, successes, bundled, price);
    }
  }

  // per currency, the segment shares
  const totals = new Map<string, number>();
  for (const s of segStats.values()) totals.set(s.currency, (totals.get(s.currency) ?? 0) + s.passengers);
  for (const s of segStats.values()) s.share = s.passengers / (totals.get(s.currency) ?? 1);

  const items = summarise(segAcc, pooledAcc, opt);
  return {
    segments: [...segStats.values()].sort((a, b) => a.currency.localeCompare(b.currency) || b.passengers - a.passengers || a.id.localeCompare(b.id)),
    items,
    quarantined,
    used: { bookings: prepared.length, passengers: prepared.reduce((s, p) => s + p.b.passengers, 0) },
    options: opt,
  };
}

interface Acc { trials: number; successes: number; bundled: number; unpriced: number; cells: Map<number, BinomialCell> }

function newAcc(): Acc {
  return { trials: 0, successes: 0, bundled: 0, unpriced: 0, cells: new Map() };
}

function accumulate(a: Acc, trials: number, successes: number, bundled: number, price: number | undefined): void {
  a.trials += trials; a.successes += successes; a.bundled += bundled;
  if (trials === 0) return;
  if (price === undefined) { a.unpriced += trials; return; }
  let c = a.cells.get(price);
  if (!c) { c = { x: price, trials: 0, successes: 0 }; a.cells.set(price, c); }
  c.trials += trials; c.successes += successes;
}

function meanPrice(cells: Iterable<BinomialCell>): number | undefined {
  let n = 0; let s = 0;
  for (const c of cells) { n += c.trials; s += c.trials * c.x; }
  return n > 0 ? s / n : undefined;
}

function fitResponse(acc: Acc, opt: EstimationOptions): { fit: ReturnType<typeof fitLogistic>; reason?: string } {
  const cells = [...acc.cells.values()];
  if (cells.length < opt.minDistinctPrices) return { fit: undefined, reason: `${cells.length} distinct offered price(s), fewer than ${opt.minDistinctPrices}` };
  const m = meanPrice(cells)!;
  let n = 0; let ss = 0;
  for (const c of cells) { n += c.trials; ss += c.trials * (c.x - m) ** 2; }
  const cv = Math.sqrt(ss / n) / m;
  if (!(cv >= opt.minPriceSpread)) return { fit: undefined, reason: `offered prices vary by ${(cv * 100).toFixed(1)} %, less than ${(opt.minPriceSpread * 100).toFixed(1)} %` };
  const fit = fitLogistic(cells);
  if (!fit) return { fit: undefined, reason: 'the logistic fit has no finite maximum (every offer bought or none)' };
  const se = Math.sqrt(fit.covBB);
  if (!(fit.b < 0) || Math.abs(fit.b) / se < opt.significanceZ) {
    return { fit: undefined, reason: `slope ${fit.b.toExponential(2)} per minor unit is not significantly negative (z = ${(fit.b / se).toFixed(2)})` };
  }
  return { fit };
}

interface Cell { segment: string; code: AncillaryCode; currency: CurrencyCode; acc: Acc }

function summarise(segAcc: Map<string, { segment: string; currency: CurrencyCode; accs: Acc[] }>, pooledAcc: Map<string, Acc[]>, opt: EstimationOptions): ItemEstimate[] {
  const pooled: Cell[] = [];
  const pooledBy = new Map<string, { acc: Acc; fit: ReturnType<typeof fitResponse> }>();
  for (const [currency, accs] of pooledAcc) {
    accs.forEach((acc, ci) => {
      const code = ANCILLARY_CODES[ci]!;
      pooled.push({ segment: 'all', code, currency, acc });
      pooledBy.set(`${code}|${currency}`, { acc, fit: fitResponse(acc, opt) });
    });
  }
  const seg: Cell[] = [];
  for (const { segment, currency, accs } of segAcc.values()) accs.forEach((acc, ci) => seg.push({ segment, code: ANCILLARY_CODES[ci]!, currency, acc }));

  const out: ItemEstimate[] = [];
  const build = ({ segment, code, currency, acc }: Cell, isPooled: boolean): ItemEstimate => {
    const { acc: pooledAcc, fit: pool } = pooledBy.get(`${code}|${currency}`)!;
    const n = acc.trials; const k = acc.successes;
    const r0 = pooledAcc.trials > 0 ? pooledAcc.successes / pooledAcc.trials : 0;
    const m = isPooled ? 0 : opt.priorStrength;
    const shrunk = n + m > 0 ? (k + m * r0) / (n + m) : r0;
    const stdErr = Math.sqrt((shrunk * (1 - shrunk)) / (n + m + 1));
    const mean = meanPrice(acc.cells.values());
    const own = isPooled ? pool : fitResponse(acc, opt);
    let priceResponse: PriceResponse;
    let wtp: WtpEstimate | undefined;
    // the WTP anchors on a rate strictly inside (0, 1)
    const anchorRate = Math.min(1 - 1e-4, Math.max(1e-4, shrunk));
    if (own.fit) {
      const f = own.fit;
      const p = mean !== undefined ? sigmoid(f.a + f.b * mean) : 0;
      priceResponse = { status: 'estimated', a: f.a, b: f.b, bStdErr: Math.sqrt(f.covBB), elasticityAtMean: mean !== undefined ? f.b * mean * (1 - p) : 0, distinctPrices: acc.cells.size, observations: n - acc.unpriced };
      const mu = -f.a / f.b;
      const ga = -1 / f.b; const gb = f.a / (f.b * f.b);
      wtp = { meanMinor: mu, scaleMinor: -1 / f.b, meanStdErrMinor: Math.sqrt(Math.max(0, ga * ga * f.covAA + 2 * ga * gb * f.covAB + gb * gb * f.covBB)), source: 'price_response' };
    } else if (pool.fit && mean !== undefined && !isPooled) {
      const f = pool.fit;
      const s = -1 / f.b;
      priceResponse = { status: 'pooled', b: f.b, bStdErr: Math.sqrt(f.covBB), elasticityAtMean: f.b * mean * (1 - anchorRate), reason: own.reason ?? 'segment fit unavailable' };
      wtp = { meanMinor: mean + s * logit(anchorRate), scaleMinor: s, meanStdErrMinor: s * stdErr / (anchorRate * (1 - anchorRate)), source: 'pooled_price_response' };
    } else {
      priceResponse = { status: 'none', reason: own.reason ?? 'no price variation observed' };
      if (mean !== undefined) {
        const s = opt.priorScaleFraction * mean;
        wtp = { meanMinor: mean + s * logit(anchorRate), scaleMinor: s, meanStdErrMinor: s * stdErr / (anchorRate * (1 - anchorRate)), source: 'prior_scale' };
      }
    }
    return {
      segment, code, currency, passengers: n, buyers: k, bundled: acc.bundled,
      attachRate: { raw: n > 0 ? k / n : 0, ci95: wilsonInterval(k, n), shrunk, stdErr },
      meanPriceMinor: mean, unpriced: acc.unpriced, priceResponse, wtp,
    };
  };
  for (const c of pooled) out.push(build(c, true));
  for (const c of seg) out.push(build(c, false));
  return out.sort((a, b) => a.currency.localeCompare(b.currency) || (a.segment === 'all' ? -1 : 0) - (b.segment === 'all' ? -1 : 0) || a.segment.localeCompare(b.segment) || ANCILLARY_CODES.indexOf(a.code) - ANCILLARY_CODES.indexOf(b.code));
}

/** The estimates of one segment (or "all") and currency, by item. */
export function estimatesFor(est: AncillaryEstimates, segment: string, currency: CurrencyCode): Map<AncillaryCode, ItemEstimate> {
  return new Map(est.items.filter((i) => i.segment === segment && i.currency === currency).map((i) => [i.code, i]));
}
