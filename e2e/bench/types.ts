import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * CPU time (ms, user + system) of each of this process's threads by thread id, from /proc/self/task (null off
 * Linux): Node 20 has no per-thread CPU clock, and a worker's share cannot be told from process.cpuUsage().
 */
export function threadCpuMs(
  list: () => string[] = () => readdirSync('/proc/self/task'),
  read: (tid: string) => string = (tid) => readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'),
  ticksPerSecond = 100,
): Map<number, number> | null {
  const out = new Map<number, number>();
  try {
    for (const tid of list()) {
      const text = read(tid);
      // "tid (name) state ppid …": utime and stime are the 12th and 13th fields after the name
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]);
      if (!Number.isFinite(ticks)) return null;
      out.set(Number(tid), (ticks * 1000) / ticksPerSecond);
    }
  } catch {
    return null;
  }
  return out;
}

/**
 * The CPU time per unit (e.g. a simulated day) of the main thread (`mainTid`, the process id) and of the busiest
 * other thread between two readings, as "; CPU a day: main thread 19.9 ms, worker 15.1 ms"; empty where unknown.
 */
export function threadsLabel(before: Map<number, number> | null, after: Map<number, number> | null, mainTid: number, units: number, unit = 'a day'): string {
  if (!before || !after || units <= 0) return '';
  const used = (tid: number) => (after.get(tid) ?? 0) - (before.get(tid) ?? 0);
  let worker = 0;
  for (const tid of after.keys()) if (tid !== mainTid) worker = Math.max(worker, used(tid));
  return `; CPU ${unit}: main thread ${(used(mainTid) / units).toFixed(1)} ms, worker ${(worker / units).toFixed(1)} ms`;
}

/**
 * The sections to run, in name order: all of them, or those `--only` names (comma-separated). A name that is no
 * section is an error naming it and the sections there are (a typo would otherwise run nothing and say nothing).
 */
export function selectSections(names: readonly string[], only: string | undefined): string[] {
  const all = [...names].sort();
  if (only === undefined) return all;
  const wanted = only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = wanted.filter((s) => !all.includes(s));
  if (wanted.length === 0 || unknown.length > 0) {
    const what = unknown.length ? `no section named ${unknown.map((s) => `"${s}"`).join(', ')}` : 'names no section';
    throw new Error(`--only ${JSON.stringify(only)}: ${what}; the sections are ${all.join(', ')}`);
  }
  return all.filter((s) => wanted.includes(s));
}
