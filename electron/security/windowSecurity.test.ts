/**
 * applyWindowSecurity against a plain-object stand-in for Electron's BrowserWindow (Electron's API, not
 * ours; the real types are checked by electronTypes.test.ts and the live behaviour by the _electron suite).
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { applyWindowSecurity, type SecurityEvent, type SessionLike } from './windowSecurity';

function fakeWindow() {
  const emitter = new EventEmitter();
  const handlers: {
    windowOpen?: (d: { url: string }) => { action: 'deny' };
    request?: Parameters<SessionLike['setPermissionRequestHandler']>[0];
    check?: Parameters<SessionLike['setPermissionCheckHandler']>[0];
    device?: ((d: unknown) => boolean) | null;
  } = {};
  const session: SessionLike = {
    setPermissionRequestHandler: (h) => { handlers.request = h; },
    setPermissionCheckHandler: (h) => { handlers.check = h; },
    setDevicePermissionHandler: (h) => { handlers.device = h; },
  };
  const webContents = {
    id: 1,
    session,
    on: (event: string, listener: (...args: never[]) => void) => emitter.on(event, listener as (...args: unknown[]) => void),
    setWindowOpenHandler: (h: (d: { url: string }) => { action: 'deny' }) => { handlers.windowOpen = h; },
  };
  return { win: { webContents }, emitter, handlers };
}

function navEvent(url?: string) {
  return { url, prevented: false, preventDefault() { this.prevented = true; } };
}

function setup() {
  const f = fakeWindow();
  const opened: string[] = [];
  const events: SecurityEvent[] = [];
  applyWindowSecurity(f.win, { openExternal: async (u) => { opened.push(u); }, onEvent: (e) => events.push(e) });
  return { ...f, opened, events };
}

describe('applyWindowSecurity', () => {
  it('lets the window navigate within the app and blocks everything else', () => {
    const { emitter, events } = setup();
    const own = navEvent('app://dfae/index.html');
    emitter.emit('will-navigate', own, own.url);
    expect(own.prevented).toBe(false);
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      const away = navEvent('https://evil.example/phish?token=secret');
      emitter.emit(name, away, away.url);
      expect(away.prevented, name).toBe(true);
    }
    expect(events.filter((e) => e.kind === 'navigation-blocked')).toHaveLength(3);
    expect(JSON.stringify(events)).not.toContain('token=secret');
  });

  it('uses the deprecated URL argument when the event carries none', () => {
    const { emitter } = setup();
    const e = navEvent(undefined);
    emitter.emit('will-navigate', e, 'file:///etc/passwd');
    expect(e.prevented).toBe(true);
  });

  it('blocks <webview> attachment', () => {
    const { emitter, events } = setup();
    const e = navEvent();
    emitter.emit('will-attach-webview', e);
    expect(e.prevented).toBe(true);
    expect(events).toContainEqual({ kind: 'webview-blocked' });
  });

  it('never opens windows, and opens only valid https links externally', async () => {
    const { handlers, opened, events } = setup();
    for (const url of ['https://example.com/help', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://dfae/again']) {
      expect(handlers.windowOpen!({ url })).toEqual({ action: 'deny' });
    }
    await Promise.resolve();
    expect(opened).toEqual(['https://example.com/help']);
    expect(events.filter((e) => e.kind === 'window-open-blocked')).toHaveLength(4);
  });

  it('reports a failing openExternal instead of throwing', async () => {
    const f = fakeWindow();
    const events: SecurityEvent[] = [];
    applyWindowSecurity(f.win, { openExternal: async () => { throw new Error('no browser'); }, onEvent: (e) => events.push(e) });
    f.handlers.windowOpen!({ url: 'https://example.com/' });
    await new Promise((r) => setImmediate(r));
    expect(events).toContainEqual({ kind: 'open-external-failed', url: 'https://example.com/', error: 'no browser' });
  });

  it('denies every permission request and check', () => {
    const { handlers, events } = setup();
    const answers: boolean[] = [];
    for (const p of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      handlers.request!({}, p, (granted) => answers.push(granted), { requestingUrl: 'app://dfae/index.html' });
      answers.push(handlers.check!({}, p, 'app://dfae', {}));
    }
    expect(answers).toHaveLength(10);
    expect(answers.every((a) => a === false)).toBe(true);
    expect(handlers.device!({})).toBe(false);
    expect(events.filter((e) => e.kind === 'permission-denied')).toHaveLength(10);
  });
});
