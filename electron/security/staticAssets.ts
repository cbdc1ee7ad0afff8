/**
 * Serving the built renderer (app/dist) safely, for both hosts: the desktop's app:// protocol handler
 * (`createAppProtocolHandler`) and the web bridge (`serveStaticAsset`, written out by node:http).
 * Paths cannot leave the root (dot segments, encoded separators, NUL, symlinks out), every response
 * carries the CSP and hardening headers, and index.html gets a fresh CSP nonce per response.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, parseUrl } from './appOrigin';
import { buildContentSecurityPolicy, injectCspNonce, newCspNonce, securityHeaders } from './csp';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type AssetPath = { ok: true; file: string; spa: boolean } | { ok: false; status: 400 | 404; reason: string };

/**
 * Maps a URL pathname (still percent-encoded, as in `new URL(...).pathname`) to a file under `root`,
 * lexically: "/" and extension-less paths (client-side routes) map to index.html.
 */
export function resolveAssetPath(root: string, pathname: string): AssetPath {
  if (!pathname.startsWith('/')) return { ok: false, status: 400, reason: 'path must start with /' };
  const segments: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding' };
    }
    if (seg === '' || seg === '.') continue;
    if (seg === '..' || /[/\\\0]/.test(seg) || /^[A-Za-z]:/.test(seg)) return { ok: false, status: 404, reason: 'path escapes the app folder' };
    segments.push(seg);
  }
  const absRoot = path.resolve(root);
  const spa = segments.length === 0 || path.extname(segments[segments.length - 1]!) === '';
  const file = spa ? path.join(absRoot, 'index.html') : path.join(absRoot, ...segments);
  const rel = path.relative(absRoot, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { ok: false, status: 404, reason: 'path escapes the app folder' };
  return { ok: true, file, spa };
}

export interface StaticAssetOptions {
  /** the built renderer folder (app/dist) */
  root: string;
  /** extra connect-src sources for the CSP (see buildContentSecurityPolicy) */
  connectSrc?: readonly string[];
  /** nonce source; tests inject a fixed one */
  newNonce?: () => string;
}

export interface StaticAssetResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Serves one request for the renderer's files. `pathname` as in `new URL(url).pathname`. */
export async function serveStaticAsset(req: { method: string; pathname: string }, opts: StaticAssetOptions): Promise<StaticAssetResponse> {
  const nonce = (opts.newNonce ?? newCspNonce)();
  const headers = securityHeaders(buildContentSecurityPolicy({ nonce, connectSrc: opts.connectSrc }));
  const text = (status: number, message: string, extra: Record<string, string> = {}): StaticAssetResponse => ({
    status,
    headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
    body: Buffer.from(req.method === 'HEAD' ? '' : `${message}\n`),
  });
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed', { Allow: 'GET, HEAD' });

  const resolved = resolveAssetPath(opts.root, req.pathname);
  if (!resolved.ok) return text(resolved.status, resolved.status === 400 ? 'bad request' : 'not found');

  let body: Buffer;
  try {
    // Symlinks must not lead out of the root either.
    const [realRoot, realFile] = await Promise.all([fs.realpath(opts.root), fs.realpath(resolved.file)]);
    const rel = path.relative(realRoot, realFile);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return text(404, 'not found');
    const st = await fs.stat(realFile);
    if (!st.isFile()) return text(404, 'not found');
    body = await fs.readFile(realFile);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return text(404, 'not found');
    throw err;
  }

  const isHtml = path.extname(resolved.file).toLowerCase() === '.html';
  if (isHtml) body = Buffer.from(injectCspNonce(body.toString('utf8'), nonce), 'utf8');
  return {
    status: 200,
    headers: {
      ...headers,
      'Content-Type': contentTypeFor(resolved.file),
      'Content-Length': String(body.length),
      'Cache-Control': isHtml ? 'no-store' : 'no-cache',
    },
    body: req.method === 'HEAD' ? Buffer.alloc(0) : body,
  };
}

/**
 * The handler for `protocol.handle(APP_SCHEME, handler)`: serves app://dfae/… from `root` and refuses
 * any other host of the scheme.
 */
export function createAppProtocolHandler(opts: StaticAssetOptions & { host?: string }): (request: { url: string; method: string }) => Promise<Response> {
  const host = (opts.host ?? APP_HOST).toLowerCase();
  return async (request) => {
    const url = parseUrl(request.url);
    if (!url || url.host.toLowerCase() !== host || url.username || url.password) {
      return new Response('not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
    const res = await serveStaticAsset({ method: request.method, pathname: url.pathname }, opts);
    return new Response(res.body.length ? new Uint8Array(res.body) : null, {
      status: res.status,
      headers: res.headers,
    });
  };
}
