/**
 * Short object keys for JSON the store keeps by the hundred thousand (a pricing cycle's cabin contexts):
 * each key of a fixed dictionary becomes a one- or two-letter code, any other key is kept with a `~` in
 * front, so any JSON value round-trips exactly, key order included (codes are letters, never
 * integer-like, so an object keeps the order it was built in). Arrays and primitives are kept as they
 * are. The dictionary is part of the stored format: append to it, never reorder or remove.
 */
const DICTIONARY = [
  // CabinContext
  'flightId', 'cabin', 'currency', 'daysToDeparture', 'fromPeriod', 'physicalCapacity', 'authorisedCapacity', 'sold', 'remainingSeats', 'demandModel',
  'forecastMethod', 'demandToCome', 'demandSd', 'showRate', 'fallback', 'bidPriceMinor', 'competitor', 'elasticity',
  // its competitor position and elasticity
  'strategy', 'minMinor', 'q1Minor', 'q3Minor', 'carriers', 'targetMinor', 'note', 'rates', 'rate', 'date', 'estimate', 'se', 'observations', 'source',
  // the details a cabin's fare explanations share (compose.ts sharedFareDetails)
  'fareDetails', 'mode', 'forecast', 'sd', 'pressure', 'method', 'factor', 'weight', 'sellingTargetMinor', 'sellingMinor', 'sellingReferenceMinor',
  'competitors', 'used', 'reference', 'shrinkWeight', 'price_point', 'step', 'ending', 'ladder_rung', 'floor', 'floorMinor', 'ceiling', 'ceilingMinor',
  'maxChangePct',
  // the details its authorisation levels share
  'authorisationDetails',
] as const;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const codeOf = (i: number) => (i < LETTERS.length ? LETTERS[i]! : LETTERS[Math.floor(i / LETTERS.length) - 1]! + LETTERS[i % LETTERS.length]!);
const CODES = new Map<string, string>(DICTIONARY.map((k, i) => [k, codeOf(i)]));
const KEYS = new Map<string, string>(DICTIONARY.map((k, i) => [codeOf(i), k]));

/** The value with its object keys shortened (see the module's comment); `omit`: keys of the outermost object to leave out. */
export function compactKeys(value: unknown, omit?: ReadonlySet<string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => compactKeys(v));
  const out: Record<string, unknown> = {};
  for (const k in value) {
    if (omit?.has(k)) continue;
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue; // as JSON.stringify leaves it out
    out[CODES.get(k) ?? `~${k}`] = compactKeys(v);
  }
  return out;
}

/** The value compactKeys was given, back from its result (after a trip through JSON). */
export function expandKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(expandKeys);
  const out: Record<string, unknown> = {};
  for (const k in value) {
    const key = k.startsWith('~') ? k.slice(1) : KEYS.get(k);
    if (key === undefined) throw new Error(`compact JSON: unknown key code "${k}" (written by a newer build?)`);
    out[key] = expandKeys((value as Record<string, unknown>)[k]);
  }
  return out;
}
