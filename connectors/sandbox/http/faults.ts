/**
 * Fault injection for the sandbox servers: per system and endpoint, seeded, so a test that sets the same
 * rules against the same request sequence sees the same faults.
 *
 * A rule matches an endpoint ("GET /v1/bookings", "POST /oauth2/token", or "*") and applies, to each
 * matching request while it has `count` left (unlimited when absent), each mode with its probability:
 * - latencyMs (+ up to latencyJitterMs): the answer is delayed;
 * - hang: the request is accepted and never answered;
 * - reset: the connection is destroyed without an answer;
 * - error: an error status (default 503; 429 and 503 carry Retry-After);
 * - expiredToken: the bearer token is treated as expired (401 invalid_token) and revoked;
 * - malformed: a 200 whose body is not valid JSON;
 * - truncated: a 200 that announces more bytes than it sends, then closes;
 * - badRecords: that share of the page's records is corrupted (one field made invalid), for quarantine tests.
 */
import { z } from 'zod';
import { mulberry32 } from '../../../engine/domain/random';

/** FNV-1a of a string, for deriving seeds. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const probability = z.number().min(0).max(1);

export const faultRuleSchema = z.object({
  /** "METHOD /path" as the endpoint is routed (path parameters as :name), or "*" */
  endpoint: z.string().min(1),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  latencyJitterMs: z.number().int().min(0).max(600_000).optional(),
  errorRate: probability.optional(),
  errorStatus: z.number().int().min(400).max(599).optional(),
  /** Retry-After seconds on 429/503 answers (default 1) */
  retryAfterS: z.number().int().min(0).max(86_400).optional(),
  hangRate: probability.optional(),
  resetRate: probability.optional(),
  malformedRate: probability.optional(),
  truncatedRate: probability.optional(),
  expiredTokenRate: probability.optional(),
  badRecordRate: probability.optional(),
  /** the rule applies to this many matching requests, then stops (absent: every request) */
  count: z.number().int().min(1).optional(),
}).strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;

export type FaultKind = 'latency' | 'hang' | 'reset' | 'error' | 'expiredToken' | 'malformed' | 'truncated' | 'badRecords';

/** What to do to one request. */
export interface FaultDecision {
  latencyMs: number;
  /** the terminal fault, if any (checked in this order: hang, reset, expiredToken, error, malformed, truncated) */
  action: { kind: 'hang' } | { kind: 'reset' } | { kind: 'expiredToken' } | { kind: 'error'; status: number; retryAfterS: number | null } | { kind: 'malformed' } | { kind: 'truncated' } | null;
  /** share of records to corrupt (0: none) */
  badRecordRate: number;
  /** the random source for choosing the records, seeded with the plan */
  random: () => number;
}

const NO_FAULT: Omit<FaultDecision, 'random'> = { latencyMs: 0, action: null, badRecordRate: 0 };

/** The fault rules of one system, with their seeded random source and counters. */
export class FaultPlan {
  private rules: { rule: FaultRule; left: number }[] = [];
  private random: () => number;
  private version = 0;
  readonly injected: Record<FaultKind, number> = { latency: 0, hang: 0, reset: 0, error: 0, expiredToken: 0, malformed: 0, truncated: 0, badRecords: 0 };

  constructor(private readonly seed: number, private readonly system: string) {
    this.random = mulberry32(hash32(`${seed}:${system}:0`));
  }

  /** Replaces the rules (and reseeds, so the same rules give the same faults). */
  set(rules: FaultRule[]): void {
    this.version++;
    this.rules = rules.map((rule) => ({ rule: faultRuleSchema.parse(rule), left: rule.count ?? Number.POSITIVE_INFINITY }));
    this.random = mulberry32(hash32(`${this.seed}:${this.system}:${this.version}`));
  }

  list(): (FaultRule & { remaining: number | null })[] {
    return this.rules.map(({ rule, left }) => ({ ...rule, remaining: Number.isFinite(left) ? left : null }));
  }

  /** Decides the faults for one request to `endpoint` ("GET /v1/bookings"). */
  decide(endpoint: string): FaultDecision {
    const matching = this.rules.filter((r) => r.left > 0 && (r.rule.endpoint === '*' || r.rule.endpoint === endpoint));
    if (matching.length === 0) return { ...NO_FAULT, random: this.random };
    let latencyMs = 0;
    let action: FaultDecision['action'] = null;
    let badRecordRate = 0;
    const hit = (p: number | undefined) => p !== undefined && p > 0 && this.random() < p;
    for (const m of matching) {
      m.left--;
      const r = m.rule;
      if (r.latencyMs || r.latencyJitterMs) latencyMs += (r.latencyMs ?? 0) + Math.floor(this.random() * (r.latencyJitterMs ?? 0));
      if (!action) {
        if (hit(r.hangRate)) action = { kind: 'hang' };
        else if (hit(r.resetRate)) action = { kind: 'reset' };
        else if (hit(r.expiredTokenRate)) action = { kind: 'expiredToken' };
        else if (hit(r.errorRate)) {
          const status = r.errorStatus ?? 503;
          action = { kind: 'error', status, retryAfterS: status === 429 || status === 503 ? (r.retryAfterS ?? 1) : null };
        } else if (hit(r.malformedRate)) action = { kind: 'malformed' };
        else if (hit(r.truncatedRate)) action = { kind: 'truncated' };
      }
      if (r.badRecordRate) badRecordRate = Math.max(badRecordRate, r.badRecordRate);
    }
    if (latencyMs > 0) this.injected.latency++;
    if (action) this.injected[action.kind]++;
    return { latencyMs, action, badRecordRate, random: this.random };
  }
}

const CORRUPT_MARK = { $sandboxFault: 'this field was corrupted on purpose' };

/**
 * Corrupts about `rate` of the records (at least one when rate > 0 and there are records): one field of
 * each chosen record is replaced by an object, which no record schema accepts for a scalar or a list.
 * Returns the number corrupted.
 */
export function corruptRecords(records: unknown[], rate: number, random: () => number): number {
  if (rate <= 0 || records.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < records.length; i++) {
    if (random() >= rate && !(n === 0 && i === records.length - 1)) continue;
    const rec = records[i];
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) continue;
    const keys = Object.keys(rec).filter((k) => {
      const v = (rec as Record<string, unknown>)[k];
      return v === null || typeof v !== 'object' || Array.isArray(v);
    });
    if (keys.length === 0) continue;
    const key = keys[Math.floor(random() * keys.length)]!;
    records[i] = { ...(rec as Record<string, unknown>), [key]: CORRUPT_MARK };
    n++;
  }
  return n;
}
