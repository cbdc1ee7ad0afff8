import { z } from 'zod';
import { method } from './define';
import { feedName, limit } from './common';
import type { FeedName, FeedState } from '../../domain/types';

import type { BreakerState } from '../../ports/feed-sync';

export type { BreakerState };

export interface FeedRunRow {
  id: number;
  feed: FeedName;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'ok' | 'degraded' | 'failed' | 'fallback' | 'cancelled';
  recordsIn: number;
  recordsWritten: number;
  recordsQuarantined: number;
  retries: number;
  latencyMs: number | null;
  durationMs: number | null;
  breakerTransitions: { at: string; from: BreakerState; to: BreakerState; reason: string }[];
  error: string | null;
  detail: Record<string, unknown>;
}

export interface FeedStatus {
  feed: FeedName;
  label: string;
  state: FeedState;
  /** why the state is what it is, in one line */
  reason: string;
  breaker: BreakerState;
  endpoint: string;
  lastRun: FeedRunRow | null;
  lastSuccessAt: string | null;
  lastSuccessAgeSeconds: number | null;
  /** age of the data the engines use when in fallback */
  fallbackAgeSeconds: number | null;
  running: boolean;
}

export interface QuarantineRow {
  id: number;
  feed: FeedName;
  feedRunId: number | null;
  source: string;
  location: string;
  field: string | null;
  reason: string;
  payload: string;
  createdAt: string;
}

export interface ScheduleMismatchRow {
  flightId: string;
  kind: string;
  detail: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

export const feedsContract = {
  'feeds.mismatches': method<ScheduleMismatchRow[]>()({
    description: 'Open mismatches between the planned schedule (network planning) and the PSS operated flights; neither side is overwritten.',
    access: 'read',
    input: z.object({ limit: limit(10_000, 1_000) }).strict(),
  }),
  'feeds.status': method<FeedStatus[]>()({
    description: 'State of each external feed: ok / degraded / down / fallback, breaker, last run and success.',
    access: 'read',
    input: z.object({}).strict(),
  }),
  'feeds.sync': method<{ runs: FeedRunRow[] }>()({
    description: 'Synchronise feeds now. With wait=false it returns the started runs at once; progress arrives as feed.progress events.',
    access: 'read',
    writes: ['feed_runs', 'feed_cursors', 'quarantine', 'carriers', 'airports', 'rbds', 'flights', 'flight_cabins', 'fares', 'inventory', 'inventory_snapshots', 'bookings',
      'demand', 'route_performance', 'competitor_fares', 'elasticities', 'exchange_rates', 'planned_legs', 'codeshares', 'calendar_events', 'schedule_mismatches'],
    input: z.object({
      feeds: z.array(feedName).min(1).optional(),
      wait: z.boolean().default(true),
    }).strict(),
  }),
  'feeds.cancel': method<{ cancelled: boolean }>()({
    description: 'Cancel a running sync; pages already committed stay, the cursor resumes from them.',
    access: 'read',
    input: z.object({ runId: z.number().int().positive() }).strict(),
  }),
  'feeds.runs': method<FeedRunRow[]>()({
    description: 'Run history, newest first.',
    access: 'read',
    input: z.object({ feed: feedName.optional(), limit: limit(1_000, 50) }).strict(),
  }),
  'feeds.quarantine': method<{ rows: QuarantineRow[]; total: number }>()({
    description: 'Quarantined records with their reasons, newest first.',
    access: 'read',
    input: z.object({ feed: feedName.optional(), runId: z.number().int().positive().optional(), limit: limit(1_000, 100), offset: z.number().int().min(0).default(0) }).strict(),
  }),
};
