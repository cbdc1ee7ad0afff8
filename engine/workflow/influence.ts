/**
 * Influence overrides: a person's bias (a percentage) that the engine keeps applying to its
 * recommendations for the same key, decaying by half every half-life, until it expires or falls
 * below the noise floor. The bias shows as its own explanation step.
 */
import type { ExplanationStep } from './types';

/** Below this size (percent) a decayed bias is over. */
export const INFLUENCE_FLOOR_PCT = 0.5;
const DAY_MS = 86_400_000;

export interface Influence {
  decisionId: number;
  key: string;
  biasPct: number;
  halfLifeDays: number;
  startedAt: string;
  expiresAt: string;
  by: string;
  reason: string;
}

/** The bias in force at `at` (percent), or 0 once expired or decayed below the floor. */
export function biasAt(inf: Pick<Influence, 'biasPct' | 'halfLifeDays' | 'startedAt' | 'expiresAt'>, at: Date): number {
  const t = at.getTime();
  const start = Date.parse(inf.startedAt);
  if (t >= Date.parse(inf.expiresAt) || t < start) return 0;
  const b = inf.biasPct * 0.5 ** ((t - start) / DAY_MS / inf.halfLifeDays);
  return Math.abs(b) < INFLUENCE_FLOOR_PCT ? 0 : b;
}

/**
 * Applies the bias to a recommended value: the biased value rounded to a whole unit, and the explanation
 * step that says so (its amount is exactly the difference, so the steps still sum to the value).
 */
export function applyInfluence(value: number, inf: Influence, at: Date): { value: number; step: ExplanationStep } | null {
  const b = biasAt(inf, at);
  if (b === 0) return null;
  const next = Math.max(0, Math.round(value * (1 + b / 100)));
  const sign = b > 0 ? '+' : '';
  return {
    value: next,
    step: {
      key: `influence:${inf.decisionId}`,
      label: `Influence override #${inf.decisionId} by ${inf.by} ("${inf.reason}"): ${sign}${b.toFixed(1)} % ` +
        `(from ${inf.biasPct > 0 ? '+' : ''}${inf.biasPct} % on ${inf.startedAt.slice(0, 10)}, half-life ${inf.halfLifeDays} d, until ${inf.expiresAt.slice(0, 10)})`,
      amount: next - value,
    },
  };
}
