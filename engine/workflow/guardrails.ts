/**
 * Guardrail checks for a proposed value: floor, ceiling and maximum change from the current value.
 * The pricing engine keeps its own recommendations inside them; a person's override may go outside
 * only with an explicit confirmation, and is then marked.
 */
import type { Guardrails } from './types';

export interface GuardrailBreach {
  rule: 'floor' | 'ceiling' | 'max_change';
  message: string;
}

export function guardrailBreaches(value: number, current: number | null, g: Guardrails | null | undefined): GuardrailBreach[] {
  if (!g) return [];
  const out: GuardrailBreach[] = [];
  if (g.floor !== null && value < g.floor) out.push({ rule: 'floor', message: `${value} is below the floor ${g.floor}` });
  if (g.ceiling !== null && value > g.ceiling) out.push({ rule: 'ceiling', message: `${value} is above the ceiling ${g.ceiling}` });
  if (g.maxChangePct !== null && current !== null && current > 0) {
    const pct = ((value - current) / current) * 100;
    if (Math.abs(pct) > g.maxChangePct + 1e-9) out.push({ rule: 'max_change', message: `a change of ${pct.toFixed(1)} % exceeds the maximum of ±${g.maxChangePct} % per cycle` });
  }
  return out;
}
