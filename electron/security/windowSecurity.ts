/**
 * The glue between the pure decisions and Electron's objects. It takes the window structurally, so it
 * never imports electron and is tested with plain objects; pass a real BrowserWindow and `shell.openExternal`.
 */
import { APP_ORIGIN } from './appOrigin';
import { decideNavigation, decideWindowOpen, describeUrl, type ExternalUrlOptions } from './navigation';

export interface PreventableEvent {
  preventDefault(): void;
}

/** will-navigate / will-frame-navigate / will-redirect: Electron passes the URL on the event (and, deprecated, as 2nd argument). */
export interface NavigationEventLike extends PreventableEvent {
  readonly url?: string;
}

export interface SessionLike {
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean) | null): void;
  setDevicePermissionHandler?(handler: ((details: unknown) => boolean) | null): void;
}

export interface WebContentsLike {
  readonly id: number;
  readonly session: SessionLike;
  on(event: 'will-navigate', listener: (event: NavigationEventLike, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEventLike, url: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: NavigationEventLike) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface WindowLike {
  readonly webContents: WebContentsLike;
}

export type SecurityEvent =
  | { kind: 'navigation-blocked'; url: string; reason: string }
  | { kind: 'window-open-blocked'; url: string; reason: string }
  | { kind: 'opened-externally'; url: string }
  | { kind: 'open-external-failed'; url: string; error: string }
  | { kind: 'permission-denied'; permission: string; origin: string }
  | { kind: 'webview-blocked' };

export interface WindowSecurityDeps {
  /** Electron's shell.openExternal */
  openExternal(url: string): Promise<void>;
  appOrigin?: string;
  external?: ExternalUrlOptions;
  /** a logger for what was blocked (URLs are reduced to scheme, host and path) */
  onEvent?(event: SecurityEvent): void;
}

/** Installs the navigation, new-window, webview and permission guards on a window and its session. */
export function applyWindowSecurity(win: WindowLike, deps: WindowSecurityDeps): void {
  const appOrigin = deps.appOrigin ?? APP_ORIGIN;
  const report = (e: SecurityEvent) => deps.onEvent?.(e);
  const wc = win.webContents;

  const guardNavigation = (event: NavigationEventLike, urlArg?: string) => {
    const url = event.url ?? urlArg;
    const d = decideNavigation(url, appOrigin);
    if (!d.allow) {
      event.preventDefault();
      report({ kind: 'navigation-blocked', url: describeUrl(url), reason: d.reason });
    }
  };
  wc.on('will-navigate', guardNavigation);
  wc.on('will-frame-navigate', (event) => guardNavigation(event));
  wc.on('will-redirect', guardNavigation);
  wc.on('will-attach-webview', (event) => {
    event.preventDefault();
    report({ kind: 'webview-blocked' });
  });

  wc.setWindowOpenHandler(({ url }) => {
    const d = decideWindowOpen(url, appOrigin, deps.external);
    if (d.openExternally) {
      const target = d.openExternally;
      deps.openExternal(target).then(
        () => report({ kind: 'opened-externally', url: describeUrl(target) }),
        (err: unknown) => report({ kind: 'open-external-failed', url: describeUrl(target), error: err instanceof Error ? err.message : String(err) }),
      );
    } else {
      report({ kind: 'window-open-blocked', url: describeUrl(url), reason: d.reason });
    }
    return { action: 'deny' };
  });

  denyAllPermissions(wc.session, report);
}

/** Denies every permission request and check (camera, notifications, clipboard-read, HID, ...). */
export function denyAllPermissions(session: SessionLike, report: (e: SecurityEvent) => void = () => undefined): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    report({ kind: 'permission-denied', permission, origin: requestOrigin(details) });
    callback(false);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => {
    report({ kind: 'permission-denied', permission, origin: describeUrl(requestingOrigin) });
    return false;
  });
  session.setDevicePermissionHandler?.(() => false);
}

function requestOrigin(details: unknown): string {
  const url = details && typeof details === 'object' && 'requestingUrl' in details ? (details as { requestingUrl: unknown }).requestingUrl : undefined;
  return describeUrl(url);
}
