/**
 * Decodes pages in worker threads (page-decode.worker.ts): the page's bytes are transferred (not copied),
 * the worker parses, validates and normalises, and only the normalised records come back (packed by
 * column, booking-transport.ts). While a worker decodes page n + 1, the calling thread commits page n. If a worker cannot run (e.g. a bundled build
 * without the worker file), `decode` rejects with WorkerUnavailable and the caller decodes in its own thread.
 */
import type { Worker } from 'node:worker_threads';
import { startSourceWorker } from '../source-worker';
import { DECODERS, UndecodablePage, type DecoderName } from './page-decoders';
import { unpackBookings, type PackedBookings } from './booking-transport';

export class WorkerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerUnavailable';
  }
}

type Result<T> = { ok: true; out: T; packed: PackedBookings } | { ok: false; undecodable: boolean; message: string };

/** The page decoder (page-decode.worker.ts, or its bundle); throws when it cannot start, and the caller decodes inline. */
function startWorker(): Worker {
  return startSourceWorker(import.meta.url, 'page-decode.worker');
}

export class DecodePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; worker: Worker }>();
  private next = 0;
  private broken: string | null = null;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      let w: Worker;
      try {
        w = startWorker();
      } catch (e) {
        this.broken = (e as Error).message;
        break;
      }
      w.unref();
      w.on('message', (m: Result<{ records: unknown[] }> & { id: number }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve({ ...m.out, records: unpackBookings(m.packed) });
        else p.reject(m.undecodable ? new UndecodablePage(m.message) : new Error(m.message));
      });
      w.on('error', (e) => this.fail(w, e.message));
      w.on('exit', (code) => this.fail(w, `decode worker exited with code ${code}`));
      this.workers.push(w);
    }
  }

  private fail(w: Worker, message: string): void {
    this.broken ??= message;
    for (const [id, p] of this.pending) {
      if (p.worker !== w) continue;
      this.pending.delete(id);
      p.reject(new WorkerUnavailable(message));
    }
  }

  /** Decodes a page off this thread; `bytes` is consumed (its memory moves to the worker). */
  decode<N extends DecoderName>(name: N, bytes: Buffer, page: number): Promise<ReturnType<(typeof DECODERS)[N]>> {
    if (this.broken || this.workers.length === 0) return Promise.reject(new WorkerUnavailable(this.broken ?? 'no decode worker'));
    const worker = this.workers[this.next++ % this.workers.length]!;
    const id = this.next;
    // transfer a buffer that owns its whole ArrayBuffer; copy one that shares a slab
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer as ArrayBuffer : new Uint8Array(bytes).buffer;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, worker });
      worker.postMessage({ id, name, bytes: owned, page }, [owned]);
    });
  }

  async close(): Promise<void> {
    const ws = this.workers.splice(0);
    for (const w of ws) w.removeAllListeners('exit');
    await Promise.all(ws.map((w) => w.terminate()));
    for (const p of this.pending.values()) p.reject(new WorkerUnavailable('the decode pool was closed'));
    this.pending.clear();
  }
}
