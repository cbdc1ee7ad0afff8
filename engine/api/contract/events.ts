import type { FeedName } from '../../domain/types';
import type { FeedRunRow, FeedStatus } from './feeds';
import type { AuditStatus, DecisionsChangedEvent, PushBatchRow, PushProgressEvent } from './decisions';
import type { AlertRow } from './monitoring';
import type { CycleProgressEvent, CycleRunRow } from './cycle';
import type { SimulationJob } from './simulations';

/** Push events: name → payload. Delivered over IPC, Server-Sent Events and in-process. */
export interface EventMap {
  'feed.progress': { feed: FeedName; runId: number; phase: string; recordsIn: number; recordsWritten: number; recordsQuarantined: number; total: number | null };
  'feed.run': FeedRunRow;
  'feed.status': FeedStatus;
  'decisions.changed': DecisionsChangedEvent;
  'push.progress': PushProgressEvent;
  'push.result': PushBatchRow;
  'alert.raised': AlertRow;
  'alert.updated': AlertRow;
  'audit.verified': AuditStatus;
  /** the full cycle (engine/cycle): progress of the step in progress, and the run as it starts and finishes */
  'cycle.progress': CycleProgressEvent;
  'cycle.run': CycleRunRow;
  /** a simulation started from the workbench: started, a trial done, ended */
  'simulation.progress': SimulationJob;
  /** desktop menu commands for the renderer (navigate to a screen, toggle the theme) */
  'ui.command': { command: 'navigate'; screen: string } | { command: 'toggle-theme' };
}

export type EventName = keyof EventMap;
/** A delivered event: a union discriminated by name. */
export type EventMessage = { [K in EventName]: { name: K; payload: EventMap[K]; at: string } }[EventName];
