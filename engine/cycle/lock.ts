/**
 * One cycle at a time per data folder, across processes (the desktop app and a headless `dfae` may share
 * a folder on one machine): a lock file `<dataDir>/cycle.lock` created exclusively (O_EXCL), holding the
 * owner's pid, host name and process start time.
 *
 * A lock is stale when its process is gone: no process with that pid on this machine, or one whose start
 * time differs from the recorded one (the pid was reused). A stale lock is taken over under a second
 * exclusive file (`cycle.lock.takeover`), re-reading the lock inside it, so two processes that both find
 * it stale cannot both take it. A lock held by another machine (a shared folder) is never taken over:
 * the message says how to clear it once that machine is known to be down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE_NAME = 'cycle.lock';

export interface LockOwner {
  pid: number;
  hostname: string;
  /** the process's start (Linux: clock ticks after boot from /proc/<pid>/stat), to tell a reused pid; null where unknown */
  processStart: string | null;
  acquiredAt: string;
  /** desktop, headless, web… and what it runs */
  host: string;
  command: string;
}

export class CycleLockHeldError extends Error {
  constructor(readonly file: string, readonly holder: LockOwner | null, detail: string) {
    super(`another cycle is running on this data folder (${describeOwner(holder)}); ${detail}`);
    this.name = 'CycleLockHeldError';
  }
}

export function describeOwner(o: LockOwner | null): string {
  if (!o) return 'lock file being written';
  return `${o.host} ${o.command}, pid ${o.pid} on ${o.hostname}, since ${o.acquiredAt}`;
}

/** How the lock sees processes; injected by tests. */
export interface ProcessProbe {
  hostname(): string;
  pid(): number;
  /** true when a process with this pid exists on this machine (EPERM counts as existing) */
  isAlive(pid: number): boolean;
  /** the process's start marker, or null where the platform does not tell */
  startOf(pid: number): string | null;
  now(): Date;
}

export const systemProbe: ProcessProbe = {
  hostname: () => os.hostname(),
  pid: () => process.pid,
  isAlive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  startOf(pid) {
    if (process.platform !== 'linux') return null;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = rest[19];
      return ticks ? `linux:${ticks}` : null;
    } catch {
      return null;
    }
  },
  now: () => new Date(),
};

/** Files left half-written (a crash between create and write) count as stale after this long. */
const EMPTY_STALE_MS = 10_000;
/** A takeover guard older than this belongs to a process that died while taking over. */
const GUARD_STALE_MS = 30_000;

export type HolderState = 'alive' | 'gone' | 'other-host';

/** Whether the process recorded in a lock (or a run row) still runs. */
export function holderState(o: Pick<LockOwner, 'pid' | 'hostname' | 'processStart'>, probe: ProcessProbe = systemProbe): HolderState {
  if (o.hostname !== probe.hostname()) return 'other-host';
  if (!probe.isAlive(o.pid)) return 'gone';
  if (o.processStart !== null) {
    const now = probe.startOf(o.pid);
    if (now !== null && now !== o.processStart) return 'gone';
  }
  return 'alive';
}

export interface CycleLock {
  readonly file: string;
  readonly owner: LockOwner;
  /** the stale lock this one replaced, if any */
  readonly tookOver: LockOwner | null;
  /** removes the lock file if it is still ours */
  release(): void;
}

function readRaw(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parseOwner(raw: string): LockOwner | null {
  try {
    const o = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || typeof o.hostname !== 'string') return null;
    return {
      pid: o.pid, hostname: o.hostname, processStart: typeof o.processStart === 'string' ? o.processStart : null,
      acquiredAt: String(o.acquiredAt ?? ''), host: String(o.host ?? '?'), command: String(o.command ?? '?'),
    };
  } catch {
    return null;
  }
}

/** The lock's current owner, or null when nobody holds it. */
export function readCycleLock(dataDir: string): LockOwner | null {
  const raw = readRaw(path.join(dataDir, LOCK_FILE_NAME));
  return raw === null ? null : parseOwner(raw);
}

function createExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function ageMs(file: string, probe: ProcessProbe): number {
  try {
    return probe.now().getTime() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Takes the data folder's cycle lock, taking over a stale one; throws CycleLockHeldError when a live
 * process (or another machine) holds it.
 */
export function acquireCycleLock(dataDir: string, who: { host: string; command: string }, probe: ProcessProbe = systemProbe): CycleLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE_NAME);
  const owner: LockOwner = {
    pid: probe.pid(), hostname: probe.hostname(), processStart: probe.startOf(probe.pid()), acquiredAt: probe.now().toISOString(),
    host: who.host, command: who.command,
  };
  const text = `${JSON.stringify(owner)}\n`;
  const lock = (tookOver: LockOwner | null): CycleLock => ({
    file, owner, tookOver,
    release() {
      if (readRaw(file) === text) fs.rmSync(file, { force: true });
    },
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, text)) return lock(null);
    const raw = readRaw(file);
    if (raw === null) continue; // released meanwhile
    const holder = parseOwner(raw);
    if (!holder) {
      if (ageMs(file, probe) < EMPTY_STALE_MS) throw new CycleLockHeldError(file, null, 'try again in a moment');
    } else {
      const state = holderState(holder, probe);
      if (state === 'alive') throw new CycleLockHeldError(file, holder, 'wait for it to finish, or stop it first');
      if (state === 'other-host') {
        throw new CycleLockHeldError(file, holder, `it runs on another machine, which this one cannot check; if ${holder.hostname} is down, delete ${file}`);
      }
    }
    // stale: take it over under the guard, if the lock is still the one we judged
    const guard = `${file}.takeover`;
    if (!createExclusive(guard, text)) {
      // a guard whose process is gone (killed while taking over) is cleared at once; any other after a while
      const guardRaw = readRaw(guard);
      const guardOwner = guardRaw === null ? null : parseOwner(guardRaw);
      const guardGone = guardOwner !== null && holderState(guardOwner, probe) === 'gone';
      if (!guardGone && ageMs(guard, probe) < GUARD_STALE_MS) throw new CycleLockHeldError(file, holder, 'another process is taking over a stale lock; try again in a moment');
      if (readRaw(guard) === guardRaw) fs.rmSync(guard, { force: true });
      continue;
    }
    try {
      if (readRaw(file) !== raw) continue; // someone else took it over first: judge the new owner
      fs.rmSync(file, { force: true });
      if (createExclusive(file, text)) return lock(holder ?? { pid: 0, hostname: '?', processStart: null, acquiredAt: '', host: '?', command: '(half-written lock file)' });
    } finally {
      if (readRaw(guard) === text) fs.rmSync(guard, { force: true });
    }
  }
  throw new CycleLockHeldError(file, readCycleLock(dataDir), 'the lock changed hands while this process tried to take it; try again');
}
