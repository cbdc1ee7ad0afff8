/**
 * SSIM chapter 7 field codecs: dates (DDMMMYY), times (HHMM), UTC variations (±HHMM), days of operation,
 * date variations, service types. Each reader returns the value or a reason the field is impossible.
 */
import { dateFromDayNumber, dayNumber } from '../../engine/domain/time';

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = <T>(reason: string): Read<T> => ({ ok: false, reason });

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;

/** "00XXX00": an open-ended period. */
export const OPEN_DATE = '00XXX00';

/** DDMMMYY → "YYYY-MM-DD" (years 00–69 are 20xx, 70–99 are 19xx). */
export function readDate(text: string): Read<string> {
  const m = /^(\d{2})([A-Z]{3})(\d{2})$/.exec(text);
  if (!m) return bad(`"${text}" is not a DDMMMYY date`);
  const month = MONTHS.indexOf(m[2] as (typeof MONTHS)[number]);
  if (month < 0) return bad(`"${text}": unknown month "${m[2]}"`);
  const yy = Number(m[3]);
  const iso = `${yy < 70 ? 2000 + yy : 1900 + yy}-${String(month + 1).padStart(2, '0')}-${m[1]}`;
  try {
    dayNumber(iso);
  } catch {
    return bad(`"${text}" is not a calendar date`);
  }
  return ok(iso);
}

/** "YYYY-MM-DD" → DDMMMYY. */
export function writeDate(iso: string): string {
  const day = dayNumber(iso); // validates
  const d = dateFromDayNumber(day);
  return `${d.slice(8, 10)}${MONTHS[Number(d.slice(5, 7)) - 1]}${d.slice(2, 4)}`;
}

/** HHMM (00:00–23:59) → "HH:MM". */
export function readTime(text: string): Read<string> {
  const m = /^(\d{2})(\d{2})$/.exec(text);
  if (!m) return bad(`"${text}" is not an HHMM time`);
  if (Number(m[1]) > 23 || Number(m[2]) > 59) return bad(`"${text}" is not a time of day`);
  return ok(`${m[1]}:${m[2]}`);
}

export function writeTime(hhmm: string): string {
  if (!/^\d{2}:\d{2}$/.test(hhmm)) throw new Error(`SSIM writer: time "${hhmm}" is not HH:MM`);
  return hhmm.replace(':', '');
}

/** ±HHMM (local = UTC + variation) → minutes, at most ±14:00. */
export function readUtcVariation(text: string): Read<number> {
  const m = /^([+-])(\d{2})(\d{2})$/.exec(text);
  if (!m) return bad(`"${text}" is not a ±HHMM UTC variation`);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[3]) > 59 || minutes > 14 * 60) return bad(`"${text}" is not a possible UTC variation (at most ±1400)`);
  return ok(m[1] === '-' ? -minutes : minutes);
}

export function writeUtcVariation(minutes: number): string {
  if (!Number.isInteger(minutes) || Math.abs(minutes) > 14 * 60) throw new Error(`SSIM writer: UTC variation ${minutes} min is not possible`);
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
}

/**
 * Days of operation (7 positions, Monday = 1 … Sunday = 7, blank = not operated) → ISO weekdays.
 * `positional` is false when a digit sits outside its own position (read, but worth a warning).
 */
export function readDays(text: string): Read<{ days: number[]; positional: boolean }> {
  if (text.length !== 7) return bad(`"${text}" is not 7 positions`);
  const days: number[] = [];
  let positional = true;
  for (let i = 0; i < 7; i++) {
    const c = text[i]!;
    if (c === ' ') continue;
    if (!/[1-7]/.test(c)) return bad(`"${text}": "${c}" is not a day of the week (1–7)`);
    const d = Number(c);
    if (days.includes(d)) return bad(`"${text}": day ${d} appears twice`);
    if (d !== i + 1) positional = false;
    days.push(d);
  }
  if (days.length === 0) return bad('no day of operation');
  return ok({ days: days.sort((a, b) => a - b), positional });
}

export function writeDays(days: readonly number[]): string {
  let s = '';
  for (let d = 1; d <= 7; d++) s += days.includes(d) ? String(d) : ' ';
  if (s.trim() === '') throw new Error('SSIM writer: no day of operation');
  return s;
}

/** A date variation: blank or 0 = same day, 1–9 = days later, A = the day before. Null for blank. */
export function readDateVariation(c: string): Read<number | null> {
  if (c === ' ') return ok(null);
  if (c === 'A') return ok(-1);
  if (/^\d$/.test(c)) return ok(Number(c));
  return bad(`"${c}" is not a date variation (blank, 0–9 or A)`);
}

export function writeDateVariation(v: number): string {
  if (v === -1) return 'A';
  if (Number.isInteger(v) && v >= 0 && v <= 9) return String(v);
  throw new Error(`SSIM writer: date variation ${v} is not possible (−1 … 9)`);
}

/**
 * Service types (SSIM Appendix C). Passenger services make the passenger schedule; the others (cargo,
 * mail, ferry/positioning, tests, training, general aviation…) are kept but excluded from it.
 */
export const SERVICE_TYPES: Readonly<Record<string, { passenger: boolean; name: string }>> = {
  J: { passenger: true, name: 'scheduled passenger, normal service' },
  S: { passenger: true, name: 'scheduled passenger, shuttle mode' },
  U: { passenger: true, name: 'scheduled passenger, surface vehicle' },
  Q: { passenger: true, name: 'scheduled passenger/cargo in cabin' },
  G: { passenger: true, name: 'additional flight, passenger normal service' },
  B: { passenger: true, name: 'additional flight, passenger shuttle mode' },
  R: { passenger: true, name: 'additional flight, passenger/cargo in cabin' },
  C: { passenger: true, name: 'charter, passenger only' },
  O: { passenger: true, name: 'charter requiring special handling' },
  L: { passenger: true, name: 'charter, passenger and cargo/mail' },
  F: { passenger: false, name: 'scheduled cargo and/or mail' },
  V: { passenger: false, name: 'scheduled cargo/mail, surface vehicle' },
  M: { passenger: false, name: 'scheduled mail only' },
  A: { passenger: false, name: 'additional flight, cargo/mail' },
  H: { passenger: false, name: 'charter, cargo and/or mail' },
  P: { passenger: false, name: 'non-revenue (positioning, ferry, delivery, demonstration)' },
  T: { passenger: false, name: 'technical test' },
  K: { passenger: false, name: 'training (school, crew check)' },
  D: { passenger: false, name: 'general aviation' },
  E: { passenger: false, name: 'special (government)' },
  W: { passenger: false, name: 'military' },
  X: { passenger: false, name: 'technical stop' },
  I: { passenger: false, name: 'state, diplomatic, air ambulance' },
  N: { passenger: false, name: 'business aviation, air taxi' },
};
