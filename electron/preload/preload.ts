/**
 * The preload: exposes named functions only (no ipcRenderer, no generic send) through contextBridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const IPC_INVOKE = 'dfae:invoke';
const IPC_EVENT = 'dfae:event';

function invoke(method: string, input: unknown): Promise<unknown> {
  return ipcRenderer.invoke(IPC_INVOKE, method, input);
}

function onEvent(listener: (message: unknown) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, message: unknown) => listener(message);
  ipcRenderer.on(IPC_EVENT, wrapped);
  return () => { ipcRenderer.removeListener(IPC_EVENT, wrapped); };
}

contextBridge.exposeInMainWorld('dfae', { invoke, onEvent });
