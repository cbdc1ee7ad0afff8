/**
 * Demand influences: an analyst's factor on the forecast demand of a market's departures over dates (a strike,
 * an event the calendar feed does not know, a competitor leaving). The next pricing cycles multiply the forecast of
 * each departure in range by it, and the protection levels, bid prices and fares follow.
 */
import { z } from 'zod';
import { method, type Role } from './define';
import { iataAirport, isoDate } from './common';

/** the factor's bounds: the forecast's own bound on a day's combined factor (engine/forecasting/factors.ts MAX_FACTOR) */
export const INFLUENCE_FACTOR_MIN = 0.2;
export const INFLUENCE_FACTOR_MAX = 5;
/** the longest span one influence may cover, in days */
export const INFLUENCE_MAX_DAYS = 400;

export interface DemandInfluence {
  id: number;
  name: string;
  /** null: every origin */
  origin: string | null;
  /** null: every destination */
  destination: string | null;
  /** null: every cabin */
  cabin: string | null;
  /** first and last local departure date, inclusive */
  from: string;
  to: string;
  /** forecast demand × factor (0.8: −20 %) */
  factor: number;
  note: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/** "FRA-CDG", "FRA-any", "any-CDG" or "the network", then " cabin J" for one cabin's demand. */
export function influenceScope(i: Pick<DemandInfluence, 'origin' | 'destination'> & { cabin?: string | null }): string {
  const where = i.origin === null && i.destination === null ? 'the network' : `${i.origin ?? 'any'}-${i.destination ?? 'any'}`;
  return i.cabin ? `${where} cabin ${i.cabin}` : where;
}

/** "+15 %" / "−20 %" of a factor (the audit's reasons and the workbench write it so). */
export function influenceChange(factor: number): string {
  const pct = Math.round((factor - 1) * 1000) / 10;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct)} %`;
}

/** The factor of a change in per cent (−20 → 0.8); null when it is not a number. */
export function influenceFactor(changePct: string): number | null {
  const t = changePct.trim().replace('−', '-').replace(/\s*%$/, '');
  if (!/^[-+]?\d+(\.\d+)?$/.test(t)) return null;
  return Math.round((1 + Number(t) / 100) * 10_000) / 10_000;
}

/** The influences of a list that cover a departure date (the list already holds those of its market). */
export function influencesCovering<T extends Pick<DemandInfluence, 'from' | 'to'>>(rows: readonly T[], date: string): T[] {
  return rows.filter((i) => i.from <= date && date <= i.to);
}

const WRITERS: readonly Role[] = ['analyst', 'revenue_manager', 'admin'];

export const influencesContract = {
  'influences.list': method<{ rows: DemandInfluence[] }>()({
    description: 'Demand influences, by first date: those not yet over (includePast: all); with a market, those that apply to its legs (its own, its origin\'s or destination\'s, and network-wide ones).',
    access: 'read',
    input: z.object({
      origin: iataAirport.optional(),
      destination: iataAirport.optional(),
      includePast: z.boolean().default(false),
    }).strict(),
  }),
  'influences.save': method<DemandInfluence>()({
    description: 'Create (no id) or change a demand influence: forecast demand × factor for the departures of a market (or of every market from or to an airport, or of the network) between two dates, in one cabin or all. The next pricing cycle applies it. dryRun: check it only.',
    access: WRITERS,
    writes: ['demand_influences', 'audit_log'],
    input: z.object({
      id: z.number().int().min(1).optional(),
      name: z.string().trim().min(1, 'name the influence (e.g. "Strike at CDG")').max(120),
      origin: iataAirport.nullable().default(null),
      destination: iataAirport.nullable().default(null),
      cabin: z.string().regex(/^[A-Z]$/, 'expected a one-letter cabin code, e.g. "J"').nullable().default(null),
      from: isoDate,
      to: isoDate,
      factor: z.number().min(INFLUENCE_FACTOR_MIN, `the factor must be at least ${INFLUENCE_FACTOR_MIN} (−80 %)`).max(INFLUENCE_FACTOR_MAX, `the factor must be at most ${INFLUENCE_FACTOR_MAX} (+400 %)`),
      note: z.string().trim().max(500).default(''),
      /** check only: the answer is what would be saved (id 0 for a new one), nothing is written */
      dryRun: z.boolean().default(false),
    }).strict()
      .refine((v) => v.from <= v.to && (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 <= INFLUENCE_MAX_DAYS,
        { message: `to must be on or after from and at most ${INFLUENCE_MAX_DAYS} days later`, path: ['to'] })
      .refine((v) => v.origin === null || v.origin !== v.destination, { message: 'origin and destination must differ', path: ['destination'] }),
  }),
  'influences.delete': method<{ deleted: true }>()({
    description: 'Delete a demand influence: the next pricing cycle forecasts those departures without it.',
    access: WRITERS,
    writes: ['demand_influences', 'audit_log'],
    input: z.object({ id: z.number().int().min(1) }).strict(),
  }),
};
