/**
 * The fare store: every carrier's filed fares by market × class × point of sale, plus narrower fares
 * (travel-date ranges, one flight departure, promotions with a sale window) layered on top. Prices
 * are kept as filed (minor units, currency) and, for the choice loop, as a value in the base currency
 * at the current day's exchange rate.
 *
 * Resolution of the fare a passenger sees for (carrier, market, class, point of sale, journey date,
 * first leg): the newest fare for that exact flight departure, else the newest fare whose travel
 * range covers the date and whose sale window is open, else the base fare.
 */
import { currencyExponent } from '../domain/money';
import type { Network } from './network';
import type { Restriction } from './scenario';

const RESTRICTION_BIT: Record<Restriction, number> = { R1: 1, R2: 2, R3: 4 };

export interface FareOverride {
  /** travel dates (local day numbers), inclusive */
  fromDay: number;
  toDay: number;
  /** leg departure index of the flight it is narrowed to, −1 for any */
  leg: number;
  amountMinor: number;
  currency: number;
  /** last booking day (UTC day number) it is on sale; Infinity: until replaced */
  saleUntilDay: number;
  /** when it was filed (ms) */
  filedAtMs: number;
  reference: string;
  value: number; // base currency, major units, at the current day's rate
}

export class FareStore {
  readonly nPos: number;
  readonly nProducts: number;
  /** [carrier · nMarkets + market] → first product index (product = base + class), −1 when the carrier files no fares there */
  readonly productBase: Int32Array;
  readonly productCarrier: Uint8Array;
  readonly productMarket: Int32Array;
  readonly productClass: Uint8Array;
  readonly restrictions: Uint8Array;
  readonly advancePurchase: Int16Array;
  /** restrictions (bits 0–2) and advance purchase days (bits 3+) packed, for the choice loop */
  readonly packed: Int32Array;
  readonly fareBasis: string[];
  /** [pos · nProducts + product]: a carrier's classes in a market are contiguous for one point of sale */
  readonly amountMinor: Float64Array;
  readonly currency: Uint8Array;
  readonly value: Float64Array;
  /**
   * The choice loop's compact view, [product · 2 + side], side 0 the point of sale of the market's origin
   * and 1 of its destination (passengers buy at one of the two): the value when no narrower fare exists,
   * −1 when one does (resolve it), NaN when not filed. Small enough to stay in cache.
   */
  quick: Float64Array<ArrayBufferLike>;
  /** counts the changes of `quick` (a choice worker's answers hold for one version) */
  version = 0;
  /** counts the exchange-rate changes (revalue): amounts converted at the day's rates hold for one */
  ratesVersion = 0;
  /** the rates of the last revalue (null: none yet), and the slots with a base fare filed (null: to be listed) */
  private ratesSeen: Float64Array | null = null;
  private filedSlots: Int32Array | null = null;
  /** point of sale of each product's market origin and destination */
  private readonly sidePos: Int16Array;
  readonly filedAtMs: Float64Array;
  readonly hasOverride: Uint8Array;
  readonly overrides = new Map<number, FareOverride[]>();
  private readonly scale: Float64Array; // 10^exponent per currency
  private rates: Float64Array;

