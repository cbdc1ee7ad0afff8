/**
 * A fixed set of worker threads sharing one queue of tasks. A worker is sent `{ id, task }` and answers
 * `{ id, result }` or `{ id, error: { message, stack } }`, so no exception crosses the thread. The pricing
 * pool (pool.ts) and the revenue simulation's trial pool (engine/whatif/trial-pool.ts) are built on it.
 */
import type { Worker } from 'node:worker_threads';

interface Pending { resolve(v: unknown): void; reject(e: Error): void }
type Answer = { id: number; result?: unknown; error?: { message: string; stack?: string } };

export class TaskPool<Task> {
  protected readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; task: Task }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 1;
  protected closed = false;

  /** `n` workers made by `start`; `name` says whose they are in errors ("pricing", "simulation"). */
  constructor(n: number, start: (i: number) => Worker, private readonly name: string) {
    for (let i = 0; i < n; i++) {
      const w = start(i);
      w.on('message', (m: Answer) => this.settle(w, m));
      w.on('error', (e) => this.crash(w, e));
      w.on('exit', (code) => { if (!this.closed && code !== 0) this.crash(w, new Error(`${name} worker exited with code ${code}`)); });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get size(): number { return this.workers.length; }

  run<T>(task: Task): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${this.name} pool is closed`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.queue.push({ id, task });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(w, job.id);
      w.postMessage(job);
    }
  }

  private settle(w: Worker, m: Answer): void {
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    this.busy.delete(w);
    this.idle.push(w);
    if (p) {
      if (m.error) { const e = new Error(m.error.message); e.stack = m.error.stack; p.reject(e); } else p.resolve(m.result);
    }
    this.pump();
  }

  private crash(w: Worker, e: Error): void {
    const id = this.busy.get(w);
    if (id !== undefined) { this.pending.get(id)?.reject(e); this.pending.delete(id); this.busy.delete(w); }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error(`${this.name} pool closed before the task finished`));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
