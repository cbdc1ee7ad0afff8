/**
 * Settings: connector endpoints and credentials (entered once, never shown back), schedules for
 * headless runs, and guardrails and competitor strategies per market.
 *
 * Connector endpoints go to the configuration file in the data folder (`<dataDir>/config.json`, the
 * file every host reads at start), each client secret to the host's SecretStore under a name the file
 * references; a change applies at the next start. Schedules and pricing settings live in the store's
 * settings table; the pricing cycle and the headless runner read them through
 * `engine/api/handlers/settings.ts` (`loadPricingSettings`, `loadSchedules`).
 */
import { MIN_DEPARTED_DAYS, type RetentionSettings } from '../../domain/retention';
import { OVERBOOKING_MAX_PCT } from '../../domain/overbooking';
import { MAX_MIN_CHANGE_PCT } from '../../domain/fareChange';
import { z } from 'zod';
import { method } from './define';
import { feedName, iataAirport } from './common';
import type { FeedName } from '../../domain/types';
import type { CompetitorStrategy } from '../../pricing/competitor';
import type { PricePoints } from '../../pricing/compose';

export type { CompetitorStrategy, PricePoints };

const MANAGE = ['revenue_manager', 'admin'] as const;

export interface ConnectorSetting {
  feed: FeedName;
  label: string;
  /** the endpoint the running backend uses (from the feed service) */
  runningEndpoint: string;
  /** what the configuration file says for this feed (null: not configured there) */
  saved: {
    baseUrl: string;
    tokenUrl: string;
    clientId: string;
    scope: string | null;
    /** the SecretStore name of the client secret */
    secretName: string;
    /** whether that secret is stored; its value is never returned */
    secretStored: boolean;
    dropFolder: string | null;
  } | null;
}

export interface ConnectorSettings {
  /** what runs now */
  mode: 'sandbox' | 'live';
  /** the configuration file in the data folder, and what it selects at the next start */
  configFile: string;
  configSelects: 'sandbox' | 'feeds' | 'nothing (built-in sandbox default)' | 'unreadable';
  /** the reason the file is unreadable, when it is */
  configProblem: string | null;
  airline: string | null;
  /** where secrets are kept (e.g. the OS keychain, or an owner-only file) */
  secretStore: string;
  /** true when the host gave the backend no secret store: credentials cannot be saved */
  secretsReadOnly: boolean;
  feeds: ConnectorSetting[];
}

export interface HeadlessSchedule {
  id: number;
  name: string;
  /** cron expression (5 or 6 fields) */
  cron: string;
  /** IANA time zone the expression is read in */
  timeZone: string;
  enabled: boolean;
  /** the cycle's steps this schedule runs */
  steps: { sync: boolean; price: boolean; autoApprove: boolean; push: boolean };
  /** markets "ORG-DST" to price; empty: all */
  markets: string[];
  dryRun: boolean;
  /** the next three start instants (UTC) */
  nextRuns: string[];
  updatedBy: string;
  updatedAt: string;
}

export interface CabinGuardrailSetting {
  floorMinor: number | null;
  ceilingMinor: number | null;
}

/** A market's pricing settings (or the defaults, when origin and destination are null). */
export interface MarketPricingSetting {
  origin: string | null;
  destination: string | null;
  /** the currency the money amounts are in (the market's fare currency) */
  currency: string | null;
  pricingMode: 'ladder' | 'continuous' | null;
  competitor: CompetitorStrategy | null;
  /** largest move per cycle, percent of the current fare (null: inherit; use the defaults' value) */
  maxChangePct: number | null;
  /**
   * smallest fare move worth filing, percent of the fare in force: a recommended fare closer than this
   * to it is not proposed (null: inherit; 0, the default, proposes every change)
   */
  minChangePct: number | null;
  pricePoints: PricePoints | null;
  /** floors and ceilings per cabin */
  guardrails: Record<string, CabinGuardrailSetting>;
  /** overbooking: the most a cabin's authorised capacity may exceed its seats, percent (0: none; null: inherit) */
  overbookingMaxPct: number | null;
  /** the cost of denying boarding to one passenger, in minor units of the market's fare currency (null: inherit) */
  deniedBoardingCostMinor: number | null;
  updatedBy: string;
  updatedAt: string;
}

/** What the engine uses for a value neither a market nor the defaults set. */
export interface EnginePricingDefaults {
  pricingMode: 'ladder' | 'continuous';
  competitor: CompetitorStrategy;
  /** null: no limit */
  maxChangePct: number | null;
  minChangePct: number;
  pricePoints: PricePoints;
  overbookingMaxPct: number;
  /** in minor units of each market's fare currency */
  deniedBoardingCostMinor: number;
}

