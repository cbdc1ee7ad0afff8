/**
 * A fare recommendation's explanation steps as decisions keep them: each step's label is its name, then its
 * set inputs "(name value, name value, …)" with the pricing engine's input names (engine/workflow/fromPricing.ts
 * writes them). The names are shared by the decisions' storage (explanationCodec.ts) and the workbench, which
 * reads the inputs back to put a step in words (app/charts/explainStep.ts).
 */

/**
 * The input names of each fare step, in the order the pricing engine lists them (engine/pricing/compose.ts).
 * Part of the stored format of decisions' explanations (engine/workflow/explanationCodec.ts): append a name
 * to a list or a list to the table, never change or reorder one.
 */
export const FARE_STEP_INPUTS: Readonly<Record<string, readonly string[]>> = {
  base: ['rbd', 'referenceMinor'],
  forecast: ['demandToCome', 'sd', 'remainingSeats', 'pressure', 'daysToDeparture', 'method', 'factor', 'weight', 'influence'],
  protection: ['availableSeats', 'closed', 'pricedAs'],
  bid_price: ['bidPriceMinor'],
  competitor: ['strategy', 'sellingTargetMinor', 'sellingMinor', 'sellingReferenceMinor', 'factor', 'minMinor', 'q1Minor', 'q3Minor', 'competitors', 'note', 'weight'],
  elasticity: ['estimate', 'se', 'observations', 'used', 'reference', 'shrinkWeight', 'factor', 'weight'],
  price_point: ['step', 'ending'],
  ladder_rung: ['mode'],
  max_change: ['maxChangePct', 'lowMinor', 'highMinor'],
  monotone_ladder: ['classAbove', 'classAbovePriceMinor'],
  floor: ['floorMinor'],
  ceiling: ['ceilingMinor'],
};

/** the inputs whose values are sentences */
const FREE_TEXT = new Set(['note', 'strategy', 'influence']);

/**
 * The inputs of a label "Name (a 1, b x, y, c 2)" by the step's input names: a value runs to the next ", "
 * followed by a later name of the step; only a text input (FREE_TEXT: a competitor note does) may itself hold
 * ", ". Unset inputs are left out of the label. Null when the label is not in that form.
 */
export function fareStepInputs(key: string, label: string): { name: string; inputs: Map<string, string> } | null {
  const names = FARE_STEP_INPUTS[key];
  if (!names) return null;
  const open = label.indexOf(' (');
  if (open < 0) return { name: label, inputs: new Map() }; // a step whose inputs are all unset ("Guardrail: floor")
  if (open === 0 || !label.endsWith(')')) return null;
  const inner = label.slice(open + 2, -1);
  const inputs = new Map<string, string>();
  let pos = 0;
  let from = 0;
  while (pos < inner.length) {
    const space = inner.indexOf(' ', pos);
    if (space < 0) return null;
    const at = names.indexOf(inner.slice(pos, space), from);
    if (at < 0) return null;
    from = at + 1;
    let end = inner.length;
    for (let c = inner.indexOf(', ', space + 1); c >= 0; c = inner.indexOf(', ', c + 2)) {
      const next = inner.indexOf(' ', c + 2);
      if (next > 0 && names.indexOf(inner.slice(c + 2, next), from) >= 0) { end = c; break; }
      if (!FREE_TEXT.has(names[at]!)) return null; // a name it does not know
    }
    inputs.set(names[at]!, inner.slice(space + 1, end));
    pos = end === inner.length ? end : end + 2;
  }
  return { name: label.slice(0, open), inputs };
}
