/**
 * The one API client. It picks the transport: Electron IPC through the preload's named functions when
 * present, else the local web bridge over HTTP (session cookie) with Server-Sent Events.
 */
import type { ApiInput, ApiOutput, MethodName, Envelope, EventMessage, ApiErrorBody } from '../../engine/api/contract';

export interface DesktopBridge {
  invoke(method: string, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (message: EventMessage) => void): () => void;
}

declare global {
  interface Window { dfae?: DesktopBridge }
}

export class ApiClientError extends Error {
  readonly code: ApiErrorBody['code'];
  readonly field?: string;
  readonly issues?: ApiErrorBody['issues'];
  constructor(method: string, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiClientError';
    this.code = body.code;
    this.field = body.field;
    this.issues = body.issues;
    this.method = method;
  }
  readonly method: string;
}

interface Transport {
  invoke(method: string, input: unknown, signal?: AbortSignal): Promise<Envelope<unknown>>;
  subscribe(listener: (m: EventMessage) => void): () => void;
}

function httpTransport(base = ''): Transport {
  const listeners = new Set<(m: EventMessage) => void>();
  let source: EventSource | null = null;
  const ensureSource = () => {
    if (source) return;
    source = new EventSource(`${base}/api/events`, { withCredentials: true });
    source.onmessage = null;
    const dispatch = (ev: MessageEvent<string>) => {
      const m = JSON.parse(ev.data) as EventMessage;
      for (const l of [...listeners]) l(m);
    };
    // named events: subscribe to each name as it is declared in the contract's EventMap
    for (const name of EVENT_NAMES) source.addEventListener(name, dispatch as EventListener);
  };
  return {
    async invoke(method, input, signal) {
      let res: Response;
      try {
        res = await fetch(`${base}/api/${method}`, {
          method: 'POST', credentials: 'same-origin', signal,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
      } catch (e) {
        if ((e as Error).name === 'AbortError') return { ok: false, error: { code: 'cancelled', message: 'cancelled' } };
        return { ok: false, error: { code: 'unavailable', message: `The workbench backend cannot be reached (${(e as Error).message}). Is npm run web still running?` } };
      }
      try {
        return (await res.json()) as Envelope<unknown>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `The backend answered ${res.status} without a JSON envelope.` } };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      ensureSource();
      return () => { listeners.delete(listener); };
    },
  };
}

function ipcTransport(bridge: DesktopBridge): Transport {
  return {
    invoke: (method, input) => bridge.invoke(method, input),
    subscribe: (listener) => bridge.onEvent(listener),
  };
}

/** Event names, kept in step with EventMap by the type below (a missing name fails typecheck). */
const EVENT_NAME_SET = {
  'feed.progress': true, 'feed.run': true, 'feed.status': true,
  'decisions.changed': true, 'push.progress': true, 'push.result': true, 'alert.raised': true, 'alert.updated': true, 'audit.verified': true,
  'ui.command': true,
  'cycle.progress': true, 'cycle.run': true, 'simulation.progress': true,
} satisfies Record<EventMessage['name'], true>;
const EVENT_NAMES = Object.keys(EVENT_NAME_SET);

const transport: Transport = typeof window !== 'undefined' && window.dfae ? ipcTransport(window.dfae) : httpTransport();

/** Calls an API method; throws ApiClientError with the code and field on an error envelope. */
export async function call<K extends MethodName>(method: K, input: ApiInput<K>, signal?: AbortSignal): Promise<ApiOutput<K>> {
  const env = await transport.invoke(method, input, signal);
  if (!env.ok) throw new ApiClientError(method, env.error);
  return env.result as ApiOutput<K>;
}

export function subscribe(listener: (m: EventMessage) => void): () => void {
  return transport.subscribe(listener);
}

export const transportKind: 'ipc' | 'http' = typeof window !== 'undefined' && window.dfae ? 'ipc' : 'http';
