/**
 * IPC sender validation: every `ipcMain.handle` call must come from the main frame of our own window,
 * showing our own origin. A message from another webContents, an iframe, or a page that navigated away
 * (or whose frame is gone) is refused before its input is even parsed.
 */
import { APP_ORIGIN, isAppUrl } from './appOrigin';
import { describeUrl } from './navigation';

export interface IpcSenderInfo {
  webContentsId: number;
  /** URL of the frame that sent the message; undefined when the frame is gone */
  frameUrl: string | undefined;
  isMainFrame: boolean;
}

export interface IpcSenderPolicy {
  /** our window's webContents id, or a function returning it (the window may be re-created) */
  webContentsId: number | (() => number | undefined);
  appOrigin?: string;
}

export type SenderCheck = { ok: true } | { ok: false; reason: string };

export function checkIpcSender(sender: IpcSenderInfo, policy: IpcSenderPolicy): SenderCheck {
  const expected = typeof policy.webContentsId === 'function' ? policy.webContentsId() : policy.webContentsId;
  if (expected === undefined || sender.webContentsId !== expected) {
    return { ok: false, reason: `IPC from webContents ${sender.webContentsId} refused: only the workbench window (${expected ?? 'none open'}) may call` };
  }
  if (sender.frameUrl === undefined) return { ok: false, reason: 'IPC refused: the sending frame is gone' };
  if (!sender.isMainFrame) return { ok: false, reason: `IPC refused: sent from a sub-frame (${describeUrl(sender.frameUrl)})` };
  const origin = policy.appOrigin ?? APP_ORIGIN;
  if (!isAppUrl(sender.frameUrl, origin)) return { ok: false, reason: `IPC refused: the sending page ${describeUrl(sender.frameUrl)} is not ${origin}` };
  return { ok: true };
}

/** The part of Electron's IpcMainInvokeEvent / IpcMainEvent the check reads. */
export interface IpcEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** Extracts the sender facts from an Electron IPC event (pass the event as is). */
export function ipcSenderInfo(event: IpcEventLike): IpcSenderInfo {
  let frame: IpcEventLike['senderFrame'] = null;
  try {
    // senderFrame is a getter that can throw once the frame is destroyed.
    frame = event.senderFrame;
  } catch {
    frame = null;
  }
  return {
    webContentsId: event.sender.id,
    frameUrl: frame ? frame.url : undefined,
    isMainFrame: frame ? frame.parent === null : false,
  };
}