export interface PricingSettings {
  defaults: MarketPricingSetting;
  /** the engine's own values, where the defaults leave a field to inherit */
  engine: EnginePricingDefaults;
  markets: MarketPricingSetting[];
  /**
   * markets with fares and their fare currency, for pickers; `departures`: our own departures on record that fly
   * the market nonstop, operated by us (0: a connecting market, whose passengers fly other markets' legs, or one
   * we only market on a partner's flights)
   */
  knownMarkets: { origin: string; destination: string; currency: string | null; cabins: string[]; departures: number }[];
}

const httpsUrl = z.string().trim().url('expected an absolute URL like https://pss.example.com/api')
  .refine((u) => /^https:\/\//i.test(u) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(u), 'use https (plain http only to this machine)');
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code');
const minor = z.number().int('expected an integer number of minor units').min(0).max(1e10);
const reference = z.enum(['min', 'quartile-band']);

export const competitorStrategy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('match'), reference }).strict(),
  z.object({ kind: z.literal('undercut'), reference, amountMinor: minor.optional(), pct: z.number().min(0).max(90).optional() }).strict(),
  z.object({ kind: z.literal('premium'), reference, amountMinor: minor.optional(), pct: z.number().min(0).max(500).optional() }).strict(),
  z.object({ kind: z.literal('ignore') }).strict(),
]).refine((s) => s.kind !== 'undercut' && s.kind !== 'premium' || (s.amountMinor === undefined) !== (s.pct === undefined),
  { message: 'undercut and premium take either amountMinor or pct (one of them)', path: ['pct'] });

const cabinGuardrails = z.object({ floorMinor: minor.nullable(), ceilingMinor: minor.nullable() }).strict()
  .refine((g) => g.floorMinor === null || g.ceilingMinor === null || g.floorMinor <= g.ceilingMinor, { message: 'the floor is above the ceiling', path: ['ceilingMinor'] });

