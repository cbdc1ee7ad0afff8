import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../engine/api/contract/cycle';
import { LOCK_FILE_NAME, readCycleLock, systemProbe } from '../../engine/cycle/lock';
import { AS_OF, DFAE, startCliSandbox, type CliSandbox } from './testSupport';

let t: CliSandbox;
beforeAll(async () => { t = await startCliSandbox(); }, 60_000);
afterAll(async () => { await t?.close(); });

describe('one cycle at a time per data folder', () => {
  it('refuses a second instance with exit code 3 while the first runs, then lets the next one in', async () => {
    const dataDir = t.tmp();
    // slow booking pages keep the first instance busy long enough for the second to try
    await t.sb.faults('pss', [{ endpoint: 'GET /v1/booking-events', latencyMs: 1_000, count: 8 }]);
    try {
      const first = t.spawnCli(['sync', '--config', t.configFile, '--data-dir', dataDir, '--now', AS_OF]);
      const acquired = await first.waitForLog((l) => l.msg === 'cycle lock acquired');
      expect(readCycleLock(dataDir)).toMatchObject({ pid: first.child.pid, host: 'headless', command: 'dfae sync' });
      const second = await t.runCli(['run', '--once', '--config', t.configFile, '--data-dir', dataDir, '--now', AS_OF, '--json']);
      expect(second.code).toBe(3);
      expect(second.stdout).toBe('');
      expect(second.stderr).toMatch(new RegExp(`dfae: another cycle is running on this data folder \\(headless dfae sync, pid ${first.child.pid} on .*since ${String(acquired.time).slice(0, 16)}`));
      expect(second.logs.find((l) => l.level === 'error')).toMatchObject({ code: 3, holder: { pid: first.child.pid } });
      expect(second.logs.some((l) => l.msg === 'headless host starting')).toBe(false); // refused before starting anything
      const r = await first.done;
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
      expect(fs.existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
    } finally {
      await t.sb.clearFaults();
    }
    const again = await t.runCli(['sync', '--config', t.configFile, '--data-dir', dataDir, '--now', AS_OF]);
    expect(again.code).toBe(0);
  }, 90_000);

  it('takes over the stale lock of a crashed process and says so', async () => {
    const dataDir = t.tmp();
    const crashed = spawnSync(process.execPath, ['-e', '0']); // a pid that no longer runs
    fs.writeFileSync(path.join(dataDir, LOCK_FILE_NAME), JSON.stringify({
      pid: crashed.pid, hostname: os.hostname(), processStart: 'linux:1', acquiredAt: '2026-02-28T05:00:00.000Z', host: 'headless', command: 'dfae run --once',
    }));
    const r = await t.runCli(['sync', '--config', t.configFile, '--data-dir', dataDir, '--now', AS_OF, '--json']);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(r.logs.find((l) => l.msg.startsWith('took over a stale lock'))).toMatchObject({ level: 'warn', staleLock: { pid: crashed.pid, command: 'dfae run --once' } });
    const { report } = JSON.parse(r.stdout) as { report: CycleReport };
    expect(report).toMatchObject({ status: 'ok', trigger: 'headless:sync', steps: { sync: true, price: false, autoApprove: false, push: false } });
    expect(report.sync!.feeds).toHaveLength(4);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  }, 60_000);

  it('is refused while this machine\'s live process holds the lock, even with a stale-looking date', () => {
    const dataDir = t.tmp();
    fs.writeFileSync(path.join(dataDir, LOCK_FILE_NAME), JSON.stringify({
      pid: process.pid, hostname: os.hostname(), processStart: systemProbe.startOf(process.pid), acquiredAt: '2020-01-01T00:00:00.000Z', host: 'desktop', command: 'manual (rita)',
    }));
    const r = spawnSync(process.execPath, [DFAE, 'price', '--data-dir', dataDir, '--config', t.configFile], { env: { ...process.env, ...t.env }, encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/another cycle is running on this data folder \(desktop manual \(rita\)/);
  }, 60_000);
});
