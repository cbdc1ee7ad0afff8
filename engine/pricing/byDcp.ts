/**
 * A forecast's spread over the DCP periods to come, as `forecasts.by_dcp` stores it: the means and then
 * the standard deviations, each in hundredths (the cycle rounds them to two decimals), as one
 * comma-separated list of whole numbers. Written by one `join` (a flat string: nothing to flatten when
 * SQLite binds it), about three times faster than JSON of the decimals. Rows written before hold the
 * JSON object `{"m": [...], "s": [...]}`, which is read as well.
 */
const scratch: number[] = [];

export function encodeByDcp(means: readonly number[], sds: readonly number[]): string {
  if (means.length !== sds.length) throw new RangeError(`by-DCP forecast: ${means.length} means but ${sds.length} standard deviations`);
  const n = means.length;
  scratch.length = 2 * n;
  for (let i = 0; i < n; i++) {
    scratch[i] = Math.round(means[i]! * 100);
    scratch[n + i] = Math.round(sds[i]! * 100);
  }
  return scratch.join(',');
}

export function parseByDcp(text: string): { m: number[]; s: number[] } {
  if (text.startsWith('{')) return JSON.parse(text) as { m: number[]; s: number[] };
  if (text === '') return { m: [], s: [] };
  const all = text.split(',');
  const n = all.length / 2;
  if (!Number.isInteger(n)) throw new Error(`by-DCP forecast "${text.slice(0, 60)}": an odd number of values`);
  const m = new Array<number>(n);
  const s = new Array<number>(n);
  for (let i = 0; i < n; i++) { m[i] = Number(all[i]) / 100; s[i] = Number(all[n + i]) / 100; }
  return { m, s };
}
