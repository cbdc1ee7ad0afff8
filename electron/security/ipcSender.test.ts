import { describe, expect, it } from 'vitest';
import { checkIpcSender, ipcSenderInfo, type IpcEventLike } from './ipcSender';

const main = { webContentsId: 7, frameUrl: 'app://dfae/index.html', isMainFrame: true };

describe('checkIpcSender', () => {
  it('accepts the main frame of our window on our origin', () => {
    expect(checkIpcSender(main, { webContentsId: 7 })).toEqual({ ok: true });
    expect(checkIpcSender(main, { webContentsId: () => 7 })).toEqual({ ok: true });
  });

  it.each([
    [{ ...main, webContentsId: 8 }, /webContents 8 refused/],
    [{ ...main, frameUrl: undefined }, /frame is gone/],
    [{ ...main, isMainFrame: false }, /sub-frame/],
    [{ ...main, frameUrl: 'https://evil.example/' }, /not app:\/\/dfae/],
    [{ ...main, frameUrl: 'file:///home/u/index.html' }, /not app:\/\/dfae/],
    [{ ...main, frameUrl: 'app://other/index.html' }, /not app:\/\/dfae/],
  ])('refuses %o', (sender, reason) => {
    const r = checkIpcSender(sender, { webContentsId: 7 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('refuses everything while no window is open', () => {
    expect(checkIpcSender(main, { webContentsId: () => undefined }).ok).toBe(false);
  });
});

describe('ipcSenderInfo', () => {
  it('reads id, frame URL and main-frame-ness from an IPC event', () => {
    const top = { url: 'app://dfae/', parent: null };
    expect(ipcSenderInfo({ sender: { id: 3 }, senderFrame: top })).toEqual({ webContentsId: 3, frameUrl: 'app://dfae/', isMainFrame: true });
    expect(ipcSenderInfo({ sender: { id: 3 }, senderFrame: { url: 'app://dfae/x', parent: top } }).isMainFrame).toBe(false);
    expect(ipcSenderInfo({ sender: { id: 3 }, senderFrame: null })).toEqual({ webContentsId: 3, frameUrl: undefined, isMainFrame: false });
  });

  it('treats a destroyed frame (throwing getter) as gone', () => {
    const event = { sender: { id: 3 }, get senderFrame(): IpcEventLike['senderFrame'] { throw new Error('Render frame was disposed'); } };
    expect(ipcSenderInfo(event).frameUrl).toBeUndefined();
  });
});
