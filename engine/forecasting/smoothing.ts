/**
 * Exponential smoothing across departures: a departure `age` weeks older than the newest observed
 * one weighs (1 − α)^age, so recent departures dominate when the level shifts. Used as the weights of
 * pickup forecasting (pickup.ts), which makes "exponential smoothing" a pickup forecast with a memory
 * that fades at rate α per week.
 */
export function recencyWeightsInto(days: ArrayLike<number>, n: number, alpha: number, out: { [i: number]: number }): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`exponential smoothing: alpha must lie in (0, 1), got ${alpha}`);
  let newest = -Infinity;
  for (let i = 0; i < n; i++) if (days[i]! > newest) newest = days[i]!;
  const decay = Math.log(1 - alpha) / 7;
  for (let i = 0; i < n; i++) out[i] = Math.exp(decay * (newest - days[i]!));
}
