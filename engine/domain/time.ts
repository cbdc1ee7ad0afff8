/**
 * Time: instants are UTC ISO-8601 strings in the store; a departure also keeps its local date and the
 * airport's IANA time zone. "Today" always comes from an injected clock.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(iso: string): Clock & { set(iso: string): void; advanceMs(ms: number): void } {
  let t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`fixedClock: invalid instant "${iso}"`);
  return {
    now: () => new Date(t),
    set(next: string) {
      const v = Date.parse(next);
      if (Number.isNaN(v)) throw new Error(`fixedClock: invalid instant "${next}"`);
      t = v;
    },
    advanceMs(ms: number) { t += ms; },
  };
}

export const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const ISO_INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

/** Days since 1970-01-01 for a calendar date "YYYY-MM-DD" (no time zone involved). */
export function dayNumber(isoDate: string): number {
  if (!ISO_DATE_RE.test(isoDate)) throw new Error(`invalid date "${isoDate}": expected YYYY-MM-DD`);
  const t = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== isoDate) throw new Error(`invalid date "${isoDate}"`);
  return Math.round(t / 86_400_000);
}

export function dateFromDayNumber(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  return dateFromDayNumber(dayNumber(isoDate) + days);
}

/** ISO weekday 1 (Monday) .. 7 (Sunday) of a calendar date. */
export function isoWeekday(isoDate: string): number {
  const d = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

const offsetCache = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = offsetCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    offsetCache.set(timeZone, f);
  }
  return f;
}

/** The UTC offset in minutes of a time zone at an instant (e.g. +60 for Europe/Paris in winter). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** Converts a local wall time at an airport ("YYYY-MM-DD", "HH:MM") to a UTC instant (ISO string). */
export function localToUtc(localDate: string, localTime: string, timeZone: string): string {
  const guess = Date.parse(`${localDate}T${localTime}:00Z`);
  if (Number.isNaN(guess)) throw new Error(`invalid local time ${localDate} ${localTime}`);
  let t = guess - utcOffsetMinutes(timeZone, new Date(guess)) * 60_000;
  // one correction step handles instants next to a DST change
  t = guess - utcOffsetMinutes(timeZone, new Date(t)) * 60_000;
  return new Date(t).toISOString();
}

/** The local calendar date and time at an airport for a UTC instant. */
export function utcToLocal(instant: string, timeZone: string): { date: string; time: string } {
  const d = new Date(instant);
  const off = utcOffsetMinutes(timeZone, d);
  const local = new Date(d.getTime() + off * 60_000).toISOString();
  return { date: local.slice(0, 10), time: local.slice(11, 16) };
}

/** A length of time for people: "45 s", "10 min", "1.5 h", "3.0 days" (feed ages, fallback data ages). */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
