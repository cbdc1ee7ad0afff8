/**
 * The HTTP layer every sandbox system shares: node:http on 127.0.0.1, a small router, bearer-token
 * checks, fault injection (faults.ts) and per-endpoint counters. Handlers return replies; they never
 * touch the socket.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { z } from 'zod';
import { corruptRecords, FaultPlan, type FaultDecision } from './faults';
import type { TokenAuthority } from './auth';
import { HttpError, badRequest } from './errors';

export type Reply =
  /** `records`: the array inside `body` whose items the bad-records fault may corrupt */
  | { kind: 'json'; status?: number; body: unknown; records?: unknown[]; headers?: Record<string, string> }
  | { kind: 'text'; status?: number; body: string; contentType: string; headers?: Record<string, string> }
  | { kind: 'empty'; status: number; headers?: Record<string, string> };

export interface RequestContext {
  /** "GET /v1/bookings": the route's endpoint id */
  endpoint: string;
  method: string;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** the OAuth2 client of an authenticated call */
  clientId: string | null;
  /** the bad-records fault for this request: corrupts records of a reply built by hand (text formats) */
  badRecords: { rate: number; random: () => number; corrupted: number };
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

interface Route {
  method: string;
  template: string;
  parts: string[];
  auth: boolean;
  handler: Handler;
}

export interface EndpointCounters {
  requests: number;
  statuses: Record<string, number>;
  corruptedRecords: number;
}

export class Router {
  readonly routes: Route[] = [];

  /** Adds a route; `template` may hold `:name` segments. Routes need a bearer token unless auth is false. */
  add(method: string, template: string, handler: Handler, opts: { auth?: boolean } = {}): this {
    this.routes.push({ method, template, parts: template.split('/'), auth: opts.auth ?? true, handler });
    return this;
  }

