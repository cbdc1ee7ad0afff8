/**
 * The sandbox control API, for tests, benchmarks and the workbench's sandbox panel (bearer control
 * token): the simulated clock, fault modes per system and endpoint, token lifetimes, batch files on
 * request, and counters (requests, faults injected, pushes applied vs replayed).
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { faultRuleSchema, hash32 } from './http/faults';
import { mulberry32 } from '../../engine/domain/random';
import { HttpError } from './http/errors';
import { Router, parseJsonBody, type Handler, type RequestContext } from './http/server';
import type { SystemServer } from './http/server';
import type { TokenAuthority } from './http/auth';
import { writeProsFile } from './pros';
import { writeSsimFile } from './planning';
import type { SandboxState } from './state';

export const SYSTEMS = ['pss', 'pros', 'pricing', 'planning'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export interface ControlDeps {
  state: SandboxState;
  token: string;
  servers: Record<SystemName, SystemServer>;
  authorities: Record<SystemName, TokenAuthority>;
  dropDirs: { pros: string; planning: string };
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export function controlRouter(deps: ControlDeps): Router {
  const { state } = deps;
  const fileRandom = mulberry32(hash32(`${state.market.seed}:files`));
  const guard = (h: Handler): Handler => (ctx: RequestContext) => {
    const m = /^Bearer\s+(\S+)$/i.exec(ctx.headers.authorization ?? '');
    const given = Buffer.from(m?.[1] ?? '');
    const want = Buffer.from(deps.token);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      throw new HttpError(401, 'unauthorized', 'the control API needs the sandbox control token (Authorization: Bearer <controlToken>)');
    }
    return h(ctx);
  };
  const system = (ctx: RequestContext): SystemName => {
    const s = ctx.params.system as SystemName;
    if (!SYSTEMS.includes(s)) throw new HttpError(404, 'not_found', `no system "${ctx.params.system}"; systems: ${SYSTEMS.join(', ')}`);
    return s;
  };
  const status = () => ({
    seed: state.market.seed,
    now: state.market.clock.now().toISOString(),
    ownCarrier: state.market.ownCarrier,
    lastBookingSequence: state.market.lastBookingSequence(),
    pushes: state.pushes,
    files: state.files,
    systems: Object.fromEntries(SYSTEMS.map((s) => [s, {
      url: deps.servers[s].url,
      faults: deps.servers[s].faults.list(),
      faultsInjected: deps.servers[s].faults.injected,
      tokens: { issued: deps.authorities[s].issued, rejected: deps.authorities[s].rejected, expiresInS: deps.authorities[s].expiresInS },
      endpoints: deps.servers[s].counters(),
    }])),
  });
  return new Router()
    .add('GET', '/control/status', guard(() => ({ kind: 'json', body: status() })), { auth: false })
    .add('POST', '/control/clock/advance', guard((ctx) => {
      const { days } = parseJsonBody(ctx, z.object({ days: z.number().int().min(1).max(400) }).strict());
      state.market.advanceDays(days);
      state.version++;
      return { kind: 'json', body: { now: state.market.clock.now().toISOString(), lastBookingSequence: state.market.lastBookingSequence() } };
    }), { auth: false })
    .add('PUT', '/control/faults/:system', guard((ctx) => {
      const s = system(ctx);
      const { rules } = parseJsonBody(ctx, z.object({ rules: z.array(faultRuleSchema).max(50) }).strict());
      deps.servers[s].faults.set(rules);
      return { kind: 'json', body: { system: s, rules: deps.servers[s].faults.list() } };
    }), { auth: false })
    .add('DELETE', '/control/faults', guard(() => {
      for (const s of SYSTEMS) deps.servers[s].faults.set([]);
      return { kind: 'empty', status: 204 };
    }), { auth: false })
    .add('PUT', '/control/auth/:system', guard((ctx) => {
      const s = system(ctx);
      const { expiresInS } = parseJsonBody(ctx, z.object({ expiresInS: z.number().int().min(1).max(86_400) }).strict());
      deps.authorities[s].expiresInS = expiresInS;
      return { kind: 'json', body: { system: s, expiresInS } };
    }), { auth: false })
    .add('POST', '/control/files/pros', guard((ctx) => {
      const b = parseJsonBody(ctx, z.object({
        kind: z.enum(['demand', 'route_performance']), fromDate: isoDate, toDate: isoDate, badRowRate: z.number().min(0).max(1).default(0),
        suffix: z.string().regex(/^[A-Za-z0-9-]{1,40}$/).optional(),
      }).strict());
      return { kind: 'json', status: 201, body: writeProsFile(state, deps.dropDirs.pros, b.kind, b.fromDate, b.toDate, b.badRowRate, fileRandom, b.suffix) };
    }), { auth: false })
    .add('POST', '/control/files/planning', guard((ctx) => {
      const b = parseJsonBody(ctx, z.object({ fromDate: isoDate, toDate: isoDate, badRecordRate: z.number().min(0).max(1).default(0) }).strict());
      return { kind: 'json', status: 201, body: writeSsimFile(state, deps.dropDirs.planning, b.fromDate, b.toDate, b.badRecordRate, fileRandom) };
    }), { auth: false });
}
