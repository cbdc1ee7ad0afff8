/**
 * The workbench's own origin. The desktop renderer is served from a privileged custom scheme,
 * `app://dfae/`, never from file:// (a file:// page shares its origin with every local file).
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'dfae';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the main process loads: `win.loadURL(APP_ENTRY_URL)`. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Pass to `protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])` before app "ready".
 * standard + secure give the scheme a real origin and a secure context (module scripts, storage);
 * supportFetchAPI lets the page load its own module chunks; corsEnabled stays off so no other
 * origin can read app:// responses; bypassCSP stays off so our CSP applies to it.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    corsEnabled: false,
    bypassCSP: false,
    allowServiceWorkers: false,
    stream: false,
    codeCache: true,
  },
} as const;

/** Parses a URL, or returns undefined for anything the WHATWG parser rejects. */
export function parseUrl(raw: unknown): URL | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 8192) return undefined;
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/**
 * `scheme://host[:port]` of a URL. Unlike `URL.origin`, which Node reports as "null" for schemes it
 * does not know (app:), this gives the origin Chromium uses for a registered standard scheme.
 * file: URLs have no origin we trust: returns undefined.
 */
export function originOf(url: URL): string | undefined {
  if (url.protocol === 'file:' || url.host === '') return undefined;
  return `${url.protocol}//${url.host}`.toLowerCase();
}

/** True when `raw` is a URL of our own app origin (e.g. app://dfae/...). */
export function isAppUrl(raw: unknown, appOrigin: string = APP_ORIGIN): boolean {
  const url = parseUrl(raw);
  if (!url || url.username || url.password) return false;
  return originOf(url) === appOrigin.toLowerCase();
}
