/**
 * Settings handlers: connector endpoints in the data folder's configuration file with their client
 * secrets in the SecretStore (never returned), headless schedules and per-market pricing settings in
 * the settings table. `loadPricingSettings`, `pricingGuardrailsFor` and `loadSchedules` are how the
 * pricing cycle, the decision workflow and the headless runner read what people set here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import type { Database } from 'better-sqlite3';
import type { Handlers, CallContext } from '../dispatch';
import { ApiError } from '../errors';
import {
  settingsContract, type ConnectorSettings, type ConnectorSetting, type HeadlessSchedule, type MarketPricingSetting, type PricingSettings,
} from '../contract/settings';
import type { FeedStatus } from '../contract/feeds';
import { FEED_NAMES, type FeedName } from '../../domain/types';
import { Secret, type SecretStore } from '../../ports/secrets';
import type { Store } from '../../store/db';
import type { AuditLog } from '../../workflow/audit';
import { loadRetention, RETENTION_SETTING_KEY } from '../../workflow/retention';
import { readSetting, writeSetting } from '../../store/settingsTable';
import type { DecisionPayload, Guardrails } from '../../workflow/types';
import { DEFAULT_MARKET_SETTINGS, DEFAULT_OVERBOOKING, type MarketSettings } from '../../pricing/cycle';
import { DEFAULT_MIN_CHANGE_PCT } from '../../domain/fareChange';
import { operatedByItsCarrierSql } from '../../domain/codeshare';

export const CONFIG_FILE = 'config.json';
const KEY_SCHEDULES = 'headless.schedules';
const KEY_PRICING = 'pricing.markets';
/** feeds set aside while the configuration file selects the sandbox */
const KEY_PARKED_FEEDS = 'connectors.parked';

const LABELS: Record<FeedName, string> = { pss: 'Passenger service system', pros: 'PROS O&D demand', competitor: 'Competitor prices', schedule: 'Network planning' };
/** feeds whose configuration accepts a CSV/SSIM drop folder */
const DROP_FOLDER_FEEDS: ReadonlySet<FeedName> = new Set(['pros', 'schedule']);

export interface SettingsDeps {
  store: Store;
  audit: AuditLog;
  /** the host's secret store; without one, credentials cannot be saved */
  secrets?: SecretStore;
  mode: 'sandbox' | 'live';
  feedStatus: () => FeedStatus[];
}

// ------------------------------------------------------------------ settings table

// ------------------------------------------------------------------ pricing settings

type StoredPricing = Omit<MarketPricingSetting, 'origin' | 'destination'>;
interface PricingDoc { defaults: StoredPricing | null; markets: Record<string, StoredPricing> }

const EMPTY_PRICING: StoredPricing = {
  currency: null, pricingMode: null, competitor: null, maxChangePct: null, minChangePct: null, pricePoints: null, guardrails: {}, overbookingMaxPct: null, deniedBoardingCostMinor: null, updatedBy: '', updatedAt: '',
};

/**
 * A market's overbooking from its own values, else the defaults', else the engine's (each field on its
 * own); a maximum of 0 % turns it off. Undefined when neither sets anything (the engine's default applies).
 */
function overbookingOf(s: StoredPricing | null | undefined, defaults: StoredPricing | null | undefined): MarketSettings['overbooking'] | undefined {
  const maxPct = s?.overbookingMaxPct ?? defaults?.overbookingMaxPct ?? null;
  const cost = s?.deniedBoardingCostMinor ?? defaults?.deniedBoardingCostMinor ?? null;
  if (maxPct === null && cost === null) return undefined;
  if (maxPct === 0) return null;
  return { maxPct: maxPct ?? DEFAULT_OVERBOOKING.maxPct, deniedBoardingCostMinor: cost ?? DEFAULT_OVERBOOKING.deniedBoardingCostMinor };
}

