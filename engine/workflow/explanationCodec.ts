/**
 * A decision's explanation as `decisions.explanation` stores it. Every engine proposal keeps its steps
 * (a fare's twelve), and the store keeps every decision: most of a decision row was the steps' JSON
 * with each label's fixed wording repeated. A step is stored as [key, amount, the label after its
 * key's fixed wording] when the label starts with that wording, else [key, amount, label, 0]; the
 * readers get back exactly the steps that were written. The wordings below are part of the stored
 * format: append to the table, never change an entry (a label written in other words is simply
 * stored whole). Rows written before (a JSON array of step objects) are read as they are.
 */
import type { ExplanationStep } from './types';

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

type StoredStep = [key: string, amount: number, rest: string] | [key: string, amount: number, label: string, whole: 0];

export function encodeExplanation(steps: readonly ExplanationStep[]): string {
  const out: StoredStep[] = new Array(steps.length);
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const w = WORDING[s.key];
    out[i] = w !== undefined && s.label.startsWith(w) ? [s.key, s.amount, s.label.slice(w.length)] : [s.key, s.amount, s.label, 0];
  }
  return JSON.stringify(out);
}

export function decodeExplanation(text: string): ExplanationStep[] {
  const v = JSON.parse(text) as unknown[];
  if (v.length === 0 || !Array.isArray(v[0])) return v as ExplanationStep[]; // written before this format
  return (v as StoredStep[]).map((s) => {
    const [key, amount, label] = s;
    if (s.length === 4) return { key, label, amount };
    const w = WORDING[key];
    if (w === undefined) throw new Error(`decision explanation: step "${key}" is stored without the wording of its label, and this build does not know it (written by a newer one?)`);
    return { key, label: w + label, amount };
  });
}
