/**
 * The holiday and event calendar of the sandbox: public and school holidays and trade fairs, for every
 * year the simulation covers, with their true effect on demand per segment (truth: the sandbox serves
 * the dates, names and places, never the effect).
 */
import { addDays, dayNumber } from '../domain/time';
import { Rng } from './rng';
import type { CalendarEventSpec } from './scenario';

/** Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const ymd = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The n-th given ISO weekday (1 = Monday) of a month; n = −1 for the last. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  if (n > 0) {
    const first = dayNumber(ymd(year, month, 1));
    const w = ((first + 3) % 7) + 1;
    return addDays(ymd(year, month, 1), ((weekday - w + 7) % 7) + (n - 1) * 7);
  }
  const nextMonth = month === 12 ? ymd(year + 1, 1, 1) : ymd(year, month + 1, 1);
  const last = dayNumber(nextMonth) - 1;
  const w = ((last + 3) % 7) + 1;
  return addDays(nextMonth, -1 - ((w - weekday + 7) % 7));
}

const EUROPE = ['DE', 'GB', 'IE', 'FR', 'NL', 'BE', 'ES', 'PT', 'IT', 'AT', 'CH', 'DK', 'SE', 'NO', 'FI', 'PL', 'CZ', 'HU', 'GR'];

/**
 * The calendar for the years [fromYear, toYear]. Effects are drawn per seed around the documented
 * centres (±20 % of the deviation from 1), so event strength is part of the per-seed truth.
 */
export function buildCalendar(fromYear: number, toYear: number, seed: number): CalendarEventSpec[] {
  const rng = new Rng(seed, 0xca1e);
  const out: CalendarEventSpec[] = [];
  const eff = (business: number, leisure: number) => ({
    business: 1 + (business - 1) * (0.8 + 0.4 * rng.uniform()),
    leisure: 1 + (leisure - 1) * (0.8 + 0.4 * rng.uniform()),
  });
  const add = (e: Omit<CalendarEventSpec, 'id'>) => out.push({ ...e, id: `${e.from}:${e.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` });
  for (let y = fromYear; y <= toYear; y++) {
    const easter = easterSunday(y);
    add({ name: 'Christmas and New Year', kind: 'public_holiday', from: ymd(y, 12, 20), to: ymd(y + 1, 1, 4), countries: [], airports: [], effect: eff(0.45, 1.3) });
    add({ name: 'Easter', kind: 'public_holiday', from: addDays(easter, -3), to: addDays(easter, 2), countries: [...EUROPE], airports: [], effect: eff(0.7, 1.25) });
    add({ name: 'Labour Day', kind: 'public_holiday', from: ymd(y, 5, 1), to: ymd(y, 5, 1), countries: EUROPE.filter((c) => c !== 'GB' && c !== 'IE'), airports: [], effect: eff(0.6, 1.1) });
    add({ name: 'Ascension Day', kind: 'public_holiday', from: addDays(easter, 39), to: addDays(easter, 39), countries: ['DE', 'FR', 'NL', 'BE', 'AT', 'CH', 'DK', 'SE', 'NO', 'FI'], airports: [], effect: eff(0.6, 1.15) });
    add({ name: 'Whit Monday', kind: 'public_holiday', from: addDays(easter, 50), to: addDays(easter, 50), countries: ['DE', 'FR', 'NL', 'BE', 'AT', 'CH', 'DK', 'NO', 'HU'], airports: [], effect: eff(0.65, 1.1) });
    add({ name: 'German Unity Day', kind: 'public_holiday', from: ymd(y, 10, 3), to: ymd(y, 10, 3), countries: ['DE'], airports: [], effect: eff(0.6, 1.1) });
    add({ name: 'Independence Day', kind: 'public_holiday', from: ymd(y, 7, 4), to: ymd(y, 7, 4), countries: ['US'], airports: [], effect: eff(0.6, 1.15) });
    add({ name: 'Thanksgiving', kind: 'public_holiday', from: addDays(nthWeekday(y, 11, 4, 4), -2), to: addDays(nthWeekday(y, 11, 4, 4), 3), countries: ['US'], airports: [], effect: eff(0.5, 1.3) });
    add({ name: 'Summer school holidays (DE)', kind: 'school_holiday', from: ymd(y, 7, 10), to: ymd(y, 8, 25), countries: ['DE'], airports: [], effect: eff(0.85, 1.2) });
    add({ name: 'Summer school holidays (GB)', kind: 'school_holiday', from: ymd(y, 7, 22), to: ymd(y, 9, 1), countries: ['GB'], airports: [], effect: eff(0.85, 1.2) });
    add({ name: 'Summer school holidays (FR)', kind: 'school_holiday', from: ymd(y, 7, 6), to: ymd(y, 9, 1), countries: ['FR'], airports: [], effect: eff(0.85, 1.2) });
    add({ name: 'August business slowdown', kind: 'school_holiday', from: ymd(y, 8, 1), to: ymd(y, 8, 25), countries: [...EUROPE], airports: [], effect: { business: 0.75, leisure: 1 } });
    add({ name: 'Ambiente trade fair', kind: 'event', from: nthWeekday(y, 2, 5, 1), to: addDays(nthWeekday(y, 2, 5, 1), 4), countries: [], airports: ['FRA'], effect: eff(1.5, 1.0) });
    add({ name: 'Mobile World Congress', kind: 'event', from: nthWeekday(y, 3, 1, 1), to: addDays(nthWeekday(y, 3, 1, 1), 3), countries: [], airports: ['BCN'], effect: eff(1.8, 0.95) });
    add({ name: 'Frankfurt Book Fair', kind: 'event', from: nthWeekday(y, 10, 3, 3), to: addDays(nthWeekday(y, 10, 3, 3), 4), countries: [], airports: ['FRA'], effect: eff(1.6, 1.1) });
    add({ name: 'Oktoberfest', kind: 'event', from: addDays(nthWeekday(y, 10, 7, 1), -15), to: nthWeekday(y, 10, 7, 1), countries: [], airports: ['MUC'], effect: eff(1.05, 1.4) });
    if (y % 2 === 1) add({ name: 'Paris Air Show', kind: 'event', from: nthWeekday(y, 6, 1, 3), to: addDays(nthWeekday(y, 6, 1, 3), 6), countries: [], airports: ['CDG'], effect: eff(1.5, 1.0) });
    else add({ name: 'Farnborough Airshow', kind: 'event', from: nthWeekday(y, 7, 1, 3), to: addDays(nthWeekday(y, 7, 1, 3), 4), countries: [], airports: ['LHR'], effect: eff(1.4, 1.0) });
  }
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.name < b.name ? -1 : 1));
}
