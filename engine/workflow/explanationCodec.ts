/**
 * A decision's explanation as `decisions.explanation` stores it. Every engine proposal keeps its steps
 * (a fare's twelve), and the store keeps every decision: most of a decision row was the steps' JSON
 * with each label's fixed wording repeated. A step is stored as [key, amount, the label after its
 * key's fixed wording] when the label starts with that wording, else [key, amount, label, 0]; the
 * readers get back exactly the steps that were written. The wordings below are part of the stored
 * format: append to the table, never change an entry (a label written in other words is simply
 * stored whole). Rows written before (a JSON array of step objects) are read as they are.
 *
 * A fare step's label goes on with its details as " (name value, name value, …)" (fromPricing.ts
 * detailText): the names are the same in every row, in the order the pricing engine lists them. Such a
 * step is stored as [key, amount, which of its key's names are there (bit i for DETAIL_NAMES[key][i]),
 * the values…], a value as a number when it reads back as the same text, else as its text (a recurring
 * one as [its position in phrases.ts]). A label that
 * does not read back exactly from that form is stored as before. A step whose key is in WORDING is
 * stored under the key's position in that table instead of its name. A fare decision's row took about
 * 1,690 bytes, so a 4 KB page held two; now about 1,000 (with the payload and context codecs), three.
 */
import type { ExplanationStep } from './types';
import { packPhrase, unpackPhrase } from './phrases';
import { FARE_STEP_INPUTS } from '../domain/fareExplanation';

const WORDING: Readonly<Record<string, string>> = {
  // fare components (fromPricing.ts FARE_LABEL)
  base: 'Fare filed now', forecast: 'Demand to come against seats left', protection: 'Class closed by protection levels',
  bid_price: 'Not below the bid price', competitor: 'Competitor strategy', elasticity: 'Price elasticity', price_point: 'Price point',
  ladder_rung: 'Ladder rung', max_change: 'Guardrail: maximum change per cycle', monotone_ladder: 'Guardrail: monotone ladder',
  floor: 'Guardrail: floor', ceiling: 'Guardrail: ceiling',
  // authorisation levels and bid prices
  authorised_capacity: 'Authorised capacity (', protected_above: 'Protected for higher classes (', bounds: 'Kept within seats sold and capacity',
  'bid_price:emsr': 'Bid price by EMSR with ', 'bid_price:dp': 'Bid price by DP with ', 'bid_price:lp': 'Bid price by LP with ',
};

/** The detail names of each fare step (engine/domain/fareExplanation.ts): part of the stored format, append only. */
const DETAIL_NAMES = FARE_STEP_INPUTS;

/** A known step's key is stored as its position here: so WORDING is append-only. */
const STEP_KEYS = Object.keys(WORDING);
const STEP_INDEX = new Map(STEP_KEYS.map((k, i) => [k, i]));

type StoredKey = string | number;
type StoredStep =
  | [key: StoredKey, amount: number, rest: string]
  | [key: StoredKey, amount: number, label: string, whole: 0]
  | [key: StoredKey, amount: number, names: number, ...values: (number | string | [phrase: number])[]];

/**
 * The step [key, amount, mask, ...values] for a label's rest, or null when the rest is not in that form.
 * It gives back the rest exactly: the parts are the rest split at ", " (restOf joins them so), each part
 * is a name, a space and the value's text, and a value is kept as a number only when that number prints
 * as the same text (and is finite: JSON has no NaN or Infinity).
 */
function packedStep(key: number, amount: number, names: readonly string[], rest: string): StoredStep | null {
  if (!rest.startsWith(' (') || !rest.endsWith(')')) return null;
  const out: [number, number, number, ...(number | string | [number])[]] = [key, amount, 0];
  let from = 0;
  for (const part of rest.slice(2, -1).split(', ')) {
    const space = part.indexOf(' ');
    if (space <= 0) return null;
    const at = names.indexOf(part.slice(0, space), from);
    if (at < 0) return null;
    out[2] |= 1 << at;
    from = at + 1;
    const text = part.slice(space + 1);
    const n = Number(text);
    out.push(Number.isFinite(n) && String(n) === text ? n : packPhrase(text));
  }
  return out;
}

function restOf(key: string, s: readonly unknown[]): string {
  const names = DETAIL_NAMES[key];
  if (names === undefined) throw new Error(`decision explanation: step "${key}" is stored with the names of its details, and this build does not know them (written by a newer one?)`);
  const mask = s[2] as number;
  const parts: string[] = [];
  let v = 3;
  for (let i = 0; i < names.length; i++) if (mask & (1 << i)) parts.push(`${names[i]} ${String(unpackPhrase(s[v++], 'decision explanation'))}`);
  if (v !== s.length || mask >>> names.length !== 0) throw new Error(`decision explanation: step "${key}" is stored with details this build does not know (written by a newer one?)`);
  return ` (${parts.join(', ')})`;
}

export function encodeExplanation(steps: readonly ExplanationStep[]): string {
  const out: StoredStep[] = new Array(steps.length);
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const w = WORDING[s.key];
    if (w === undefined || !s.label.startsWith(w)) { out[i] = [s.key, s.amount, s.label, 0]; continue; }
    const rest = s.label.slice(w.length);
    const key = STEP_INDEX.get(s.key)!; // in WORDING, so known
    const names = DETAIL_NAMES[s.key];
    out[i] = (names !== undefined ? packedStep(key, s.amount, names, rest) : null) ?? [key, s.amount, rest];
  }
  return JSON.stringify(out);
}

export function decodeExplanation(text: string): ExplanationStep[] {
  const v = JSON.parse(text) as unknown[];
  if (v.length === 0 || !Array.isArray(v[0])) return v as ExplanationStep[]; // written before this format
  return (v as StoredStep[]).map((s) => {
    const [stored, amount, third] = s;
    const key = typeof stored === 'number' ? STEP_KEYS[stored] : stored;
    if (key === undefined) throw new Error(`decision explanation: step number ${stored} is not one this build knows (written by a newer one?)`);
    if (typeof third === 'string' && s.length === 4) return { key, label: third, amount };
    const w = WORDING[key];
    if (w === undefined) throw new Error(`decision explanation: step "${key}" is stored without the wording of its label, and this build does not know it (written by a newer one?)`);
    return { key, label: w + (typeof third === 'number' ? restOf(key, s) : third), amount };
  });
}