function toPartial(s: StoredPricing | null | undefined, defaults: StoredPricing | null | undefined): Partial<MarketSettings> {
  const out: Partial<MarketSettings> = {};
  const overbooking = overbookingOf(s, defaults);
  if (overbooking !== undefined) out.overbooking = overbooking;
  if (!s) return out;
  if (s.pricingMode) out.pricingMode = s.pricingMode;
  if (s.competitor) out.competitor = s.competitor;
  if (s.maxChangePct !== null) out.maxChangePct = s.maxChangePct;
  if (s.pricePoints) out.pricePoints = s.pricePoints;
  if (Object.keys(s.guardrails).length) out.guardrails = { ...s.guardrails };
  return out;
}

/**
 * The pricing settings people set, in the pricing cycle's terms: `CycleSettings.defaults` and
 * `CycleSettings.markets` (keyed "ORG-DST"). Unset values are absent, so the engine's defaults apply.
 */
export function loadPricingSettings(db: Database): { defaults: Partial<MarketSettings>; markets: Record<string, Partial<MarketSettings>> } {
  const doc = readSetting<PricingDoc>(db, KEY_PRICING, { defaults: null, markets: {} });
  return { defaults: toPartial(doc.defaults, null), markets: Object.fromEntries(Object.entries(doc.markets).map(([k, v]) => [k, toPartial(v, doc.defaults)])) };
}

/**
 * The decision workflow's guardrails for a fare payload from the pricing settings: the market's floor
 * and ceiling for the fare's cabin (only when the fare is in the currency they were set in) and the
 * maximum change per cycle (the market's, else the defaults', else the engine's). Inventory controls: none.
 */
export function pricingGuardrailsFor(db: Database): (p: DecisionPayload) => Guardrails | null {
  // asked once per fare decision (a cycle publishes hundreds of thousands): the document is parsed again
  // only when its text changed
  const read = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  const none: PricingDoc = { defaults: null, markets: {} };
  let text: string | undefined;
  let doc = none;
  return (p) => {
    if (p.kind !== 'fare') return null;
    const now = read.get(KEY_PRICING) as string | undefined;
    if (now !== text) {
      text = now;
      doc = now === undefined ? none : JSON.parse(now) as PricingDoc;
    }
    const m = doc.markets[`${p.fare.origin}-${p.fare.destination}`];
    const cabin = m && m.currency === p.fare.currency ? m.guardrails[p.fare.cabin] : undefined;
    const maxChangePct = m?.maxChangePct ?? doc.defaults?.maxChangePct ?? DEFAULT_MARKET_SETTINGS.maxChangePct;
    return { floor: cabin?.floorMinor ?? null, ceiling: cabin?.ceilingMinor ?? null, maxChangePct };
  };
}

/**
 * The smallest fare move worth filing per market, percent of the fare in force: the market's, else the
 * defaults', else 0 (every change). Read once per cycle, so one lookup per recommendation is a map read.
 */
export function minFareChangeFor(db: Database): (origin: string, destination: string) => number {
  const doc = readSetting<PricingDoc>(db, KEY_PRICING, { defaults: null, markets: {} });
  const fallback = doc.defaults?.minChangePct ?? DEFAULT_MIN_CHANGE_PCT;
  return (origin, destination) => doc.markets[`${origin}-${destination}`]?.minChangePct ?? fallback;
}

