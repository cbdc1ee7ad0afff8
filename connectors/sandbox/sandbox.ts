/**
 * The sandbox in this process: the four external systems (PSS, PROS O&D, pricing tool, network
 * planning), each its own HTTP server on 127.0.0.1 with its own OAuth2 client, plus the control API, all
 * serving one market. For tests; hosts start it in a child process (process.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../engine/domain/time';
import { FaultPlan } from './http/faults';
import { TokenAuthority } from './http/auth';
import { startSystemServer, type Exchange, type SystemServer } from './http/server';
import type { SandboxMarket } from './market';
import { createState, type SandboxState } from './state';
import { pssRouter } from './pss';
import { prosRouter } from './pros';
import { pricingRouter } from './pricing';
import { planningRouter } from './planning';
import { controlRouter, SYSTEMS, type SystemName } from './control';

export { SYSTEMS, type SystemName };

export interface SandboxCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** What a host needs to connect to the sandbox: one base URL and OAuth2 client per system. */
export interface SandboxEndpoints {
  seed: number;
  /** the simulated "now" when the sandbox became ready */
  now: string;
  ownCarrier: string;
  /** the currency the pricing tool quotes exchange rates from */
  baseCurrency: string;
  systems: Record<SystemName, { baseUrl: string } & SandboxCredentials>;
  control: { baseUrl: string; token: string };
  /** folders the sandbox drops batch files into (PROS CSV, network-planning SSIM) */
  dropFolders: { pros: string; planning: string };
}

export interface StartSandboxOptions {
  /** the market to serve (tests build one with the simulator); see simulator-market.ts */
  market: SandboxMarket;
  /** 0 (default): any free port per server; otherwise servers listen on port, port+1, … port+4 */
  port?: number;
  /** the root of the drop folders (default: a new temporary folder) */
  dropDir?: string;
  /** token lifetime in seconds (default 3600) */
  tokenLifetimeS?: number;
  /** the wall clock tokens expire by (default: the system clock) */
  wallClock?: Clock;
  /** sees every answered request of the four systems (tests check them against the OpenAPI documents) */
  observe?: (x: Exchange) => void;
}

export interface Sandbox {
  endpoints: SandboxEndpoints;
  state: SandboxState;
  servers: Record<SystemName, SystemServer>;
  authorities: Record<SystemName, TokenAuthority>;
  close(): Promise<void>;
}

export async function startSandbox(opts: StartSandboxOptions): Promise<Sandbox> {
  const { market } = opts;
  const state = createState(market);
  const wall = opts.wallClock ?? systemClock;
  const dropRoot = opts.dropDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-sandbox-drop-'));
  // a temporary drop root made here goes with the sandbox (a caller's folder is the caller's to keep)
  const removeOwnDropRoot = (): void => { if (opts.dropDir === undefined) fs.rmSync(dropRoot, { recursive: true, force: true }); };
  const dropFolders = { pros: path.join(dropRoot, 'pros'), planning: path.join(dropRoot, 'planning') };
  for (const d of Object.values(dropFolders)) fs.mkdirSync(d, { recursive: true });
  const authorities = Object.fromEntries(SYSTEMS.map((s) => [s, new TokenAuthority(
    { clientId: `dfae-sandbox-${s}`, clientSecret: randomBytes(18).toString('base64url') }, wall, opts.tokenLifetimeS ?? 3600,
  )])) as Record<SystemName, TokenAuthority>;
  const routers = {
    pss: pssRouter(state, authorities.pss),
    pros: prosRouter(state, authorities.pros),
    pricing: pricingRouter(state, authorities.pricing),
    planning: planningRouter(state, authorities.planning),
  };
  const started: SystemServer[] = [];
  try {
    const servers = {} as Record<SystemName, SystemServer>;
    let i = 0;
    for (const s of SYSTEMS) {
      servers[s] = await startSystemServer({
        name: s, router: routers[s], auth: authorities[s], faults: new FaultPlan(market.seed, s), port: opts.port ? opts.port + i : 0, observe: opts.observe,
      });
      started.push(servers[s]);
      i++;
    }
    const controlToken = randomBytes(18).toString('base64url');
    const control = await startSystemServer({
      name: 'control', router: controlRouter({ state, token: controlToken, servers, authorities, dropDirs: dropFolders }),
      faults: new FaultPlan(market.seed, 'control'), port: opts.port ? opts.port + SYSTEMS.length : 0,
    });
    started.push(control);
    const endpoints: SandboxEndpoints = {
      seed: market.seed,
      now: market.clock.now().toISOString(),
      ownCarrier: market.ownCarrier,
      baseCurrency: market.baseCurrency,
      systems: Object.fromEntries(SYSTEMS.map((s) => [s, {
        baseUrl: servers[s].url, tokenUrl: `${servers[s].url}/oauth2/token`,
        clientId: authorities[s].client.clientId, clientSecret: authorities[s].client.clientSecret,
      }])) as SandboxEndpoints['systems'],
      control: { baseUrl: control.url, token: controlToken },
      dropFolders,
    };
    return {
      endpoints, state, servers, authorities,
      close: async () => {
        await Promise.all(started.map((s) => s.close()));
        removeOwnDropRoot();
      },
    };
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    removeOwnDropRoot();
    throw e;
  }
}
