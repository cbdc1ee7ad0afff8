/**
 * A decision's review context as `decisions.context` stores it. An engine proposal's context has one
 * shape (fromPricing.ts): the competitor position, the forecast demand, the load factor, the elasticity
 * and the competitor strategy. As JSON its names took about 130 of its 215 bytes in every row; that shape
 * is stored as the array [competitor, forecastDemand, loadFactor, elasticity, competitorStrategy], the
 * competitor as [minMinor, currency, carrier, observedAt] and the elasticity as [value, standardError,
 * source] (each null when it is null); the source and the strategy as [position] when they are one of
 * the phrases of phrases.ts. Any other context (a manual proposal's, an override's, one with
 * more or fewer keys or in another order) is stored as its JSON object, as every row was before; the
 * reader gets back exactly what was written, key order included. Part of the stored format: do not
 * change the positions.
 */
import type { CompetitorPosition, DecisionContext } from './types';
import { packPhrase, unpackPhrase } from './phrases';

type StoredCompetitor = [minMinor: number, currency: string, carrier: string, observedAt: string] | null;
type StoredElasticity = [value: number, standardError: number | null, source: string | [phrase: number]] | null;
type StoredContext = [StoredCompetitor, forecastDemand: number | null, loadFactor: number | null, StoredElasticity, competitorStrategy: unknown];

const KEYS = ['competitor', 'forecastDemand', 'loadFactor', 'elasticity', 'competitorStrategy'] as const;
const COMPETITOR_KEYS = ['minMinor', 'currency', 'carrier', 'observedAt'] as const;
const ELASTICITY_KEYS = ['value', 'standardError', 'source'] as const;

/** The object has exactly these keys in this order, none undefined (JSON would leave it out): so its
 * values in an array read back as the same JSON. */
function sameKeys(o: unknown, keys: readonly string[]): o is Record<string, unknown> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  const k = Object.keys(o);
  return k.length === keys.length && k.every((x, i) => x === keys[i] && (o as Record<string, unknown>)[x] !== undefined);
}

function pack(c: DecisionContext): StoredContext | null {
  if (!sameKeys(c, KEYS)) return null;
  const comp = c.competitor;
  const e = c.elasticity;
  if (comp !== null && !sameKeys(comp, COMPETITOR_KEYS)) return null;
  if (e !== null && (!sameKeys(e, ELASTICITY_KEYS) || typeof e.source !== 'string')) return null;
  if (typeof c.competitorStrategy !== 'string') return null; // an array would read back as a phrase
  return [
    comp ? [comp.minMinor, comp.currency, comp.carrier, comp.observedAt] : null,
    c.forecastDemand!, c.loadFactor!,
    e ? [e.value, e.standardError, packPhrase(e.source)] : null,
    packPhrase(c.competitorStrategy),
  ];
}

function unpack(s: StoredContext): DecisionContext {
  const [comp, forecastDemand, loadFactor, e, competitorStrategy] = s;
  const competitor: CompetitorPosition | null = comp ? { minMinor: comp[0], currency: comp[1], carrier: comp[2], observedAt: comp[3] } : null;
  return {
    competitor, forecastDemand, loadFactor,
    elasticity: e ? { value: e[0], standardError: e[1], source: unpackPhrase(e[2], 'decision context') as string } : null,
    competitorStrategy: unpackPhrase(competitorStrategy, 'decision context'),
  };
}

export function encodeContext(c: DecisionContext): string {
  return JSON.stringify(pack(c) ?? c);
}

export function decodeContext(text: string): DecisionContext {
  const v = JSON.parse(text) as unknown;
  if (!Array.isArray(v)) return v as DecisionContext; // a context in any other shape, and every row written before
  if (v.length !== KEYS.length) throw new Error(`decision context: stored with ${v.length} positions, and this build knows ${KEYS.length} (written by a newer one?)`);
  return unpack(v as StoredContext);
}
