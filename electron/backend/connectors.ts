/**
 * Builds the four FeedConnectors (and the ports they implement) from a checked configuration: each
 * feed's client secret is fetched from the SecretStore by the name the configuration references, and
 * revealed only into the OAuth2 token provider.
 */
import type { Clock } from '../../engine/domain/time';
import type { FeedConnector } from '../../engine/ports/feed-sync';
import type { DemandPort } from '../../engine/ports/demand';
import type { CompetitorPort } from '../../engine/ports/competitor';
import type { SchedulePort } from '../../engine/ports/schedule';
import { requireSecret, type SecretStore } from '../../engine/ports/secrets';
import type { HttpSettings } from '../../connectors/pss/sync-kit';
import { PssConnector } from '../../connectors/pss/connector';
import { ProsConnector } from '../../connectors/pros/connector';
import { CompetitorConnector } from '../../connectors/competitor/connector';
import { ScheduleConnector } from '../../connectors/schedule/connector';
import type { DfaeConfig, HttpFeedConfig } from './config';

export interface BuiltConnectors {
  /** for createBackend({ connectors }) */
  connectors: FeedConnector[];
  /** the PSS push port (fares, inventory controls) and order creation */
  pss: PssConnector | null;
  demand: DemandPort | null;
  competitor: CompetitorPort | null;
  schedule: SchedulePort | null;
  /** closes every connector's connections */
  close(): Promise<void>;
}

export interface BuildConnectorsOptions {
  secrets: SecretStore;
  /** the backend's clock (token renewal, breaker cool-down, fallback ages) */
  clock?: Clock;
}

async function httpSettings(feed: string, c: HttpFeedConfig, opts: BuildConnectorsOptions): Promise<HttpSettings> {
  let secret;
  try {
    secret = await requireSecret(opts.secrets, c.auth.clientSecret.secret);
  } catch (e) {
    throw new Error(`feeds.${feed}.auth.clientSecret: ${(e as Error).message}`);
  }
  return {
    baseUrl: c.baseUrl,
    auth: { tokenUrl: c.auth.tokenUrl, clientId: c.auth.clientId, clientSecret: secret.reveal(), scope: c.auth.scope, clientAuth: c.auth.clientAuth },
    tls: c.tls?.caFile ? { caFile: c.tls.caFile, caMode: c.tls.caMode } : undefined,
    connectTimeoutMs: c.timeouts.connectMs,
    requestTimeoutMs: c.timeouts.requestMs,
    retry: c.retry,
    breaker: c.breaker,
    clock: opts.clock,
  };
}

export async function buildConnectors(config: DfaeConfig, opts: BuildConnectorsOptions): Promise<BuiltConnectors> {
  const f = config.feeds;
  const closers: (() => Promise<void>)[] = [];
  const connectors: FeedConnector[] = [];
  let pss: PssConnector | null = null;
  let demand: DemandPort | null = null;
  let competitor: CompetitorPort | null = null;
  let schedule: SchedulePort | null = null;
  try {
    if (f.schedule) {
      const c = new ScheduleConnector({ ...(await httpSettings('schedule', f.schedule, opts)), pageSize: f.schedule.pageSize, window: f.schedule.window, dropFolder: f.schedule.dropFolder });
      closers.push(() => c.close());
      connectors.push(c);
      schedule = c;
    }
    if (f.pss) {
      const c = new PssConnector({ ...(await httpSettings('pss', f.pss, opts)), pageSize: f.pss.pageSize, bookingPageSize: f.pss.bookingPageSize, pushChunkSize: f.pss.pushChunkSize, window: f.pss.window, decodeWorkers: f.pss.decodeWorkers });
      closers.push(() => c.close());
      connectors.push(c);
      pss = c;
    }
    if (f.pros) {
      const c = new ProsConnector({
        ...(await httpSettings('pros', f.pros, opts)), ownCarriers: [config.airline.code], pageSize: f.pros.pageSize, dropFolder: f.pros.dropFolder,
        staleAfterMs: f.pros.staleAfterHours * 3_600_000, historyDays: f.pros.historyDays,
      });
      closers.push(() => c.close());
      connectors.push(c);
      demand = c;
    }
    if (f.competitor) {
      const c = new CompetitorConnector({ ...(await httpSettings('competitor', f.competitor, opts)), pageSize: f.competitor.pageSize, baseCurrencies: f.competitor.baseCurrencies, defaultElasticities: f.competitor.defaultElasticities });
      closers.push(() => c.close());
      connectors.push(c);
      competitor = c;
    }
  } catch (e) {
    await Promise.allSettled(closers.map((c) => c()));
    throw e;
  }
  return {
    connectors, pss, demand, competitor, schedule,
    close: async () => { await Promise.allSettled(closers.map((c) => c())); },
  };
}
