/**
 * The local web bridge: the same API over HTTP on 127.0.0.1, events as Server-Sent Events, and the
 * built renderer as static files. A per-launch token in the printed URL is exchanged once for an
 * HttpOnly, SameSite=Strict session cookie, so EventSource works without headers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher, Caller } from '../../engine/api/dispatch';
import { HTTP_STATUS, type Envelope } from '../../engine/api/contract/define';
import type { EventBus } from '../../engine/events/bus';
import {
  checkBridgeRequest, checkTokenExchange, readBodyLimited, BodyTooLargeError, newSessionToken, readCookie,
  sessionCookieName, safeEqual, serveStaticAsset, checkHost, checkOrigin, checkFetchSite,
} from '../security/index';

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
  log?: (line: string) => void;
}

export interface WebBridge {
  readonly port: number;
  readonly origin: string;
  /** the URL to open, with the one-time token */
  readonly url: string;
  readonly token: string;
  /** the session cookie's name (port-specific) */
  readonly cookieName: string;
  /** issues a new one-time URL (for a second browser) */
  newLoginUrl(): string;
  close(): Promise<void>;
}

interface Session { id: string; caller: Caller | null; createdAt: number }

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
  const apiToken = opts.token ?? newSessionToken();
  loginTokens.add(apiToken);
  let port = 0;
  let cookieName = '';
  const log = opts.log ?? (() => {});

  /** a credential is a session id (cookie) or the launch token (bearer, for non-browser clients) */
  const accepts = (credential: string) => sessions.has(credential) || safeEqual(credential, apiToken);
  const sessionOf = (req: http.IncomingMessage) => {
    const id = readCookie(req.headers.cookie, cookieName);
    return id ? sessions.get(id) : undefined;
  };

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string, session: Session | undefined): Promise<void> {
    if (req.method !== 'POST') { res.setHeader('allow', 'POST'); return sendJson(res, ...errorEnvelope(405, 'validation', `Use POST /api/${method}`)); }
    let input: unknown = {};
    try {
      const text = (await readBodyLimited(req, maxBody)).toString('utf8');
      if (text.trim() !== '') input = JSON.parse(text);
    } catch (e) {
      if (e instanceof BodyTooLargeError) { res.setHeader('connection', 'close'); return sendJson(res, ...errorEnvelope(413, 'validation', e.message)); }
      return sendJson(res, ...errorEnvelope(400, 'validation', `request body is not valid JSON: ${(e as Error).message}`));
    }
    // a bearer-token client (no cookie session) acts as the initial caller of a session
    const caller: Caller = session ? session.caller ?? { user: 'anonymous', role: null } : opts.initialCaller ?? { user: 'anonymous', role: null };
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

  async function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    if (!opts.staticDir) return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'no renderer is served by this bridge' } });
    const r = await serveStaticAsset({ method: req.method ?? 'GET', pathname }, { root: opts.staticDir });
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  }

  function refuse(res: http.ServerResponse, status: number, reason: string, api: boolean): void {
    if (api) return sendJson(res, status, { ok: false, error: { code: status === 401 ? 'unauthenticated' : status === 413 ? 'validation' : 'forbidden', message: `Refused: ${reason}` } });
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(status === 401 ? 'DFAE Workbench: open the URL printed by `npm run web`; it carries a one-time token.\n' : `Refused: ${reason}\n`);
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
        const isApi = url.pathname.startsWith('/api/');
        // one-time token exchange for the session cookie
        if (req.method === 'GET' && url.searchParams.has('token')) {
          for (const t of loginTokens) {
            const id = newSessionToken();
            const ex = checkTokenExchange({ method: 'GET', url: req.url ?? '/', headers: req.headers }, { port, token: t, cookieName, cookieValue: () => id });
            if (ex.ok) {
              loginTokens.delete(t);
              sessions.set(id, { id, caller: opts.initialCaller, createdAt: Date.now() });
              res.writeHead(303, { location: ex.location, 'set-cookie': ex.setCookie, 'cache-control': 'no-store' });
              res.end();
              return;
            }
            if (ex.status !== 401) { log(`refused token exchange: ${ex.reason}`); return refuse(res, ex.status, ex.reason, false); }
          }
          res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('This link was already used or is not valid. For a new one, press Enter in the terminal where `npm run web` runs (or restart it).\n');
          return;
        }
        if (isApi) {
          const g = checkBridgeRequest({ method: req.method ?? 'GET', headers: req.headers }, { port, maxBodyBytes: maxBody, cookieName, accepts });
          if (!g.ok) { log(`refused ${req.method} ${url.pathname}: ${g.reason}`); return refuse(res, g.status, g.reason, true); }
          if (url.pathname === '/api/events') return handleEvents(req, res);
          return await handleApi(req, res, url.pathname.slice(5), sessionOf(req));
        }
        for (const g of [checkHost(req.headers.host, port), checkOrigin(req.headers.origin, port), checkFetchSite(req.headers['sec-fetch-site'] as string | undefined)]) {
          if (!g.ok) { log(`refused ${req.method} ${url.pathname}: ${g.reason}`); return refuse(res, g.status, g.reason, false); }
        }
        if (!sessionOf(req)) return refuse(res, 401, 'no session', false);
        return await handleStatic(req, res, url.pathname);
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
  cookieName = sessionCookieName(port);
  const origin = `http://127.0.0.1:${port}`;
  return {
    port, origin, token: apiToken, cookieName,
    url: `${origin}/?token=${apiToken}`,
    newLoginUrl() {
      const t = newSessionToken();
      loginTokens.add(t);
      return `${origin}/?token=${t}`;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
