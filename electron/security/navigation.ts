/**
 * Navigation and new-window decisions, as pure functions of URLs. The renderer may only ever show our
 * own origin; links to the web open in the system browser, and only plain https ones.
 */
import { APP_ORIGIN, isAppUrl, parseUrl } from './appOrigin';

export type Decision = { allow: true } | { allow: false; reason: string };

/** `will-navigate`, `will-frame-navigate`, `will-redirect`: allow our own origin, deny everything else. */
export function decideNavigation(url: unknown, appOrigin: string = APP_ORIGIN): Decision {
  if (isAppUrl(url, appOrigin)) return { allow: true };
  return { allow: false, reason: `navigation away from ${appOrigin} is not allowed: ${describeUrl(url)}` };
}

export type ExternalUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

export interface ExternalUrlOptions {
  /** when given, only these host names (exact, lower-case) may be opened */
  allowHosts?: readonly string[];
}

/**
 * Whether a URL may be handed to the system browser (`shell.openExternal`): https only (no file:,
 * javascript:, data:, custom schemes that launch other programs), no credentials, no whitespace or
 * control characters, at most 2048 characters. Returns the normalised URL to open.
 */
export function validateExternalUrl(raw: unknown, opts: ExternalUrlOptions = {}): ExternalUrlCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'not a string' };
  if (raw.length > 2048) return { ok: false, reason: 'longer than 2048 characters' };
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return { ok: false, reason: 'contains whitespace or control characters' };
  const url = parseUrl(raw);
  if (!url) return { ok: false, reason: 'not a valid URL' };
  if (url.protocol !== 'https:') return { ok: false, reason: `scheme ${url.protocol} is not allowed (https only)` };
  if (url.username || url.password) return { ok: false, reason: 'URLs with credentials are not allowed' };
  if (!url.hostname) return { ok: false, reason: 'no host' };
  if (opts.allowHosts && !opts.allowHosts.includes(url.hostname.toLowerCase())) return { ok: false, reason: `host ${url.hostname} is not in the allowed list` };
  return { ok: true, url: url.href };
}

export type WindowOpenDecision = { action: 'deny'; openExternally?: string; reason: string };

/**
 * `setWindowOpenHandler`: never create a window. A valid external https link is opened in the system
 * browser instead; anything else (our own origin, other schemes) is just denied.
 */
export function decideWindowOpen(url: unknown, appOrigin: string = APP_ORIGIN, opts: ExternalUrlOptions = {}): WindowOpenDecision {
  if (isAppUrl(url, appOrigin)) return { action: 'deny', reason: 'new windows of the app are not allowed' };
  const ext = validateExternalUrl(url, opts);
  if (ext.ok) return { action: 'deny', openExternally: ext.url, reason: 'opened in the system browser' };
  return { action: 'deny', reason: `not opened: ${ext.reason}` };
}

/** A URL for a log line: scheme, host and path, capped, never the query (it may carry tokens). */
export function describeUrl(raw: unknown): string {
  const url = parseUrl(raw);
  if (!url) return typeof raw === 'string' ? JSON.stringify(raw.slice(0, 60)) : String(typeof raw);
  const shown = url.host ? `${url.protocol}//${url.host}${url.pathname}` : `${url.protocol}${url.pathname.slice(0, 40)}`;
  return shown.slice(0, 200);
}
