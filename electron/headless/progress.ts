/**
 * Progress on stderr, only when stderr is a terminal: one line, redrawn in place, showing the step in
 * progress of a cycle run (from its `cycle.progress` events). Nothing is drawn for pipes and files, so
 * logs and results stay machine-readable.
 */
import type { EventBus } from '../../engine/events/bus';

export class ProgressLine {
  private text = '';
  private shown = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  /** A progress line for stderr when it is a terminal, else null. */
  static forStderr(enabled = true): ProgressLine | null {
    return enabled && process.stderr.isTTY ? new ProgressLine(process.stderr) : null;
  }

  show(text: string): void {
    const width = Math.max(20, (this.out.columns ?? 100) - 1);
    this.text = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.redraw();
  }

  clear(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }

  redraw(): void {
    if (!this.text) return;
    this.out.write(`\r\x1b[K${this.text}`);
    this.shown = true;
  }

  done(): void {
    this.clear();
    this.text = '';
  }

  /** Follows a cycle's progress events; returns the unsubscribe function. */
  follow(events: EventBus): () => void {
    const t0 = Date.now();
    const off = events.subscribe((m) => {
      if (m.name !== 'cycle.progress') return;
      const p = m.payload;
      const count = p.done !== null ? ` (${p.done}${p.total !== null ? `/${p.total}` : ''})` : '';
      this.show(`run ${p.runId} ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s  ${p.step.padEnd(9)} ${p.message}${count}`);
    });
    return () => { off(); this.done(); };
  }
}
