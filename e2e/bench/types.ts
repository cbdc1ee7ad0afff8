import { loadavg } from 'node:os';

/** A benchmark section: e2e/bench/sections/<name>.ts default-exports one of these. */
export interface BenchContext {
  /** prints one result line, e.g. "store.ingest  212,345 rows/s" */
  print(line: string): void;
  /** a fresh temporary folder, removed when the run ends */
  tempDir(prefix?: string): string;
  /** --quick: smaller sizes for a smoke run (npm test uses it) */
  quick: boolean;
}

export type BenchSection = (ctx: BenchContext) => Promise<void>;

/** Formats a rate with thousands separators. */
export function rate(count: number, ms: number): string {
  return Math.round((count * 1000) / Math.max(ms, 1e-9)).toLocaleString('en-US');
}

/** The one-minute load average, printed beside a figure (the machine is shared: figures move with it). */
export function loadLabel(): string {
  return `load ${loadavg()[0]!.toFixed(1)}`;
}
