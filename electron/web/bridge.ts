/**
 * The local web bridge: the same API over HTTP on 127.0.0.1, events as Server-Sent Events, and the
 * built renderer as static files. A per-launch token in the printed URL is exchanged once for an
 * HttpOnly, SameSite=Strict session cookie, so EventSource works without headers.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Dispatcher, Caller } from '../../engine/api/dispatch';
import { HTTP_STATUS, type Envelope } from '../../engine/api/contract/define';
import type { EventBus } from '../../engine/events/bus';

export interface WebBridgeOptions {
  dispatcher: Dispatcher;
  events: EventBus;
  /** folder of the built renderer (index.html + assets); omitted = API only */
  staticDir?: string;
  port?: number;
  /** per-launch token; generated when omitted */
  token?: string;
  /** the caller of a session before anyone logs in (null: nobody; only public methods) */
  initialCaller: Caller | null;
  maxBodyBytes?: number;
  heartbeatMs?: number;
  /** extra response headers on HTML (the content security policy) */
  htmlHeaders?: Record<string, string>;
  log?: (line: string) => void;
}

export interface WebBridge {
  readonly port: number;
  readonly origin: string;
  /** the URL to open, with the one-time token */
  readonly url: string;
  readonly token: string;
  /** issues a new one-time URL (for a second browser) */
  newLoginUrl(): string;
  close(): Promise<void>;
}

interface Session { id: string; caller: Caller | null; createdAt: number }

const COOKIE = 'dfae_session';
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.map': 'application/json',
};

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function errorEnvelope(status: number, code: keyof typeof HTTP_STATUS, message: string): [number, Envelope<never>] {
  return [status, { ok: false, error: { code, message } }];
}

export async function startWebBridge(opts: WebBridgeOptions): Promise<WebBridge> {
  const maxBody = opts.maxBodyBytes ?? 1_048_576;
  const sessions = new Map<string, Session>();
  const loginTokens = new Set<string>();
  const apiToken = opts.token ?? randomBytes(24).toString('base64url');
  loginTokens.add(apiToken);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const log = opts.log ?? (() => {});

  function sessionOf(req: http.IncomingMessage): Session | undefined {
    const id = parseCookies(req.headers.cookie)[COOKIE];
    return id ? sessions.get(id) : undefined;
  }

  function bearerOk(req: http.IncomingMessage): boolean {
    const h = req.headers.authorization;
    return !!h && h.startsWith('Bearer ') && safeEqual(h.slice(7), apiToken);
  }

  /** Host must be ours (DNS rebinding); Origin, when sent, must be ours (cross-site requests). */
  function foreign(req: http.IncomingMessage): string | null {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return `foreign Host header "${host.slice(0, 100)}"`;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return `foreign Origin "${origin.slice(0, 100)}"`;
    return null;
  }

  async function readBody(req: http.IncomingMessage): Promise<string> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) throw Object.assign(new Error(`request body of ${declared} bytes exceeds the ${maxBody}-byte limit`), { status: 413 });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBody) throw Object.assign(new Error(`request body exceeds the ${maxBody}-byte limit`), { status: 413 });
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string, session: Session | undefined): Promise<void> {
    if (req.method !== 'POST') { res.setHeader('allow', 'POST'); return sendJson(res, ...errorEnvelope(405, 'validation', `Use POST /api/${method}`)); }
    let input: unknown = {};
    try {
      const text = await readBody(req);
      if (text.trim() !== '') input = JSON.parse(text);
    } catch (e) {
      const status = (e as { status?: number }).status ?? 400;
      return sendJson(res, ...errorEnvelope(status, 'validation', status === 413 ? (e as Error).message : `request body is not valid JSON: ${(e as Error).message}`));
    }
    const caller: Caller = session?.caller ?? (bearerOk(req) ? opts.initialCaller ?? { user: 'anonymous', role: null } : { user: 'anonymous', role: null });
    const ac = new AbortController();
    res.on('close', () => { if (!res.writableFinished) ac.abort(); });
    const env = await opts.dispatcher.call(method, input, {
      caller, transport: 'http', signal: ac.signal,
      session: session ? { id: session.id, setCaller: (c) => { session.caller = c; } } : undefined,
    });
    sendJson(res, env.ok ? 200 : HTTP_STATUS[env.error.code], env);
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = opts.events.subscribe((m) => { res.write(`event: ${m.name}\ndata: ${JSON.stringify(m)}\n\n`); });
    const hb = setInterval(() => res.write(': heartbeat\n\n'), opts.heartbeatMs ?? 15_000);
    hb.unref();
    req.on('close', () => { clearInterval(hb); unsubscribe(); });
  }

  function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): void {
    if (!opts.staticDir) return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'no renderer is served by this bridge' } });
    const root = path.resolve(opts.staticDir);
    let rel = decodeURIComponent(pathname);
    if (rel === '/' || !path.extname(rel)) rel = '/index.html'; // client-side routes
    const file = path.resolve(root, `.${rel}`);
    if (!file.startsWith(root + path.sep)) return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'path outside the app' } });
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
      const ext = path.extname(file);
      const headers: Record<string, string> = { 'content-type': MIME[ext] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff' };
      if (ext === '.html') Object.assign(headers, { 'cache-control': 'no-store' }, opts.htmlHeaders ?? {});
      else headers['cache-control'] = 'public, max-age=31536000, immutable';
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : data);
    });
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const bad = foreign(req);
        if (bad) { log(`refused ${req.method} ${req.url}: ${bad}`); return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: `Refused: ${bad}` } }); }
        const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
        // one-time token exchange for the session cookie
        const token = url.searchParams.get('token');
        if (req.method === 'GET' && token !== null) {
          const match = [...loginTokens].find((t) => safeEqual(t, token));
          if (!match) { res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }); res.end('This link was already used or is not valid. Restart `npm run web` for a new one.'); return; }
          loginTokens.delete(match);
          const id = randomBytes(24).toString('base64url');
          sessions.set(id, { id, caller: opts.initialCaller, createdAt: Date.now() });
          url.searchParams.delete('token');
          res.writeHead(303, { location: url.pathname + (url.search || ''), 'set-cookie': `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`, 'cache-control': 'no-store' });
          res.end();
          return;
        }
        const session = sessionOf(req);
        if (!session && !bearerOk(req)) {
          if (url.pathname.startsWith('/api/')) return sendJson(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'No session: open the URL printed by `npm run web` (it carries a one-time token), or send the token as a Bearer header.' } });
          res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('DFAE Workbench: open the URL printed by `npm run web`; it carries a one-time token.');
          return;
        }
        if (url.pathname === '/api/events') return handleEvents(req, res);
        if (url.pathname.startsWith('/api/')) return await handleApi(req, res, url.pathname.slice(5), session);
        if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405); res.end(); return; }
        return handleStatic(req, res, url.pathname);
      } catch (e) {
        log(`bridge error: ${(e as Error).stack ?? e}`);
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'bridge error' } });
        else res.end();
      }
    })();
  });
  server.requestTimeout = 0; // SSE streams stay open
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port, origin, token: apiToken,
    url: `${origin}/?token=${apiToken}`,
    newLoginUrl() {
      const t = randomBytes(24).toString('base64url');
      loginTokens.add(t);
      return `${origin}/?token=${t}`;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