function knownMarkets(db: Database): PricingSettings['knownMarkets'] {
  const rows = db.prepare(`
    SELECT origin, destination, currency, count(*) AS n, group_concat(DISTINCT cabin) AS cabins
      FROM fares GROUP BY origin, destination, currency ORDER BY origin, destination, n DESC`).all() as { origin: string; destination: string; currency: string; n: number; cabins: string }[];
  // our own nonstop departures: an own carrier's flights it operates itself (a codeshare on a partner's flight holds no inventory of ours)
  const departures = new Map((db.prepare(`SELECT f.origin, f.destination, count(*) AS n FROM flights f JOIN carriers c ON c.code = f.carrier AND c.own = 1
      WHERE ${operatedByItsCarrierSql('f')} GROUP BY f.origin, f.destination`).all() as { origin: string; destination: string; n: number }[])
    .map((r) => [`${r.origin}-${r.destination}`, r.n]));
  const out = new Map<string, PricingSettings['knownMarkets'][number]>();
  for (const r of rows) {
    const k = `${r.origin}-${r.destination}`;
    const have = out.get(k);
    const cabins = r.cabins.split(',');
    if (!have) out.set(k, { origin: r.origin, destination: r.destination, currency: r.currency, cabins: cabins.sort(), departures: departures.get(k) ?? 0 });
    else have.cabins = [...new Set([...have.cabins, ...cabins])].sort();
  }
  return [...out.values()];
}

// ------------------------------------------------------------------ schedules

interface StoredSchedule extends Omit<HeadlessSchedule, 'nextRuns'> {}
interface ScheduleDoc { nextId: number; rows: StoredSchedule[] }

function nextRuns(s: Pick<HeadlessSchedule, 'cron' | 'timeZone' | 'enabled'>, from: Date, n = 3): string[] {
  if (!s.enabled) return [];
  const job = new Cron(s.cron, { timezone: s.timeZone, paused: true });
  try {
    return job.nextRuns(n, from).map((d) => d.toISOString());
  } finally {
    job.stop();
  }
}

/** The headless schedules with their next start instants after `from` (the injected clock's now). */
export function loadSchedules(db: Database, from: Date): HeadlessSchedule[] {
  const doc = readSetting<ScheduleDoc>(db, KEY_SCHEDULES, { nextId: 1, rows: [] });
  return doc.rows.map((r) => ({ ...r, nextRuns: nextRuns(r, from) }));
}

function checkSchedule(cron: string, timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone }).format(0);
  } catch {
    throw new ApiError('validation', `"${timeZone}" is not an IANA time zone (e.g. Europe/London, UTC)`, { field: 'timeZone' });
  }
  try {
    const job = new Cron(cron, { timezone: timeZone, paused: true });
    const next = job.nextRun();
    job.stop();
    if (!next) throw new Error('it never fires');
  } catch (e) {
    throw new ApiError('validation', `"${cron}" is not a usable cron expression (${(e as Error).message}); e.g. "0 5 * * *" for 05:00 every day`, { field: 'cron' });
  }
}

// ------------------------------------------------------------------ connectors (configuration file)

type ConfigDoc = Record<string, unknown> & { airline?: { code?: string }; sandbox?: unknown; feeds?: Record<string, FeedConfigDoc> };
interface FeedConfigDoc { baseUrl?: string; auth?: { tokenUrl?: string; clientId?: string; scope?: string; clientSecret?: { secret?: string } }; dropFolder?: { path?: string }; [k: string]: unknown }

function configPath(store: Store): string {
  return path.join(store.dataDir, CONFIG_FILE);
}

function readConfig(file: string): { doc: ConfigDoc | null; problem: string | null } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { doc: null, problem: null };
    return { doc: null, problem: `cannot read ${file}: ${(e as Error).message}` };
  }
  try {
    const doc = JSON.parse(text) as unknown;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { doc: null, problem: `${file} is not a JSON object` };
    return { doc: doc as ConfigDoc, problem: null };
  } catch (e) {
    return { doc: null, problem: `${file} is not valid JSON: ${(e as Error).message}` };
  }
}

/** Writes the file atomically (temp file + rename), readable by the owner only. */
function writeConfig(file: string, doc: ConfigDoc): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export const secretNameOf = (feed: FeedName) => `${feed}_client_secret`;

