/**
 * The IPC side of the API, free of Electron: one `invoke` channel answering envelopes. The Electron
 * glue (electron/main) registers `handleInvoke` with ipcMain.handle after checking the sender.
 */
import type { Dispatcher, Caller } from '../../engine/api/dispatch';
import type { Envelope } from '../../engine/api/contract/define';

export const IPC_INVOKE = 'dfae:invoke';
export const IPC_EVENT = 'dfae:event';

export interface IpcSession { caller: Caller | null }

/** Validates the raw IPC arguments and dispatches; never throws across the bridge. */
export async function handleInvoke(dispatcher: Dispatcher, session: IpcSession, method: unknown, input: unknown): Promise<Envelope<unknown>> {
  if (typeof method !== 'string' || method.length > 100) {
    return { ok: false, error: { code: 'validation', message: 'IPC invoke needs a method name (string)', field: 'method' } };
  }
  try {
    return await dispatcher.call(method, input, {
      caller: session.caller ?? { user: 'anonymous', role: null },
      transport: 'ipc',
      session: { id: 'desktop', setCaller: (c) => { session.caller = c; } },
    });
  } catch (e) {
    return { ok: false, error: { code: 'internal', message: `${method} failed: ${(e as Error).message}` } };
  }
}
