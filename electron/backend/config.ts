/**
 * The connection configuration file (JSON): per external system its base URL, OAuth2 token URL and
 * client id, a *reference* to its client secret (the secret itself lives in the SecretStore — the OS
 * keychain on the desktop, environment variables or an owner-only file headless — never in this file),
 * the CA bundle, timeouts, retry and breaker settings, and drop folders. Or `sandbox`, to run on the
 * built-in sandbox. A mistake is reported with the key and the problem, e.g.
 * `feeds.pss.auth.tokenUrl: must be an absolute URL`.
 *
 * Example:
 * {
 *   "airline": { "code": "DF" },
 *   "feeds": {
 *     "pss": {
 *       "baseUrl": "https://pss.example.com/api",
 *       "auth": { "tokenUrl": "https://pss.example.com/oauth2/token", "clientId": "dfae", "clientSecret": { "secret": "pss_client_secret" } },
 *       "tls": { "caFile": "/etc/dfae/corporate-ca.pem" },
 *       "timeouts": { "connectMs": 5000, "requestMs": 30000 }
 *     },
 *     "pros": { "...": "as above", "dropFolder": { "path": "/srv/dfae/pros-drop" } }
 *   }
 * }
 */
import fs from 'node:fs';
import { z } from 'zod';
import { isLoopback } from '../../connectors/http/client';
import { SECRET_NAME_RE, Secret, type SecretStore } from '../../engine/ports/secrets';
import type { SandboxEndpoints } from '../../connectors/sandbox/sandbox';

export class ConfigError extends Error {
  constructor(message: string, readonly issues: { key: string; problem: string }[] = []) {
    super(message);
    this.name = 'ConfigError';
  }
}