  constructor(private readonly net: Network, firstMs: number) {
    const nC = net.carriers.length;
    const nM = net.markets.n;
    this.nPos = net.pos.length;
    this.productBase = new Int32Array(nC * nM).fill(-1);
    const s = net.spec;
    // a carrier has products in a market where it files at least one fare
    let n = 0;
    const need = new Map<number, number>();
    for (const f of s.fares) {
      const c = net.carrierIdx.get(f.carrier)!;
      const m = net.markets.key.get(`${f.origin}-${f.destination}`);
      if (m === undefined) throw new Error(`fare ${f.carrier} ${f.origin}-${f.destination} ${f.rbd}: market is not in the scenario`);
      const k = c * nM + m;
      if (!need.has(k)) { need.set(k, n); n += net.carriers[c]!.nClasses; }
    }
    this.nProducts = n;
    this.productCarrier = new Uint8Array(n);
    this.productMarket = new Int32Array(n);
    this.productClass = new Uint8Array(n);
    this.restrictions = new Uint8Array(n);
    this.advancePurchase = new Int16Array(n);
    this.fareBasis = new Array<string>(n).fill('');
    for (const [k, base] of need) {
      this.productBase[k] = base;
      const c = Math.floor(k / nM);
      const car = net.carriers[c]!;
      for (let cl = 0; cl < car.nClasses; cl++) {
        this.productCarrier[base + cl] = c;
        this.productMarket[base + cl] = k % nM;
        this.productClass[base + cl] = cl;
        this.restrictions[base + cl] = car.restrictions[cl]!;
        this.advancePurchase[base + cl] = car.advancePurchase[cl]!;
        this.fareBasis[base + cl] = car.rbd[cl]!;
      }
    }
    this.packed = new Int32Array(n);
    const slots = n * this.nPos;
    this.amountMinor = new Float64Array(slots).fill(NaN);
    this.currency = new Uint8Array(slots);
    this.value = new Float64Array(slots).fill(NaN);
    this.quick = new Float64Array(n * 2).fill(NaN);
    this.sidePos = new Int16Array(n * 2);
    for (let p = 0; p < n; p++) {
      const m = this.productMarket[p]!;
      this.sidePos[p * 2] = net.markets.posOrigin[m]!;
      this.sidePos[p * 2 + 1] = net.markets.posDestination[m]!;
    }
    this.filedAtMs = new Float64Array(slots);
    this.hasOverride = new Uint8Array(slots);
    this.scale = Float64Array.from(net.currencies, (c) => 10 ** currencyExponent(c));
    this.rates = new Float64Array(net.currencies.length).fill(1);
    for (const f of s.fares) {
      const c = net.carrierIdx.get(f.carrier)!;
      const m = net.markets.key.get(`${f.origin}-${f.destination}`)!;
      const cl = net.carriers[c]!.classOf.get(f.rbd)!;
      const p = this.productBase[c * nM + m]! + cl;
      const slot = net.posIdx.get(f.pointOfSale)! * n + p;
      this.amountMinor[slot] = f.amountMinor;
      this.currency[slot] = net.currencyIdx.get(f.currency)!;
      this.filedAtMs[slot] = firstMs;
      if (f.fareBasis) this.fareBasis[p] = f.fareBasis;
      if (f.restrictions) this.restrictions[p] = f.restrictions.reduce((mm, x) => mm | RESTRICTION_BIT[x], 0);
      if (f.advancePurchaseDays !== undefined) this.advancePurchase[p] = f.advancePurchaseDays;
    }
    for (let p = 0; p < n; p++) this.packed[p] = this.restrictions[p]! | (this.advancePurchase[p]! << 3);
  }

  /** The storage slot of a product at a point of sale. */
  slot(product: number, pos: number): number {
    return pos * this.nProducts + product;
  }

  product(carrier: number, market: number, cls: number): number {
    const b = this.productBase[carrier * this.net.markets.n + market]!;
    return b < 0 ? -1 : b + cls;
  }

  /** Converts filed amounts to base-currency values at new rates (units per base unit, per currency). */
  revalue(rates: Float64Array): void {
    this.rates = rates;
    this.ratesVersion++;
    const { amountMinor, currency, value, scale } = this;
    // only the slots filed in a currency whose rate moved (every slot the first time)
    const seen = this.ratesSeen;
    const slots = (this.filedSlots ??= this.listFiled());
    for (let j = 0; j < slots.length; j++) {
      const i = slots[j]!;
      const c = currency[i]!;
      if (seen !== null && seen[c] === rates[c]) continue;
      value[i] = amountMinor[i]! / scale[c]! / rates[c]!;
      this.syncQuick(i);
    }
    this.ratesSeen = rates.slice();
    for (const list of this.overrides.values()) for (const o of list) o.value = o.amountMinor / scale[o.currency]! / rates[o.currency]!;
  }

  /** After the store's arrays were replaced (a restored market): the next revalue converts every slot. */
  forgetRevalued(): void {
    this.ratesSeen = null;
    this.filedSlots = null;
  }