export function settingsHandlers(deps: SettingsDeps): Handlers<typeof settingsContract> {
  const { store, audit } = deps;
  const { db } = store;

  const connectors = async (): Promise<ConnectorSettings> => {
    const file = configPath(store);
    const { doc, problem } = readConfig(file);
    const stored = new Set(deps.secrets ? await deps.secrets.listNames().catch(() => [] as string[]) : []);
    const running = new Map(deps.feedStatus().map((f) => [f.feed, f]));
    const feeds: ConnectorSetting[] = FEED_NAMES.map((feed) => {
      const f = doc?.feeds?.[feed];
      const secretName = f?.auth?.clientSecret?.secret ?? secretNameOf(feed);
      return {
        feed, label: running.get(feed)?.label ?? LABELS[feed], runningEndpoint: running.get(feed)?.endpoint ?? '(not connected)',
        saved: f && f.baseUrl ? {
          baseUrl: f.baseUrl, tokenUrl: f.auth?.tokenUrl ?? '', clientId: f.auth?.clientId ?? '', scope: f.auth?.scope ?? null,
          secretName, secretStored: stored.has(secretName), dropFolder: f.dropFolder?.path ?? null,
        } : null,
      };
    });
    const selects: ConnectorSettings['configSelects'] = problem ? 'unreadable' : !doc ? 'nothing (built-in sandbox default)' : doc.sandbox ? 'sandbox' : 'feeds';
    return {
      mode: deps.mode, configFile: file, configSelects: selects, configProblem: problem, airline: doc?.airline?.code ?? null,
      secretStore: deps.secrets?.description ?? 'none (this host cannot store credentials)', secretsReadOnly: !deps.secrets, feeds,
    };
  };

  const ownCarrier = () => db.prepare('SELECT code FROM carriers WHERE own = 1 ORDER BY code LIMIT 1').pluck().get() as string | undefined;

  /** The file to change: its content, refusing to overwrite a file we cannot read. */
  const editableConfig = (): { file: string; doc: ConfigDoc } => {
    const file = configPath(store);
    const { doc, problem } = readConfig(file);
    if (problem) throw new ApiError('conflict', `${problem}; fix or remove the file, then save again`);
    return { file, doc: doc ?? {} };
  };

  /** Leaving the sandbox: the feeds set aside earlier come back. */
  const withFeeds = (doc: ConfigDoc): Record<string, FeedConfigDoc> => {
    if (!doc.sandbox) return { ...(doc.feeds ?? {}) };
    delete doc.sandbox;
    return { ...readSetting<Record<string, FeedConfigDoc>>(db, KEY_PARKED_FEEDS, {}), ...(doc.feeds ?? {}) };
  };

  /** One audit row per settings change (entity "rule"), in the caller's transaction or its own. */
  const auditSetting = (ctx: CallContext, entityId: string, reason: string, detail: Record<string, unknown>) =>
    audit.tx(() => audit.append([{ actor: ctx.caller.user, entity: 'rule', entityId, from: 'saved', to: 'saved', reason: reason.slice(0, 500), detail }]));

  const pricingDoc = () => readSetting<PricingDoc>(db, KEY_PRICING, { defaults: null, markets: {} });
  const pricingOut = (origin: string | null, destination: string | null, s: StoredPricing | null | undefined): MarketPricingSetting =>
    ({ origin, destination, ...EMPTY_PRICING, ...s });

  return {
    'settings.connectors': () => connectors(),

    async 'settings.saveConnector'(input, ctx) {
      if (!deps.secrets && input.clientSecret) throw new ApiError('unavailable', 'this host has no secret store, so the client secret cannot be kept; set it headless with DFAE_SECRET_<NAME>', { field: 'clientSecret' });
      if (input.dropFolder && !DROP_FOLDER_FEEDS.has(input.feed)) throw new ApiError('validation', `the ${input.feed} feed takes no drop folder (only pros and schedule do)`, { field: 'dropFolder' });
      const { file, doc } = editableConfig();
      const feeds = withFeeds(doc);
      const secretName = secretNameOf(input.feed);
      const stored = deps.secrets ? (await deps.secrets.listNames()).includes(secretName) : false;
      if (!input.clientSecret && !stored) throw new ApiError('validation', `enter the client secret: none is stored yet for ${input.feed}`, { field: 'clientSecret' });
      const airline = input.airline ?? doc.airline?.code ?? ownCarrier();
      if (!airline) throw new ApiError('validation', 'enter the airline designator (no own carrier is known yet)', { field: 'airline' });
      const prev = feeds[input.feed] ?? {};
      feeds[input.feed] = {
        ...prev,
        baseUrl: input.baseUrl,
        auth: { tokenUrl: input.tokenUrl, clientId: input.clientId, clientSecret: { secret: secretName }, ...(input.scope ? { scope: input.scope } : {}) },
        ...(input.dropFolder ? { dropFolder: { path: input.dropFolder } } : {}),
      };
      if (!input.dropFolder) delete feeds[input.feed]!.dropFolder;
      if (input.clientSecret) await deps.secrets!.set(secretName, new Secret(input.clientSecret));
      writeConfig(file, { ...doc, airline: { code: airline }, feeds });
      auditSetting(ctx, `connector:${input.feed}`, `connector ${input.feed} set to ${input.baseUrl}${input.clientSecret ? ' (client secret replaced)' : ''}`, { baseUrl: input.baseUrl, tokenUrl: input.tokenUrl, clientId: input.clientId });
      return connectors();
    },

    async 'settings.removeConnector'(input, ctx) {
      const { file, doc } = editableConfig();
      const feeds = { ...(doc.feeds ?? {}) };
      const name = feeds[input.feed]?.auth?.clientSecret?.secret ?? secretNameOf(input.feed);
      delete feeds[input.feed];
      if (Object.keys(feeds).length === 0 && !doc.sandbox) throw new ApiError('conflict', 'this is the last configured feed: use the sandbox instead, or configure another feed first', { field: 'feed' });
      writeConfig(file, { ...doc, feeds });
      if (deps.secrets) await deps.secrets.delete(name).catch(() => false);
      auditSetting(ctx, `connector:${input.feed}`, `connector ${input.feed} removed`, {});
      return connectors();
    },

    async 'settings.useSandbox'(input, ctx) {
      const { file, doc } = editableConfig();
      if (doc.feeds && Object.keys(doc.feeds).length) writeSetting(db, KEY_PARKED_FEEDS, doc.feeds, store.now());
      const { feeds: _parked, ...rest } = doc;
      writeConfig(file, { ...rest, airline: { code: doc.airline?.code ?? ownCarrier() ?? 'DF' }, sandbox: { seed: input.seed } });
      auditSetting(ctx, 'connector:sandbox', `configuration selects the built-in sandbox (seed ${input.seed})`, {});
      return connectors();
    },

    'settings.schedules': () => loadSchedules(db, new Date(store.now())),

    'settings.saveSchedule'(input, ctx) {
      checkSchedule(input.cron, input.timeZone);
      return audit.tx(() => {
        const doc = readSetting<ScheduleDoc>(db, KEY_SCHEDULES, { nextId: 1, rows: [] });
        const at = store.now();
        const { id: givenId, ...fields } = input;
        let row: StoredSchedule;
        if (givenId !== undefined) {
          const i = doc.rows.findIndex((r) => r.id === givenId);
          if (i < 0) throw new ApiError('not_found', `schedule ${givenId} was not found`, { field: 'id' });
          row = { ...doc.rows[i]!, ...fields, updatedBy: ctx.caller.user, updatedAt: at };
          doc.rows[i] = row;
        } else {
          row = { id: doc.nextId++, ...fields, updatedBy: ctx.caller.user, updatedAt: at };
          doc.rows.push(row);
        }
        writeSetting(db, KEY_SCHEDULES, doc, at);
        auditSetting(ctx, `schedule:${row.id}`, `headless schedule "${row.name}": ${row.cron} ${row.timeZone}${row.enabled ? '' : ' (disabled)'}`, { ...row });
        return { ...row, nextRuns: nextRuns(row, new Date(at)) };
      });
    },

    'settings.deleteSchedule'(input, ctx) {
      return audit.tx(() => {
        const doc = readSetting<ScheduleDoc>(db, KEY_SCHEDULES, { nextId: 1, rows: [] });
        const before = doc.rows.length;
        doc.rows = doc.rows.filter((r) => r.id !== input.id);
        if (doc.rows.length === before) return { deleted: false };
        writeSetting(db, KEY_SCHEDULES, doc, store.now());
        auditSetting(ctx, `schedule:${input.id}`, `headless schedule ${input.id} deleted`, {});
        return { deleted: true };
      });
    },

    'settings.pricing'() {
      const doc = pricingDoc();
      return {
        defaults: pricingOut(null, null, doc.defaults),
        engine: {
          pricingMode: DEFAULT_MARKET_SETTINGS.pricingMode, competitor: DEFAULT_MARKET_SETTINGS.competitor, maxChangePct: DEFAULT_MARKET_SETTINGS.maxChangePct,
          minChangePct: DEFAULT_MIN_CHANGE_PCT, pricePoints: DEFAULT_MARKET_SETTINGS.pricePoints, overbookingMaxPct: DEFAULT_OVERBOOKING.maxPct,
          deniedBoardingCostMinor: DEFAULT_OVERBOOKING.deniedBoardingCostMinor,
        },
        markets: Object.entries(doc.markets).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => { const [o, d] = k.split('-'); return pricingOut(o!, d!, v); }),
        knownMarkets: knownMarkets(db),
      };
    },

    'settings.savePricing'(input, ctx) {
      if (input.origin && input.currency) {
        const known = knownMarkets(db).find((m) => m.origin === input.origin && m.destination === input.destination);
        if (known?.currency && known.currency !== input.currency) {
          throw new ApiError('validation', `${input.origin}-${input.destination} files its fares in ${known.currency}; give floors and ceilings in ${known.currency}`, { field: 'currency' });
        }
      }
      return audit.tx(() => {
        const doc = pricingDoc();
        const at = store.now();
        const { origin, destination, reason, ...fields } = input;
        const stored: StoredPricing = { ...fields, updatedBy: ctx.caller.user, updatedAt: at };
        if (origin && destination) doc.markets[`${origin}-${destination}`] = stored; else doc.defaults = stored;
        writeSetting(db, KEY_PRICING, doc, at);
        const where = origin ? `${origin}-${destination}` : 'defaults';
        auditSetting(ctx, `pricing:${where}`, `pricing settings of ${where}${reason ? `: ${reason}` : ''}`, { ...stored });
        return pricingOut(origin, destination, stored);
      });
    },

    'settings.retention': () => loadRetention(db),

    'settings.saveRetention'(input, ctx) {
      return audit.tx(() => {
        const { reason, ...value } = input;
        writeSetting(db, RETENTION_SETTING_KEY, value, store.now());
        const age = (d: number) => (d ? `${d} days` : 'kept');
        auditSetting(ctx, 'retention', `retention: audit rows ${age(value.auditDays)}, ended or replaced decisions ${age(value.decisionsDays)}, departed flights' decisions ${age(value.departedDays)}${reason ? `: ${reason}` : ''}`, { ...value });
        return loadRetention(db);
      });
    },

    'settings.deletePricing'(input, ctx) {
      return audit.tx(() => {
        const doc = pricingDoc();
        const k = `${input.origin}-${input.destination}`;
        if (!doc.markets[k]) return { deleted: false };
        delete doc.markets[k];
        writeSetting(db, KEY_PRICING, doc, store.now());
        auditSetting(ctx, `pricing:${k}`, `pricing settings of ${k} removed (defaults apply)`, {});
        return { deleted: true };
      });
    },
  };
}
