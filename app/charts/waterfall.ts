/** The explanation of a recommendation as waterfall bars: each step floats from the running sum. */
import { stepTitle } from './explainStep';

export interface WaterfallStep { key: string; label: string; amount: number }

export interface WaterfallBar {
  key: string;
  /** the step's name for the axis ("Not below the bid price"); its inputs are in the tooltip and table */
  label: string;
  /** the step's signed amount (the total bar: the sum) */
  amount: number;
  /** invisible lower part and visible size of the stacked bar */
  base: number;
  size: number;
  /** running sum after the step */
  end: number;
  kind: 'up' | 'down' | 'total';
}

/**
 * Bars for the steps then a total bar. A step of +a from s floats over [s, s+a]; of −a over [s−a, s].
 * All values in the same unit (minor units or seats); `scale` turns them into display units.
 */
export function waterfallBars(steps: readonly WaterfallStep[], totalLabel = 'Total', scale = 1): WaterfallBar[] {
  const out: WaterfallBar[] = [];
  let sum = 0;
  for (const s of steps) {
    const start = sum;
    sum += s.amount;
    out.push({ key: s.key, label: stepTitle(s), amount: s.amount / scale, base: Math.min(start, sum) / scale, size: Math.abs(s.amount) / scale, end: sum / scale, kind: s.amount >= 0 ? 'up' : 'down' });
  }
  out.push({ key: 'total', label: totalLabel, amount: sum / scale, base: Math.min(0, sum) / scale, size: Math.abs(sum) / scale, end: sum / scale, kind: 'total' });
  return out;
}

/** A step's name on the chart's axis, shortened past 24 characters so slanted names do not run into their neighbours (the tooltip and the table give it whole). */
export function axisLabel(label: string): string {
  return label.length > 24 ? `${label.slice(0, 23).trimEnd()}…` : label;
}

/** The steps' sum against the value they explain (0 when they explain it exactly). */
export function residual(steps: readonly WaterfallStep[], value: number): number {
  return value - steps.reduce((a, s) => a + s.amount, 0);
}
