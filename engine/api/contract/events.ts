import type { FeedName } from '../../domain/types';
import type { FeedRunRow, FeedStatus } from './feeds';

/** Push events: name → payload. Delivered over IPC, Server-Sent Events and in-process. */
export interface EventMap {
  'feed.progress': { feed: FeedName; runId: number; phase: string; recordsIn: number; recordsWritten: number; recordsQuarantined: number; total: number | null };
  'feed.run': FeedRunRow;
  'feed.status': FeedStatus;
}

export type EventName = keyof EventMap;
/** A delivered event: a union discriminated by name. */
export type EventMessage = { [K in EventName]: { name: K; payload: EventMap[K]; at: string } }[EventName];
