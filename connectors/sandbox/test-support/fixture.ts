/**
 * Test support: a sandbox on a small simulated market (3MKT by default, a few weeks of history), every
 * exchange recorded and checked against the OpenAPI documents, the control API at hand, and adapter
 * settings with deterministic retry timing (no real sleeping, seeded jitter). Only tests import this.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '../../resilience/random';
import { OpenApiCheck, type SpecName } from '../../specs/openapi-check';
import type { HttpSettings } from '../../pss/sync-kit';
import type { FaultRule } from '../http/faults';
import type { Exchange } from '../http/server';
import { createSimulatorMarket, type SimulatorMarket, type SimulatorMarketOptions } from '../simulator-market';
import { startSandbox, type Sandbox, type SystemName } from '../sandbox';

export interface TestSandbox {
  sandbox: Sandbox;
  market: SimulatorMarket;
  exchanges: Exchange[];
  /** exchanges (from index `since` on) that break the interface specification, described; injected faults are not checked */
  specProblems(since?: number): string[];
  faults(system: SystemName, rules: FaultRule[]): Promise<void>;
  clearFaults(): Promise<void>;
  advance(days: number): Promise<void>;
  status(): Promise<ControlStatus>;
  /** adapter settings for a system: the sandbox's URLs and credentials, fast deterministic retries */
  settings(system: SystemName, over?: Partial<HttpSettings>): HttpSettings & { sleeps: number[] };
  dropDir: string;
  close(): Promise<void>;
}

export interface ControlStatus {
  now: string;
  lastBookingSequence: number;
  pushes: { fares: Counters; controls: Counters; orders: Counters };
  files: { system: string; file: string; kind: string; rows: number; badRows: number }[];
  systems: Record<SystemName, { faultsInjected: Record<string, number>; tokens: { issued: number; rejected: number }; endpoints: Record<string, { requests: number; statuses: Record<string, number>; corruptedRecords: number }> }>;
}
interface Counters { batches: number; replayed: number; conflicts: number; itemsAccepted: number; itemsRejected: number }

const SPEC_OF: Record<SystemName, SpecName> = { pss: 'pss', pros: 'pros', pricing: 'pricing', planning: 'planning' };

export async function startTestSandbox(opts: Partial<SimulatorMarketOptions> & { tokenLifetimeS?: number } = {}): Promise<TestSandbox> {
  const market = createSimulatorMarket({ seed: 7, today: '2026-03-01', historyDays: 21, scenario: '3mkt', ...opts });
  const exchanges: Exchange[] = [];
  const dropDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-sandbox-test-'));
  const sandbox = await startSandbox({ market, dropDir, tokenLifetimeS: opts.tokenLifetimeS, observe: (x) => exchanges.push(x) });
  const { control } = sandbox.endpoints;
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${control.baseUrl}${p}`, {
      method, headers: { authorization: `Bearer ${control.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) as unknown : null;
  };
  const check = new OpenApiCheck();
  return {
    sandbox, market, exchanges, dropDir,
    specProblems: (since = 0) => exchanges.slice(since).filter((x) => x.injected === null).flatMap((x) => check.check(SPEC_OF[x.system as SystemName], x)),
    faults: async (system, rules) => { await call('PUT', `/control/faults/${system}`, { rules }); },
    clearFaults: async () => { await call('DELETE', '/control/faults'); },
    advance: async (days) => { await call('POST', '/control/clock/advance', { days }); },
    status: async () => (await call('GET', '/control/status')) as ControlStatus,
    settings: (system, over = {}) => {
      const s = sandbox.endpoints.systems[system];
      const sleeps: number[] = [];
      return {
        baseUrl: s.baseUrl, auth: { tokenUrl: s.tokenUrl, clientId: s.clientId, clientSecret: s.clientSecret },
        retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 200 }, random: seededRandom(11),
        sleep: async (ms: number) => { sleeps.push(ms); },
        requestTimeoutMs: 10_000,
        ...over, sleeps,
      };
    },
    close: async () => {
      await sandbox.close();
      fs.rmSync(dropDir, { recursive: true, force: true });
    },
  };
}
