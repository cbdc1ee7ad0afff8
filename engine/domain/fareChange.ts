/**
 * The smallest fare change worth filing. Every fare filed reaches the PSS, the channels and their caches;
 * a revenue manager sets how small a move is not worth that (pricing settings, `minChangePct`).
 */

/** the smallest change to file where neither a market nor the defaults set one: every change (percent) */
export const DEFAULT_MIN_CHANGE_PCT = 0;

/** the largest "smallest change to file" a market may set, percent of the fare in force */
export const MAX_MIN_CHANGE_PCT = 20;

/**
 * Whether a recommended fare moves far enough from the fare in force to be proposed: any move at 0 %;
 * always when there is no fare in force to compare with.
 */
export function worthFiling(recommendedMinor: number, currentMinor: number | null, minChangePct: number): boolean {
  if (recommendedMinor === currentMinor) return false;
  if (minChangePct <= 0 || currentMinor === null || !(currentMinor > 0)) return true;
  return Math.abs(recommendedMinor - currentMinor) * 100 >= minChangePct * currentMinor;
}
