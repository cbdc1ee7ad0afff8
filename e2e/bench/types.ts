import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** A benchmark section: e2e/bench/sections/<name>.ts default-exports one of these. */
export interface BenchContext {
  /** prints one result line, e.g. "store.ingest  212,345 rows/s" */
  print(line: string): void;
  /** a fresh temporary folder, removed when the run ends */
  tempDir(prefix?: string): string;
  /** --quick: smaller sizes for a smoke run (npm test uses it) */
  quick: boolean;
  /** --cycle-days: the cycle section's daily runs (default 2) */
  cycleDays?: number;
  /** --retention-days: the cycle section's audit and decision retention ages (null: the defaults) */
  retentionDays?: number | null;
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

/** The machine's CPU time counters (all CPUs) from /proc/stat: total and stolen (null off Linux). */
export interface CpuTimes { total: number; steal: number }
export function cpuTimes(read: () => string = () => readFileSync('/proc/stat', 'utf8')): CpuTimes | null {
  let text: string;
  try { text = read(); } catch { return null; }
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
  const f = /^cpu\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  if (!f || f.length < 8 || f.some((x) => !Number.isFinite(x))) return null;
  // guest time is already counted in user time
  return { total: f.slice(0, 8).reduce((a, b) => a + b, 0), steal: f[7]! };
}

/**
 * The share of CPU time the hypervisor gave to other machines since `before` (a virtual machine's
 * frames wait for it however light the page is), as ", CPU steal 12 %"; empty where unknown.
 */
export function stealLabel(before: CpuTimes | null, after: CpuTimes | null = cpuTimes()): string {
  if (!before || !after || after.total <= before.total) return '';
  return `, CPU steal ${Math.round((100 * (after.steal - before.steal)) / (after.total - before.total))} %`;
}
