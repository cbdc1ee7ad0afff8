/**
 * The Content-Security-Policy of the renderer, sent as a response header (the app:// protocol handler
 * and the web bridge both use `staticAssets.ts`, which applies it), plus the other hardening headers.
 *
 * Why each source is there:
 * - script-src 'self': our bundle only; no 'unsafe-eval' (ag-grid needs eval only for string expressions
 *   in column definitions, which we never use: always functions) and no inline scripts.
 * - style-src 'self' 'nonce-…': ag-grid 36 themes inject <style> elements at run time. Without a nonce that
 *   would need 'unsafe-inline'; with the grid option `styleNonce` set to this response's nonce it does not.
 *   The nonce reaches the page through Vite's `html.cspNonce` placeholder (a <meta property="csp-nonce">
 *   and nonce attributes on Vite's own tags), replaced per response. Inline style *attributes* set from
 *   script (React `style`, ag-grid positioning, recharts) go through the CSSOM, which CSP does not block.
 * - img-src 'self' data:: ag-grid's theme icons are SVG data: URLs inside its CSS.
 * - connect-src 'self': the web build calls /api and /events on its own origin; nothing else.
 * - object-src, frame-src, media-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';

/** What Vite writes where the nonce goes (`html: { cspNonce: CSP_NONCE_PLACEHOLDER }` in app/vite.config.ts). */
export const CSP_NONCE_PLACEHOLDER = 'DFAE_CSP_NONCE';

export interface CspOptions {
  /** this response's nonce (newCspNonce()) */
  nonce: string;
  /** extra connect-src sources, e.g. a dev server's ws://127.0.0.1:5173; 'self' is always included */
  connectSrc?: readonly string[];
}

const NONCE_RE = /^[A-Za-z0-9+/_-]{22,}={0,2}$/;
// A host-source or scheme-source, without wildcards, keywords or separators.
const SOURCE_RE = /^(?:(?:https?|wss?):\/\/(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?(?:\/[^\s;,']*)?)$/;

export function buildContentSecurityPolicy(opts: CspOptions): string {
  if (typeof opts.nonce !== 'string' || !NONCE_RE.test(opts.nonce)) {
    throw new Error('buildContentSecurityPolicy: nonce must be at least 128 bits of base64 (use newCspNonce())');
  }
  for (const src of opts.connectSrc ?? []) {
    if (!SOURCE_RE.test(src)) throw new Error(`buildContentSecurityPolicy: connectSrc entry ${JSON.stringify(src)} is not an explicit http(s)/ws(s) origin`);
  }
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['script-src-attr', ["'none'"]],
    ['style-src', ["'self'", `'nonce-${opts.nonce}'`]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...(opts.connectSrc ?? [])]],
    ['worker-src', ["'self'"]],
    ['media-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** A fresh nonce (144 random bits, base64) for one response. */
export function newCspNonce(randomBytes: (n: number) => Uint8Array = nodeRandomBytes): string {
  return Buffer.from(randomBytes(18)).toString('base64');
}

/** Puts this response's nonce where Vite left the placeholder. */
export function injectCspNonce(html: string, nonce: string): string {
  if (!NONCE_RE.test(nonce)) throw new Error('injectCspNonce: invalid nonce');
  return html.split(CSP_NONCE_PLACEHOLDER).join(nonce);
}

/** Parses a policy into directive → sources (for tests and diagnostics). */
export function parseContentSecurityPolicy(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/** Headers for every response of the renderer's origin. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), payment=(), display-capture=()',
  };
}
