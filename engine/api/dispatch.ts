/**
 * The dispatcher: validates a call's input against the contract, checks the caller's role, runs the
 * handler, and answers with an envelope. Every transport (in-process, IPC, HTTP) goes through here.
 */
import type { z } from 'zod';
import type { ContractShape, Envelope, ParsedInputOf, OutputOf, Role, ApiErrorBody, MethodSpec } from './contract/define';
import { ApiError } from './errors';
import { storeWriteError } from '../store/integrity';

export interface Caller {
  /** user login, or a system actor such as "system:headless" */
  user: string;
  /** null when nobody is logged in */
  role: Role | null;
}

export interface CallContext {
  caller: Caller;
  transport: 'inproc' | 'ipc' | 'http';
  signal?: AbortSignal;
  /** the transport's session, when it has one (the web bridge and IPC keep a login per session) */
  session?: { id: string; setCaller(caller: Caller | null): void };
}

export type Handler<M> = (input: ParsedInputOf<M>, ctx: CallContext) => OutputOf<M> | Promise<OutputOf<M>>;
export type Handlers<C extends ContractShape> = { [K in keyof C]: Handler<C[K]> };

export interface Dispatcher {
  call(method: string, input: unknown, ctx: CallContext): Promise<Envelope<unknown>>;
  has(method: string): boolean;
  methods(): string[];
}

export function zodIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => {
    const keys = (i as { keys?: string[] }).keys;
    // an empty key ('' in the input, or an empty path segment) is named as "" so the field is never blank
    const name = (k: PropertyKey): string => (k === '' ? '""' : String(k));
    const field = i.path.length > 0 ? i.path.map(name).join('.') : keys?.length ? keys.map(name).join(',') : '(input)';
    return { field, message: i.message };
  });
}

function roleAllowed(spec: MethodSpec, caller: Caller): ApiError | null {
  if (spec.access === 'public') return null;
  if (caller.role === null) return new ApiError('unauthenticated', 'Log in first: this method needs a signed-in user.');
  if (spec.access === 'read') return null;
  if (spec.access.includes(caller.role)) return null;
  return new ApiError('forbidden', `Your role (${caller.role}) may not do this; it needs ${spec.access.join(' or ')}.`);
}

export function createDispatcher<C extends ContractShape>(
  contract: C,
  handlers: Handlers<C>,
  opts: { onInternalError?: (method: string, error: unknown) => void } = {},
): Dispatcher {
  const table = new Map<string, { spec: MethodSpec; handler: (input: unknown, ctx: CallContext) => unknown }>();
  for (const name of Object.keys(contract)) {
    const handler = handlers[name as keyof C] as unknown as ((input: unknown, ctx: CallContext) => unknown) | undefined;
    if (!handler) throw new Error(`API method "${name}" has no handler`);
    table.set(name, { spec: contract[name]!, handler });
  }
  return {
    has: (m) => table.has(m),
    methods: () => [...table.keys()].sort(),
    async call(method, input, ctx): Promise<Envelope<unknown>> {
      const entry = typeof method === 'string' ? table.get(method) : undefined;
      if (!entry) {
        return { ok: false, error: { code: 'unknown_method', message: `Unknown API method "${String(method).slice(0, 80)}". Known methods: ${[...table.keys()].join(', ')}.` } };
      }
      const denied = roleAllowed(entry.spec, ctx.caller);
      if (denied) return { ok: false, error: denied.toBody() };
      const parsed = entry.spec.input.safeParse(input === undefined ? {} : input);
      if (!parsed.success) {
        const issues = zodIssues(parsed.error);
        const first = issues[0]!;
        return { ok: false, error: { code: 'validation', message: `Invalid input for ${method}: ${first.field}: ${first.message}`, field: first.field, issues } };
      }
      try {
        const result = await entry.handler(parsed.data, ctx);
        return { ok: true, result };
      } catch (e) {
        if (e instanceof ApiError) return { ok: false, error: e.toBody() };
        opts.onInternalError?.(method, e);
        // a write the machine refused (disk full, read-only, I/O error): a clear answer, nothing was kept
        const refused = storeWriteError(e, method);
        if (refused) return { ok: false, error: { code: 'unavailable', message: refused.message } };
        const body: ApiErrorBody = { code: 'internal', message: `${method} failed: ${e instanceof Error ? e.message : String(e)}` };
        return { ok: false, error: body };
      }
    },
  };
}

/** A typed in-process client over a dispatcher, throwing ApiError on an error envelope. */
export function inProcessClient<C extends ContractShape>(dispatcher: Dispatcher, caller: Caller) {
  return async function call<K extends keyof C & string>(method: K, input: z.input<C[K]['input']>): Promise<OutputOf<C[K]>> {
    const env = await dispatcher.call(method, input, { caller, transport: 'inproc' });
    if (!env.ok) throw new ApiError(env.error.code, env.error.message, { field: env.error.field, issues: env.error.issues });
    return env.result as OutputOf<C[K]>;
  };
}