  match(method: string, pathname: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | null {
    const parts = pathname.split('/');
    const allowed: string[] = [];
    for (const route of this.routes) {
      if (route.parts.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const t = route.parts[i]!;
        if (t.startsWith(':')) {
          try { params[t.slice(1)] = decodeURIComponent(parts[i]!); } catch { ok = false; break; }
        } else if (t !== parts[i]) { ok = false; break; }
      }
      if (!ok) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    return allowed.length ? { allowed } : null;
  }
}

/** One request and its answer, as a test checks them against the interface specification. */
export interface Exchange {
  system: string;
  /** the route, e.g. "GET /v1/flights" or "GET /v1/markets/:origin/:destination/demand" */
  endpoint: string;
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  requestBody: string;
  status: number;
  contentType: string;
  responseBody: string;
  /** the fault injected into this answer (an error status, an expired token, corrupted records), if any */
  injected: string | null;
}

export interface SystemServerOptions {
  /** "pss", "pros", ...: names the server in errors and seeds its faults */
  name: string;
  router: Router;
  auth?: TokenAuthority;
  faults: FaultPlan;
  port?: number;
  host?: string;
  /** largest request body accepted (default 32 MiB) */
  maxBodyBytes?: number;
  /** sees every answered request (not the injected malformed, truncated, hung or reset ones) */
  observe?: (x: Exchange) => void;
}

export interface SystemServer {
  name: string;
  url: string;
  port: number;
  faults: FaultPlan;
  counters(): Record<string, EndpointCounters>;
  close(): Promise<void>;
}

export async function startSystemServer(opts: SystemServerOptions): Promise<SystemServer> {
  const sockets = new Set<Socket>();
  const counters: Record<string, EndpointCounters> = {};
  const maxBody = opts.maxBodyBytes ?? 32 * 1024 * 1024;
  const count = (endpoint: string, status: number | 'reset' | 'hang' | 'malformed' | 'truncated') => {
    const c = (counters[endpoint] ??= { requests: 0, statuses: {}, corruptedRecords: 0 });
    c.statuses[String(status)] = (c.statuses[String(status)] ?? 0) + 1;
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e) => {
      // a handler bug: answer 500 if we still can
      if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: `sandbox ${opts.name}: ${(e as Error).message}` } });
      else res.destroy();
    });
  });
  // an idle keep-alive connection is closed by the client first (undici: the server's hint less 2 s), never
  // by the server as a request arrives on it: at 5 s, the first sync of the sandbox's history (10,064 calls)
  // saw one "other side closed" and came back degraded with a retry. 65 s, as load balancers keep them;
  // the header deadline above it, as Node asks.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function readBody(req: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > maxBody) throw new HttpError(413, 'payload_too_large', `request body over ${maxBody} bytes`);
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const found = opts.router.match(method, url.pathname);
    if (!found || !('route' in found)) {
      await readBody(req).catch(() => Buffer.alloc(0));
      const err = found ? new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}; use ${found.allowed.join(', ')}`, { headers: { allow: found.allowed.join(', ') } })
        : new HttpError(404, 'not_found', `no endpoint ${method} ${url.pathname} on the sandbox ${opts.name} server`);
      count(`${method} ?`, err.status);
      sendError(res, err);
      return;
    }
    const { route, params } = found;
    const endpoint = `${route.method} ${route.template}`;
    const seen = (status: number, contentType: string, text: string) => opts.observe?.({
      system: opts.name, endpoint, method, path: url.pathname, params, query: Object.fromEntries(url.searchParams), headers: req.headers,
      requestBody: body?.toString('utf8') ?? '', status, contentType, responseBody: text,
      injected: ctx?.badRecords.corrupted ? 'badRecords' : fault?.action ? fault.action.kind : null,
    });
    (counters[endpoint] ??= { requests: 0, statuses: {}, corruptedRecords: 0 }).requests++;
    let body: Buffer | undefined;
    let fault: FaultDecision | undefined;
    let ctx: RequestContext | undefined;
    try {
      body = await readBody(req);
    } catch (e) {
      count(endpoint, (e as HttpError).status ?? 400);
      sendError(res, e instanceof HttpError ? e : new HttpError(400, 'bad_body', 'request body could not be read'));
      return;
    }
    fault = opts.faults.decide(endpoint);
    if (fault.latencyMs > 0) await delay(fault.latencyMs);
    const action = fault.action;
    if (action?.kind === 'hang') { count(endpoint, 'hang'); return; }
    if (action?.kind === 'reset') { count(endpoint, 'reset'); req.socket.destroy(); return; }
    ctx = {
      endpoint, method, url, params, query: url.searchParams, headers: req.headers, body: body!, clientId: null,
      badRecords: { rate: fault.badRecordRate, random: fault.random, corrupted: 0 },
    };
    let reply: Reply;
    try {
      if (route.auth && opts.auth) {
        if (action?.kind === 'expiredToken') {
          opts.auth.expire(req.headers.authorization);
          throw opts.auth.refusal({ ok: false, reason: 'expired' });
        }
        const check = opts.auth.check(req.headers.authorization);
        if (!check.ok) throw opts.auth.refusal(check);
        ctx.clientId = check.clientId;
      }
      if (action?.kind === 'error') {
        throw new HttpError(action.status, action.status === 429 ? 'too_many_requests' : 'unavailable', `sandbox fault: injected ${action.status}`,
          { headers: action.retryAfterS !== null ? { 'retry-after': String(action.retryAfterS) } : {} });
      }
      reply = await route.handler(ctx);
    } catch (e) {
      const err = e instanceof HttpError ? e : null;
      if (!err) throw e;
      count(endpoint, err.status);
      sendError(res, err);
      seen(err.status, 'application/json', JSON.stringify(err.body()));
      return;
    }
    if (reply.kind === 'json' && reply.records && fault.badRecordRate > 0) {
      ctx.badRecords.corrupted += corruptRecords(reply.records, fault.badRecordRate, fault.random);
    }
    counters[endpoint]!.corruptedRecords += ctx.badRecords.corrupted;
    const status = reply.status ?? 200;
    count(endpoint, action?.kind === 'malformed' || action?.kind === 'truncated' ? action.kind : status);
    if (reply.kind === 'empty') {
      res.writeHead(status, { ...(reply.headers ?? {}) });
      res.end();
      seen(status, '', '');
      return;
    }
    const text = reply.kind === 'json' ? JSON.stringify(reply.body) : reply.body;
    const contentType = reply.kind === 'json' ? 'application/json' : reply.contentType;
    const bytes = Buffer.from(text, 'utf8');
    if (action?.kind === 'malformed') {
      const cut = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2)));
      res.writeHead(200, { 'content-type': contentType, 'content-length': cut.length });
      res.end(cut);
      return;
    }
    if (action?.kind === 'truncated') {
      res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => req.socket.destroy());
      return;
    }
    res.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length, 'cache-control': 'no-store', ...(reply.headers ?? {}) });
    res.end(bytes);
    seen(status, contentType, text);
  }

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    name: opts.name,
    url: `http://${host}:${port}`,
    port,
    faults: opts.faults,
    counters: () => structuredClone(counters),
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function sendError(res: http.ServerResponse, err: HttpError): void {
  send(res, err.status, err.body(), err.headers);
}

/** Parses a JSON request body against a schema; a failure is a 400 naming the field. */
export function parseJsonBody<T>(ctx: RequestContext, schema: z.ZodType<T>): T {
  let data: unknown;
  try {
    data = JSON.parse(ctx.body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  const r = schema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw badRequest(i.path.join('.') || '(body)', i.message);
  }
  return r.data;
}

/** Reads an optional integer query parameter within bounds. */
export function intParam(ctx: RequestContext, name: string, dflt: number, min: number, max: number): number {
  const v = ctx.query.get(name);
  if (v === null || v === '') return dflt;
  if (!/^-?\d+$/.test(v)) throw badRequest(name, `"${v}" is not an integer`);
  const n = Number(v);
  if (n < min || n > max) throw badRequest(name, `${n} must lie in [${min}, ${max}]`);
  return n;
}

/** Reads an optional date query parameter (YYYY-MM-DD). */
export function dateParam(ctx: RequestContext, name: string, dflt?: string): string {
  const v = ctx.query.get(name);
  if (v === null || v === '') {
    if (dflt === undefined) throw badRequest(name, 'is required (YYYY-MM-DD)');
    return dflt;
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw badRequest(name, `"${v}" is not a date (YYYY-MM-DD)`);
  return v;
}
