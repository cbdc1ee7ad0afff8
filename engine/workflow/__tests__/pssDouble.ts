/**
 * A PSS push endpoint for tests, with the contract of engine/ports/pss.ts: batches idempotent by key
 * (a replay returns the first answer and applies nothing), per-item answers, and per decision key
 * never an older sequence after a newer one (stale_sequence). It counts every application per
 * (key, sequence), so a duplicate application is visible, and replays apart.
 * `RecordingPss` runs in process; `startHttpPss` serves the same over HTTP on 127.0.0.1 (the kill test's
 * child process pushes to it), with `httpPssPort` as the client.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PssPort, PushBatch, PushBatchResult, PushItemResult } from '../../ports/pss';

export interface PssStats {
  batches: number;
  replays: number;
  /** item applications (accepted items of first answers) */
  applied: number;
  /** (key, sequence) pairs applied more than once */
  duplicates: number;
  stale: number;
  rejected: number;
  /** a newer sequence seen before an older one for the same key (stale items) */
  outOfOrder: number;
}

export class RecordingPss implements PssPort {
  readonly answers = new Map<string, PushBatchResult>();
  /** per key: the last applied sequence and value */
  readonly state = new Map<string, { sequence: number; payload: unknown; reference: string }>();
  readonly applications = new Map<string, number>();
  /** the reference given to each applied (key, sequence) */
  readonly references = new Map<string, string>();
  readonly stats: PssStats = { batches: 0, replays: 0, applied: 0, duplicates: 0, stale: 0, rejected: 0, outOfOrder: 0 };
  /** transport failures to throw before the next pushes (before anything is applied) */
  failBefore = 0;
  /** pushes that apply and then lose the answer (the PSS acknowledged; the caller never heard) */
  failAfter = 0;
  /** rejects items whose payload this returns a reason for */
  rejectIf: ((payload: unknown) => string | null) | null = null;
  private seq = 0;

  constructor(private readonly now: () => string = () => new Date().toISOString()) {}

  handle(batch: PushBatch<unknown>): PushBatchResult {
    const seen = this.answers.get(batch.idempotencyKey);
    if (seen) {
      this.stats.replays++;
      return { ...seen, replayed: true };
    }
    this.stats.batches++;
    const items: PushItemResult[] = batch.items.map((it) => {
      const cur = this.state.get(it.key);
      if (cur && it.sequence < cur.sequence) {
        this.stats.stale++;
        this.stats.outOfOrder++;
        return { itemId: it.itemId, status: 'rejected', code: 'stale_sequence', reason: `sequence ${it.sequence} is older than ${cur.sequence} for ${it.key}` };
      }
      const why = this.rejectIf?.(it.payload) ?? null;
      if (why) {
        this.stats.rejected++;
        return { itemId: it.itemId, status: 'rejected', code: 'invalid', reason: why };
      }
      const pair = `${it.key}#${it.sequence}`;
      const n = (this.applications.get(pair) ?? 0) + 1;
      this.applications.set(pair, n);
      if (n > 1) this.stats.duplicates++;
      this.stats.applied++;
      const reference = `PSS-${++this.seq}`;
      this.state.set(it.key, { sequence: it.sequence, payload: it.payload, reference });
      this.references.set(pair, reference);
      return { itemId: it.itemId, status: 'accepted', reference };
    });
    const result: PushBatchResult = { idempotencyKey: batch.idempotencyKey, replayed: false, receivedAt: this.now(), items };
    this.answers.set(batch.idempotencyKey, result);
    return result;
  }

  private async push(batch: PushBatch<unknown>): Promise<PushBatchResult> {
    if (this.failBefore > 0) { this.failBefore--; throw new Error('connect ECONNREFUSED 127.0.0.1 (test PSS down)'); }
    const r = this.handle(batch);
    if (this.failAfter > 0) { this.failAfter--; throw new Error('socket hang up after the PSS applied the batch (test)'); }
    return r;
  }

  pushFares = (b: PushBatch<unknown>) => this.push(b) as Promise<PushBatchResult>;
  pushInventoryControls = (b: PushBatch<unknown>) => this.push(b) as Promise<PushBatchResult>;
}

export async function startHttpPss(pss = new RecordingPss()): Promise<{ url: string; pss: RecordingPss; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        const data = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
        res.end(data);
      };
      if (req.method === 'GET' && req.url === '/v1/stats') return send(200, pss.stats);
      if (req.method === 'GET' && req.url === '/v1/state') return send(200, { state: Object.fromEntries(pss.state), references: Object.fromEntries(pss.references) });
      if (req.method === 'POST' && (req.url === '/v1/push/fares' || req.url === '/v1/push/inventory')) {
        try {
          return send(200, pss.handle(JSON.parse(Buffer.concat(chunks).toString('utf8')) as PushBatch<unknown>));
        } catch (e) {
          return send(400, { error: { code: 'invalid_request', message: (e as Error).message } });
        }
      }
      send(404, { error: { code: 'not_found', message: `${req.method} ${req.url}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pss,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The PssPort over the test server's HTTP contract (fetch; a bounded timeout). */
export function httpPssPort(url: string, timeoutMs = 5_000): PssPort {
  const post = async (path: string, batch: PushBatch<unknown>, signal?: AbortSignal): Promise<PushBatchResult> => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`PSS answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as PushBatchResult;
  };
  return {
    pushFares: (b, s) => post('/v1/push/fares', b, s),
    pushInventoryControls: (b, s) => post('/v1/push/inventory', b, s),
  };
}