const url = (what: string) => z.string().superRefine((text, ctx) => {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be an absolute URL (${what}), got "${text.slice(0, 80)}"` });
    return;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: `must be https (or http to this machine), got ${u.protocol}` });
  else if (u.protocol === 'http:' && !isLoopback(u.hostname)) ctx.addIssue({ code: 'custom', message: `plain http is allowed only to this machine (127.0.0.1, localhost); use https for ${u.hostname}` });
  if (u.username || u.password) ctx.addIssue({ code: 'custom', message: 'must not carry credentials; reference a secret in auth.clientSecret instead' });
});

const secretRefObject = z.object({
  secret: z.string().regex(SECRET_NAME_RE, 'a secret name: lower-case letters, digits and underscores, e.g. "pss_client_secret"'),
}).strict();

/** A reference to a secret in the SecretStore; a value written here instead is refused without echoing it. */
const secretRef = z.unknown().transform((value, ctx): { secret: string } => {
  if (typeof value === 'string') {
    ctx.addIssue({ code: 'custom', message: 'secrets are never read from the configuration file: store the secret in the workbench (or DFAE_SECRET_<NAME> headless) and reference it as {"secret": "<name>"}' });
    return z.NEVER;
  }
  const r = secretRefObject.safeParse(value);
  if (!r.success) {
    for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: i.path, message: `${i.message} (expected {"secret": "<name>"})` });
    return z.NEVER;
  }
  return r.data;
});

const positiveMs = (max: number) => z.number().int().min(1).max(max);

const httpFeed = {
  baseUrl: url('the system\'s API root, e.g. https://pss.example.com/api'),
  auth: z.object({
    tokenUrl: url('the OAuth2 token endpoint'),
    clientId: z.string().min(1, 'must not be empty'),
    clientSecret: secretRef,
    scope: z.string().min(1).optional(),
    clientAuth: z.enum(['basic', 'body']).default('basic'),
  }).strict(),
  tls: z.object({
    caFile: z.string().min(1).optional(),
    caMode: z.enum(['add', 'replace']).default('add'),
  }).strict().optional(),
  timeouts: z.object({ connectMs: positiveMs(120_000).default(5_000), requestMs: positiveMs(600_000).default(30_000) }).strict().default({ connectMs: 5_000, requestMs: 30_000 }),
  retry: z.object({
    maxAttempts: z.number().int().min(1).max(10).optional(),
    baseDelayMs: z.number().int().min(0).max(60_000).optional(),
    maxDelayMs: z.number().int().min(0).max(600_000).optional(),
    maxRetryAfterMs: z.number().int().min(0).max(3_600_000).optional(),
  }).strict().optional(),
  breaker: z.object({
    failureThreshold: z.number().int().min(1).max(100).optional(),
    coolDownMs: z.number().int().min(0).max(3_600_000).optional(),
    successesToClose: z.number().int().min(1).max(10).optional(),
  }).strict().optional(),
  pageSize: z.number().int().min(1).max(10_000).optional(),
};

const dropFolder = z.object({
  path: z.string().min(1, 'must name a folder'),
  stableMs: z.number().int().min(0).max(600_000).optional(),
}).strict();

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const window = z.object({ fromDate: isoDate, toDate: isoDate }).strict().refine((w) => w.fromDate <= w.toDate, { message: 'fromDate must not be after toDate', path: ['fromDate'] });

export const configSchema = z.object({
  airline: z.object({ code: z.string().regex(/^[A-Z0-9]{2,3}$/, 'an airline designator, e.g. "DF"') }).strict(),
  /** run on the built-in sandbox; the host starts it and connects the four feeds to it */
  sandbox: z.object({
    seed: z.number().int().min(0).max(2 ** 31).default(42),
    today: isoDate.optional(),
    port: z.number().int().min(0).max(65_530).default(0),
    historyDays: z.number().int().min(30).max(800).optional(),
  }).strict().optional(),
  feeds: z.object({
    pss: z.object({
      ...httpFeed, bookingPageSize: z.number().int().min(1).max(10_000).optional(), pushChunkSize: z.number().int().min(1).max(10_000).optional(),
      window: window.optional(),
      /** worker threads decoding booking-event pages beside the store's writes (0: in the main thread) */
      decodeWorkers: z.number().int().min(0).max(4).default(1),
    }).strict().optional(),
    pros: z.object({ ...httpFeed, dropFolder: dropFolder.optional(), staleAfterHours: z.number().min(1).max(24 * 30).default(36), historyDays: z.number().int().min(0).max(2000).optional() }).strict().optional(),
    competitor: z.object({
      ...httpFeed,
      baseCurrencies: z.array(z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency')).min(1).default(['EUR']),
      defaultElasticities: z.record(z.string().regex(/^([A-Z]{1,2}|\*)$/, 'a cabin code or "*"'), z.number().max(0, 'an own-price elasticity is negative')).optional(),
    }).strict().optional(),
    schedule: z.object({ ...httpFeed, dropFolder: dropFolder.optional(), window: window.optional() }).strict().optional(),
  }).strict().default({}),
}).strict().superRefine((c, ctx) => {
  if (!c.sandbox && Object.keys(c.feeds).length === 0) {
    ctx.addIssue({ code: 'custom', path: ['feeds'], message: 'configure at least one feed, or "sandbox" to run on the built-in sandbox' });
  }
  if (c.sandbox && Object.keys(c.feeds).length > 0) {
    ctx.addIssue({ code: 'custom', path: ['sandbox'], message: 'use either "sandbox" or "feeds", not both: the sandbox provides all four feeds' });
  }
});

export type DfaeConfig = z.infer<typeof configSchema>;
export type FeedsConfig = DfaeConfig['feeds'];
export type HttpFeedConfig = NonNullable<FeedsConfig['pss']> | NonNullable<FeedsConfig['pros']> | NonNullable<FeedsConfig['competitor']> | NonNullable<FeedsConfig['schedule']>;

/** Checks a parsed configuration; throws ConfigError naming each key at fault. */
export function parseConfig(value: unknown, where = 'configuration'): DfaeConfig {
  const r = configSchema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ key: i.path.map(String).join('.') || '(top level)', problem: i.message }));
  throw new ConfigError(`${where} is not valid:\n${issues.map((i) => `  ${i.key}: ${i.problem}`).join('\n')}`, issues);
}

/** Reads and checks a configuration file. */
export function loadConfig(file: string): DfaeConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`configuration file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`configuration file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(json, `configuration file ${file}`);
}

/** A secret store in memory, for the sandbox's per-launch credentials (nothing is written anywhere). */
export function memorySecretStore(description: string, values: Record<string, string> = {}): SecretStore {
  const map = new Map(Object.entries(values).map(([k, v]) => [k, new Secret(v)]));
  return {
    description,
    get: async (n) => map.get(n),
    set: async (n, v) => { map.set(n, v); },
    delete: async (n) => map.delete(n),
    listNames: async () => [...map.keys()].sort(),
  };
}

/** The configuration of the four feeds on a running sandbox, and the store holding its client secrets. */
export function configFromSandbox(endpoints: SandboxEndpoints): { config: DfaeConfig; secrets: SecretStore } {
  const feed = (system: keyof SandboxEndpoints['systems'], secret: string) => {
    const s = endpoints.systems[system];
    return {
      baseUrl: s.baseUrl, auth: { tokenUrl: s.tokenUrl, clientId: s.clientId, clientSecret: { secret }, clientAuth: 'basic' as const },
      timeouts: { connectMs: 5_000, requestMs: 60_000 },
    };
  };
  const config = parseConfig({
    airline: { code: endpoints.ownCarrier },
    feeds: {
      // the sandbox's year of booking history: 1,000 events a page instead of the default 500 (a real PSS's
      // usual limit) saves about 12 % of the first sync; larger pages save little more and each page is
      // committed in one transaction that holds the API's thread (about 75 ms for 1,000 on a large store)
      pss: { ...feed('pss', 'sandbox_pss_client_secret'), bookingPageSize: 1_000 },
      pros: { ...feed('pros', 'sandbox_pros_client_secret'), dropFolder: { path: endpoints.dropFolders.pros, stableMs: 0 } },
      competitor: { ...feed('pricing', 'sandbox_pricing_client_secret'), baseCurrencies: [endpoints.baseCurrency] },
      schedule: { ...feed('planning', 'sandbox_planning_client_secret'), dropFolder: { path: endpoints.dropFolders.planning, stableMs: 0 } },
    },
  }, 'sandbox configuration');
  const secrets = memorySecretStore('the sandbox\'s per-launch credentials (memory)', {
    sandbox_pss_client_secret: endpoints.systems.pss.clientSecret,
    sandbox_pros_client_secret: endpoints.systems.pros.clientSecret,
    sandbox_pricing_client_secret: endpoints.systems.pricing.clientSecret,
    sandbox_planning_client_secret: endpoints.systems.planning.clientSecret,
  });
  return { config, secrets };
}
