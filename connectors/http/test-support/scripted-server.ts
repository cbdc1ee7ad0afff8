/**
 * Test support: a real HTTP(S) server on 127.0.0.1 whose answers are scripted one request at a time,
 * with the faults a real integration meets (error statuses, Retry-After, hung requests, connection
 * resets, truncated and malformed bodies). Every request is recorded (method, path, headers, body).
 * Only tests import this.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface RecordedRequest {
  method: string;
  /** path and query */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** the negotiated TLS version (e.g. "TLSv1.3"), null over plain HTTP */
  tlsProtocol: string | null;
}

export type Reply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'text'; status: number; body?: string; headers?: Record<string, string> }
  /** accept the request and never answer */
  | { kind: 'hang' }
  /** destroy the connection without an answer */
  | { kind: 'reset' }
  /** announce a longer body than is sent, then close */
  | { kind: 'truncate'; body: string }
  /** 200 with a body that is not JSON */
  | { kind: 'malformed' };

/** A reply, or a function computing one from the request. */
export type Responder = Reply | ((req: RecordedRequest) => Reply);

export interface ScriptedServer {
  /** e.g. "http://127.0.0.1:41234" */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** queues replies for the next requests, in order */
  script(...replies: Responder[]): void;
  /** the reply once the script is used up (default: 200 {"ok":true}) */
  setDefault(reply: Responder): void;
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  /** serve HTTPS with this key and certificate (and TLS options) */
  tls?: https.ServerOptions;
}

export async function startScriptedServer(opts: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const queue: Responder[] = [];
  let fallback: Responder = { kind: 'json', body: { ok: true } };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'),
        tlsProtocol: opts.tls ? (req.socket as TLSSocket).getProtocol() : null,
      };
      requests.push(rec);
      const responder = queue.shift() ?? fallback;
      const reply = typeof responder === 'function' ? responder(rec) : responder;
      answer(reply, req, res);
    });
  };

  const server = opts.tls ? https.createServer(opts.tls, handler) : http.createServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // TLS handshake failures are the tests' subject, not the server's problem
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    script: (...r) => { queue.push(...r); },
    setDefault: (r) => { fallback = r; },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function answer(reply: Reply, req: http.IncomingMessage, res: http.ServerResponse): void {
  switch (reply.kind) {
    case 'json': {
      const body = JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(reply.headers ?? {}) });
      res.end(body);
      return;
    }
    case 'text': {
      const body = reply.body ?? '';
      res.writeHead(reply.status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...(reply.headers ?? {}) });
      res.end(body);
      return;
    }
    case 'hang':
      return;
    case 'reset':
      req.socket.destroy();
      return;
    case 'truncate':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply.body) + 100 });
      res.write(reply.body, () => req.socket.destroy());
      return;
    case 'malformed': {
      const body = '{"items": [1, 2, ';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
  }
}
