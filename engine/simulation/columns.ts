/** Growable typed-array columns: the simulator's storage for millions of rows without per-row objects. */

export type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export type Ctor<T extends TypedArray> = { new (n: number): T };

/** Returns `arr` if it holds `need` elements, else a copy grown to at least `need` (`factor` times over, doubling by default). */
export function ensure<T extends TypedArray>(arr: T, need: number, factor = 2): T {
  if (need <= arr.length) return arr;
  const C = arr.constructor as Ctor<T>;
  const next = new C(Math.max(need, arr.length * factor, 16));
  next.set(arr);
  return next;
}

/**
 * A new array of `size` elements holding the first `held` of `arr`: the rest is left unwritten, so its pages stay
 * address space until used (room reserved ahead costs no memory, and growing it copies only what is held).
 */
export function withRoom<T extends TypedArray>(arr: T, size: number, held: number): T {
  const next = new (arr.constructor as Ctor<T>)(size);
  next.set(arr.subarray(0, Math.min(held, arr.length, size)) as T);
  return next;
}

/** log2 of the elements of a segment of `Segments` */
export const SEGMENT_BITS = 16;
/** element i sits at i & SEGMENT_MASK in its segment */
export const SEGMENT_MASK = (1 << SEGMENT_BITS) - 1;

/**
 * An append-only column in segments of 2^SEGMENT_BITS elements: a full segment is followed by a new one and what is
 * held is never copied, so a log that grows for years never stops to copy itself (a column grown by copying paid, in
 * one simulated day, for the copy of everything it held, into memory the system then had to provide). Element i is in
 * segment i >> SEGMENT_BITS at i & SEGMENT_MASK; writers take the segment (`seg`) and index it.
 */
export class Segments<T extends TypedArray> {
  readonly list: T[] = [];
  constructor(private readonly ctor: Ctor<T>) {}

  /** The segment holding element i, added if i is the first element past the last segment. */
  seg(i: number): T {
    const s = i >>> SEGMENT_BITS;
    return s < this.list.length ? this.list[s]! : this.add(s);
  }

  private add(s: number): T {
    if (s !== this.list.length) throw new Error(`segments: element ${s << SEGMENT_BITS} is past the end (${this.list.length} segments)`);
    const seg = new this.ctor(1 << SEGMENT_BITS);
    this.list.push(seg);
    return seg;
  }

  at(i: number): number {
    return this.list[i >>> SEGMENT_BITS]![i & SEGMENT_MASK]!;
  }

  /** The first n elements as one array (a copy: saving a market). */
  flat(n: number): T {
    const out = new this.ctor(n);
    for (let s = 0; s * (1 << SEGMENT_BITS) < n; s++) {
      const from = s << SEGMENT_BITS;
      out.set(this.list[s]!.subarray(0, Math.min(1 << SEGMENT_BITS, n - from)) as T, from);
    }
    return out;
  }

  /** Segments holding a copy of `a` (restoring a saved market). */
  static from<T extends TypedArray>(ctor: Ctor<T>, a: T): Segments<T> {
    const out = new Segments(ctor);
    for (let from = 0; from < a.length; from += 1 << SEGMENT_BITS) out.seg(from).set(a.subarray(from, from + (1 << SEGMENT_BITS)) as T);
    return out;
  }

  /** An independent copy (a forked market). */
  clone(): Segments<T> {
    const out = new Segments(this.ctor);
    for (const seg of this.list) out.list.push(seg.slice() as T);
    return out;
  }
}

/** Base-32 alphabet without I, O, 0, 1 (record locators). */
const LOCATOR_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A six-character record locator for a booking index: a bijection of the index onto [0, 2^30)
 * (odd multiplier modulo 2^30), written in base 32, so locators look random but never collide.
 */
export function recordLocator(index: number): string {
  let x = (Math.imul(index, 0x2545f491) + 0x1b873593) & 0x3fffffff;
  let s = '';
  for (let i = 0; i < 6; i++) { s = LOCATOR_ALPHABET[x & 31]! + s; x >>>= 5; }
  return s;
}

/** The inverse of recordLocator (undefined for strings that are not locators). */
export function locatorIndex(locator: string): number | undefined {
  if (!/^[A-HJ-NP-Z2-9]{6}$/.test(locator)) return undefined;
  let x = 0n;
  for (const ch of locator) x = (x << 5n) | BigInt(LOCATOR_ALPHABET.indexOf(ch));
  // inverse of 0x2545f491 modulo 2^30
  const inv = modInverse(0x2545f491n, 1n << 30n);
  return Number((((x - 0x1b873593n) % (1n << 30n) + (1n << 30n)) * inv) & 0x3fffffffn);
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
