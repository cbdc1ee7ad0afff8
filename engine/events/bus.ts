/** The in-process typed event bus: feed progress, runs, push results, alerts. */
import type { EventMap, EventMessage, EventName } from '../api/contract/events';
import type { Clock } from '../domain/time';

export type EventListener = (message: EventMessage) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  constructor(private readonly clock: Clock) {}

  emit<K extends EventName>(name: K, payload: EventMap[K]): void {
    const message = { name, payload, at: this.clock.now().toISOString() } as EventMessage;
    for (const l of [...this.listeners]) {
      try { l(message); } catch { /* a listener's failure never stops the others */ }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  get size(): number { return this.listeners.size; }
}
