import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireCycleLock, CycleLockHeldError, holderState, LOCK_FILE_NAME, readCycleLock, systemProbe, type ProcessProbe } from './lock';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-lock-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

/** A machine with a set of live processes, each with its start marker. */
function machine(live: Record<number, string>, self: number, host = 'node-a'): ProcessProbe {
  return {
    hostname: () => host, pid: () => self, now: () => new Date('2026-03-01T06:00:00Z'),
    isAlive: (pid) => pid in live, startOf: (pid) => live[pid] ?? null,
  };
}
const who = { host: 'headless', command: 'run --once' };

describe('cycle lock', () => {
  it('refuses a second owner while the first lives, naming it; free again after release', () => {
    const dir = tmp();
    const a = acquireCycleLock(dir, who, machine({ 100: 's100', 200: 's200' }, 100));
    expect(readCycleLock(dir)).toMatchObject({ pid: 100, hostname: 'node-a', processStart: 's100', command: 'run --once' });
    let err: unknown;
    try { acquireCycleLock(dir, { host: 'desktop', command: 'cycle.run' }, machine({ 100: 's100', 200: 's200' }, 200)); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CycleLockHeldError);
    expect((err as CycleLockHeldError).holder?.pid).toBe(100);
    expect((err as Error).message).toMatch(/headless run --once, pid 100 on node-a/);
    a.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
    const b = acquireCycleLock(dir, who, machine({ 200: 's200' }, 200));
    expect(b.tookOver).toBeNull();
    b.release();
  });

  it('takes over a lock whose process is gone, and one whose pid was reused by another process', () => {
    const dir = tmp();
    acquireCycleLock(dir, who, machine({ 100: 's100' }, 100)); // never released: the process "crashed"
    const b = acquireCycleLock(dir, who, machine({ 200: 's200' }, 200));
    expect(b.tookOver).toMatchObject({ pid: 100 });
    expect(readCycleLock(dir)?.pid).toBe(200);
    // pid 200 now belongs to a different process (another start time): stale
    const c = acquireCycleLock(dir, who, machine({ 200: 'other-start', 300: 's300' }, 300));
    expect(c.tookOver).toMatchObject({ pid: 200, processStart: 's200' });
    expect(fs.existsSync(path.join(dir, `${LOCK_FILE_NAME}.takeover`))).toBe(false);
    c.release();
  });

  it('never takes over a lock held on another machine, and says how to clear it', () => {
    const dir = tmp();
    acquireCycleLock(dir, who, machine({ 100: 's' }, 100, 'node-b'));
    expect(() => acquireCycleLock(dir, who, machine({}, 200, 'node-a'))).toThrow(/another machine.*if node-b is down, delete .*cycle\.lock/);
  });

  it('waits on a half-written lock file until it is old, then takes it over', () => {
    const dir = tmp();
    const file = path.join(dir, LOCK_FILE_NAME);
    fs.writeFileSync(file, '');
    const now = new Date(fs.statSync(file).mtimeMs + 1_000);
    const probe = { ...machine({ 200: 's' }, 200), now: () => now };
    expect(() => acquireCycleLock(dir, who, probe)).toThrow(/lock file being written/);
    const later = { ...probe, now: () => new Date(now.getTime() + 60_000) };
    expect(acquireCycleLock(dir, who, later).tookOver?.command).toBe('(half-written lock file)');
  });

  it('leaves a stale lock alone while another process is taking it over', () => {
    const dir = tmp();
    acquireCycleLock(dir, who, machine({ 100: 's' }, 100));
    const guard = path.join(dir, `${LOCK_FILE_NAME}.takeover`);
    fs.writeFileSync(guard, '{"pid":300}');
    const now = new Date(fs.statSync(guard).mtimeMs + 1_000);
    expect(() => acquireCycleLock(dir, who, { ...machine({ 200: 's' }, 200), now: () => now })).toThrow(/taking over a stale lock/);
    expect(readCycleLock(dir)?.pid).toBe(100);
    // a guard left by a process that died while taking over is cleared after a while
    const taken = acquireCycleLock(dir, who, { ...machine({ 200: 's' }, 200), now: () => new Date(now.getTime() + 120_000) });
    expect(taken.tookOver?.pid).toBe(100);
  });

  it('clears at once a guard left by a process killed while taking over, and still waits on a live one', () => {
    const dir = tmp();
    acquireCycleLock(dir, who, machine({ 100: 's' }, 100)); // crashed holder
    const guard = path.join(dir, `${LOCK_FILE_NAME}.takeover`);
    const guardOf = (pid: number, start: string) => JSON.stringify({ pid, hostname: 'node-a', processStart: start, acquiredAt: '2026-03-01T05:59:59Z', host: 'headless', command: 'run --once' });
    // the taker (pid 300) still runs: wait for it
    fs.writeFileSync(guard, guardOf(300, 's300'));
    const now = () => new Date(fs.statSync(guard).mtimeMs + 1_000);
    expect(() => acquireCycleLock(dir, who, { ...machine({ 200: 's', 300: 's300' }, 200), now })).toThrow(/taking over a stale lock/);
    // it was killed (gone, or its pid reused): the next start takes over without waiting 30 s
    const taken = acquireCycleLock(dir, who, { ...machine({ 200: 's', 300: 'another process' }, 200), now });
    expect(taken.tookOver?.pid).toBe(100);
    expect(readCycleLock(dir)?.pid).toBe(200);
    expect(fs.existsSync(guard)).toBe(false);
  });

  it('release leaves a lock that another process took meanwhile', () => {
    const dir = tmp();
    const a = acquireCycleLock(dir, who, machine({ 100: 's' }, 100));
    acquireCycleLock(dir, who, machine({ 200: 's' }, 200)); // 100 judged gone by this machine's view
    a.release();
    expect(readCycleLock(dir)?.pid).toBe(200);
  });

  it('on this machine: a real exited process is gone, this one alive', () => {
    const r = spawnSync(process.execPath, ['-e', '0']);
    expect(r.status).toBe(0);
    const me = { pid: process.pid, hostname: os.hostname(), processStart: systemProbe.startOf(process.pid) };
    expect(holderState(me)).toBe('alive');
    expect(holderState({ ...me, pid: r.pid! })).toBe('gone');
    if (me.processStart) expect(holderState({ ...me, processStart: 'linux:1' })).toBe('gone');
  });
});
