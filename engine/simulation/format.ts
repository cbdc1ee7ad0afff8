/**
 * Fast formatting of the instants and dates the queries serve millions of times (a full booking sync):
 * "YYYY-MM-DD" per day number is cached; ISO-8601 UTC instants are built from it.
 */
const dayCache = new Map<number, string>();

/** "YYYY-MM-DD" of a day number (days since 1970-01-01). */
export function dateString(day: number): string {
  let s = dayCache.get(day);
  if (s === undefined) {
    s = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (dayCache.size > 20_000) dayCache.clear();
    dayCache.set(day, s);
  }
  return s;
}

const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const p3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** ISO-8601 UTC instant with milliseconds, as Date.prototype.toISOString writes it (years 1970–9999). */
export function isoInstant(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let r = ms - day * 86_400_000;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  return `${dateString(day)}T${p2(h)}:${p2(m)}:${p2(s)}.${p3(Math.round(r - s * 1000))}Z`;
}