  /** The slots with a base fare filed, in slot order. */
  private listFiled(): Int32Array {
    const a = this.amountMinor;
    let n = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === a[i]) n++;
    const out = new Int32Array(n);
    for (let i = 0, j = 0; i < a.length; i++) if (a[i] === a[i]) out[j++] = i;
    return out;
  }

  toValue(amountMinor: number, currency: number): number {
    return amountMinor / this.scale[currency]! / this.rates[currency]!;
  }

  fromValue(value: number, currency: number): number {
    return Math.round(value * this.rates[currency]! * this.scale[currency]!);
  }

  /**
   * The override in force for a slot, journey date, first leg and booking day, or null for the base
   * fare. Flight-specific fares win over date ranges; the newest wins within each.
   */
  resolve(slot: number, journeyDay: number, leg: number, today: number): FareOverride | null {
    const list = this.overrides.get(slot);
    if (!list) return null;
    let range: FareOverride | null = null;
    for (let i = list.length - 1; i >= 0; i--) {
      const o = list[i]!;
      if (o.saleUntilDay < today || journeyDay < o.fromDay || journeyDay > o.toDay) continue;
      if (o.leg >= 0) { if (o.leg === leg) return o; continue; }
      if (!range) range = o;
    }
    return range;
  }

  /** The base-currency value a passenger compares (NaN: not offered at this point of sale). */
  valueFor(slot: number, journeyDay: number, leg: number, today: number): number {
    if (this.hasOverride[slot] === 0) return this.value[slot]!;
    const o = this.resolve(slot, journeyDay, leg, today);
    return o ? o.value : this.value[slot]!;
  }

  /** Files a new base amount (replaces the fare for all travel dates). */
  setBase(slot: number, amountMinor: number, currency: number, atMs: number): void {
    if (!(this.amountMinor[slot] === this.amountMinor[slot])) this.filedSlots = null;
    this.amountMinor[slot] = amountMinor;
    this.currency[slot] = currency;
    this.filedAtMs[slot] = atMs;
    this.value[slot] = amountMinor / this.scale[currency]! / this.rates[currency]!;
    this.syncQuick(slot);
  }

  /** Marks whether a slot has narrower fares (keeps the choice loop's view in step). */
  setOverrideFlag(slot: number, on: boolean): void {
    this.hasOverride[slot] = on ? 1 : 0;
    this.syncQuick(slot);
  }

  /** `quick`'s buffer, moved to shared memory first if it is not there (a choice worker reads it). */
  shareQuick(): SharedArrayBuffer {
    if (!(this.quick.buffer instanceof SharedArrayBuffer)) {
      const q = new Float64Array(new SharedArrayBuffer(this.quick.byteLength));
      q.set(this.quick);
      this.quick = q;
    }
    return this.quick.buffer as SharedArrayBuffer;
  }

  /** Reads another store's shared `quick` (a choice worker's replica of the same scenario). */
  adoptQuick(buf: SharedArrayBuffer): void {
    if (buf.byteLength !== this.quick.byteLength) throw new Error(`fare store: a shared view of ${buf.byteLength} bytes does not fit ${this.quick.length} values`);
    this.quick = new Float64Array(buf);
  }

  /** The compact index of a slot (product, side) or −1 when its point of sale is neither side of the market. */
  quickIndex(slot: number): number {
    const prod = slot % this.nProducts;
    const pos = (slot - prod) / this.nProducts;
    return this.sidePos[prod * 2] === pos ? prod * 2 : this.sidePos[prod * 2 + 1] === pos ? prod * 2 + 1 : -1;
  }

  private syncQuick(slot: number): void {
    const q = this.quickIndex(slot);
    if (q < 0) return;
    this.quick[q] = this.hasOverride[slot] ? -1 : this.value[slot]!;
    this.version++;
  }

  /**
   * Adds a narrower fare. A fare with the same travel range and flight replaces the older one (so a
   * re-pushed fare does not pile up); expired promotions are dropped.
   */
  addOverride(slot: number, o: Omit<FareOverride, 'value'>, today: number): void {
    let list = this.overrides.get(slot);
    if (!list) { list = []; this.overrides.set(slot, list); }
    for (let i = list.length - 1; i >= 0; i--) {
      const x = list[i]!;
      if ((x.fromDay === o.fromDay && x.toDay === o.toDay && x.leg === o.leg) || x.saleUntilDay < today) list.splice(i, 1);
    }
    list.push({ ...o, value: o.amountMinor / this.scale[o.currency]! / this.rates[o.currency]! });
    this.setOverrideFlag(slot, true);
  }

  /** Drops narrower fares whose travel dates are all in the past (keeps lookups short). */
  prune(today: number): void {
    for (const [slot, list] of this.overrides) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.toDay < today - 1 || list[i]!.saleUntilDay < today) list.splice(i, 1);
      if (list.length === 0) { this.overrides.delete(slot); this.setOverrideFlag(slot, false); }
    }
  }

  clone(net: Network): FareStore {
    const c = Object.create(FareStore.prototype) as FareStore;
    Object.assign(c, this, {
      net,
      amountMinor: this.amountMinor.slice(),
      currency: this.currency.slice(),
      value: this.value.slice(),
      quick: this.quick.slice(),
      filedAtMs: this.filedAtMs.slice(),
      hasOverride: this.hasOverride.slice(),
      overrides: new Map([...this.overrides].map(([k, v]) => [k, v.map((o) => ({ ...o }))])),
      rates: this.rates.slice(),
      ratesSeen: this.ratesSeen ? this.ratesSeen.slice() : null,
      fareBasis: [...this.fareBasis],
      restrictions: this.restrictions.slice(),
      advancePurchase: this.advancePurchase.slice(),
    });
    return c;
  }
}