export const settingsContract = {
  'settings.connectors': method<ConnectorSettings>()({
    description: 'Connector endpoints as configured and as running; whether each client secret is stored (never its value).',
    access: 'read',
    input: z.object({}).strict(),
  }),
  'settings.saveConnector': method<ConnectorSettings>()({
    description: 'Saves a feed\'s endpoints to the configuration file and its client secret to the secret store (applies at the next start).',
    access: ['admin'],
    writes: ['settings'],
    input: z.object({
      feed: feedName,
      baseUrl: httpsUrl,
      tokenUrl: httpsUrl,
      clientId: z.string().trim().min(1, 'a client id is required').max(200),
      scope: z.string().trim().min(1).max(500).optional(),
      /** write-only; absent keeps the stored secret */
      clientSecret: z.string().min(8, 'a client secret has at least 8 characters').max(4096).optional(),
      dropFolder: z.string().trim().min(1).max(1000).optional(),
      airline: z.string().regex(/^[A-Z0-9]{2,3}$/, 'an airline designator, e.g. "DF"').optional(),
    }).strict(),
  }),
  'settings.removeConnector': method<ConnectorSettings>()({
    description: 'Removes a feed from the configuration file and deletes its stored client secret.',
    access: ['admin'],
    writes: ['settings'],
    input: z.object({ feed: feedName }).strict(),
  }),
  'settings.useSandbox': method<ConnectorSettings>()({
    description: 'Makes the configuration file select the built-in sandbox at the next start (feeds are kept aside, not deleted).',
    access: ['admin'],
    writes: ['settings'],
    input: z.object({ seed: z.number().int().min(0).max(2 ** 31).default(42) }).strict(),
  }),
  'settings.schedules': method<HeadlessSchedule[]>()({
    description: 'Schedules for headless runs, with their next start times.',
    access: 'read',
    input: z.object({}).strict(),
  }),
  'settings.saveSchedule': method<HeadlessSchedule>()({
    description: 'Creates (no id) or changes a headless schedule; the cron expression is checked.',
    access: MANAGE,
    writes: ['settings', 'audit_log'],
    input: z.object({
      id: z.number().int().positive().optional(),
      name: z.string().trim().min(1, 'a name is required').max(120),
      cron: z.string().trim().min(9, 'expected a cron expression like "0 5 * * *"').max(120),
      timeZone: z.string().trim().min(1).max(64),
      enabled: z.boolean().default(true),
      steps: z.object({ sync: z.boolean(), price: z.boolean(), autoApprove: z.boolean(), push: z.boolean() }).strict()
        .refine((s) => s.sync || s.price || s.autoApprove || s.push, { message: 'choose at least one step', path: ['sync'] }),
      markets: z.array(z.string().regex(/^[A-Z]{3}-[A-Z]{3}$/, 'a market like "LHR-JFK"')).max(500).default([]),
      dryRun: z.boolean().default(false),
    }).strict(),
  }),
  'settings.deleteSchedule': method<{ deleted: boolean }>()({
    description: 'Deletes a headless schedule.',
    access: MANAGE,
    writes: ['settings', 'audit_log'],
    input: z.object({ id: z.number().int().positive() }).strict(),
  }),
  'settings.pricing': method<PricingSettings>()({
    description: 'Guardrails and competitor strategies: the defaults and each market\'s own.',
    access: 'read',
    input: z.object({}).strict(),
  }),
  'settings.savePricing': method<MarketPricingSetting>()({
    description: 'Sets a market\'s guardrails and strategy (origin and destination null: the defaults); the next pricing cycle uses them.',
    access: MANAGE,
    writes: ['settings', 'audit_log'],
    input: z.object({
      origin: iataAirport.nullable(),
      destination: iataAirport.nullable(),
      currency: currency.nullable().default(null),
      pricingMode: z.enum(['ladder', 'continuous']).nullable().default(null),
      competitor: competitorStrategy.nullable().default(null),
      maxChangePct: z.number().min(0).max(500).nullable().default(null),
      minChangePct: z.number().min(0).max(MAX_MIN_CHANGE_PCT, `the smallest change to file is at most ${MAX_MIN_CHANGE_PCT} % of the fare`).nullable().default(null),
      pricePoints: z.object({ step: z.number().int().min(1).max(1e6), ending: z.number().int().min(0).optional() }).strict()
        .refine((p) => p.ending === undefined || p.ending < p.step, { message: 'the ending must be below the step', path: ['ending'] }).nullable().default(null),
      guardrails: z.record(z.string().regex(/^[A-Z]$/, 'a one-letter cabin code'), cabinGuardrails).default({}),
      overbookingMaxPct: z.number().min(0).max(OVERBOOKING_MAX_PCT, `overbook by at most ${OVERBOOKING_MAX_PCT} % of the seats`).nullable().default(null),
      deniedBoardingCostMinor: minor.nullable().default(null),
      reason: z.string().trim().max(500).optional(),
    }).strict()
      .refine((v) => (v.origin === null) === (v.destination === null), { message: 'give both origin and destination, or neither for the defaults', path: ['destination'] })
      .refine((v) => v.origin === null || v.origin !== v.destination, { message: 'origin and destination are the same airport', path: ['destination'] })
      .refine((v) => v.origin !== null || Object.keys(v.guardrails).length === 0, { message: 'floors and ceilings are per market (their currency is the market\'s): set them on a market, not the defaults', path: ['guardrails'] })
      .refine((v) => Object.keys(v.guardrails).length === 0 || v.currency !== null, { message: 'floors and ceilings need the currency they are in', path: ['currency'] })
      .refine((v) => v.minChangePct === null || v.maxChangePct === null || v.minChangePct <= v.maxChangePct, { message: 'the smallest change to file is above the largest change per cycle', path: ['minChangePct'] }),
  }),
  'settings.deletePricing': method<{ deleted: boolean }>()({
    description: 'Removes a market\'s own settings (it falls back to the defaults).',
    access: MANAGE,
    writes: ['settings', 'audit_log'],
    input: z.object({ origin: iataAirport, destination: iataAirport }).strict(),
  }),
  'settings.retention': method<RetentionSettings>()({
    description: 'How long the store keeps audit rows, decisions that ended unpushed or were replaced by a newer push, and the decisions of departed flights before the cycle moves them to archive files (0: keep all).',
    access: 'read',
    input: z.object({}).strict(),
  }),
  'settings.saveRetention': method<RetentionSettings>()({
    description: 'Sets the retention ages in days (0: keep all); the next cycle applies them, or `dfae archive` now.',
    access: ['admin'],
    writes: ['settings', 'audit_log'],
    input: z.object({
      auditDays: z.number().int().min(0).max(36_500),
      decisionsDays: z.number().int().min(0).max(36_500),
      departedDays: z.number().int().min(0).max(36_500)
        .refine((v) => v === 0 || v >= MIN_DEPARTED_DAYS, { message: `0 (keep all) or at least ${MIN_DEPARTED_DAYS} days: the elasticity estimates read the pushed prices of departures ${MIN_DEPARTED_DAYS} days back` }),
      reason: z.string().trim().max(500).optional(),
    }).strict(),
  }),
};
