/**
 * Texts that recur in every engine decision's explanation and context (the competitor strategy, the
 * elasticity's source, the forecast method, the pricing mode). The decision codecs store such a value as
 * [its position here] instead of its text. Part of the stored format: append, never change or reorder.
 */
const PHRASES: readonly string[] = [
  // describeStrategy (engine/pricing/cycle.ts) without an amount
  'ignore competitors', 'match the competitor minimum', 'match the competitor quartile band',
  // an elasticity's source (engine/pricing/store.ts)
  'feedback', 'booking-history', 'pricing-tools',
  // forecast methods (engine/forecasting/forecast.ts) and pricing modes (engine/pricing/compose.ts)
  'additive', 'multiplicative', 'exp-smoothing', 'ladder', 'continuous',
];
const INDEX = new Map(PHRASES.map((p, i) => [p, i]));

/** A text as stored: [position] when it is one of the phrases, else itself. */
export function packPhrase<T>(v: T): T | [number] {
  const i = typeof v === 'string' ? INDEX.get(v) : undefined;
  return i === undefined ? v : [i];
}

/** The stored value back: a phrase's text for [position], else the value itself. */
export function unpackPhrase(v: unknown, what: string): unknown {
  if (!Array.isArray(v)) return v;
  const p = PHRASES[v[0] as number];
  if (v.length !== 1 || p === undefined) throw new Error(`${what}: phrase ${JSON.stringify(v)} is not one this build knows (written by a newer one?)`);
  return p;
}
