/**
 * Load: a sandbox (in this process) feeding a long booking log — the simulated 3MKT market's own events
 * plus `bookings` generated ones (bigMarket.ts) — and the workbench (child.ts, its own process) syncing
 * it and then pushing `fareChanges` fare decisions through the push queue. Checks: every generated
 * booking is in the store (none lost), the queue drained (nothing left queued or batched), and reports
 * the workbench's peak memory and longest event-loop block per phase.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSimulatorMarket } from '../../../connectors/sandbox/simulator-market';
import { startSandbox } from '../../../connectors/sandbox/sandbox';
import { bundleSoakChildren, ROOT } from '../support/bundle';
import { withLongBookingLog } from './bigMarket';
import type { LoadArgs, LoadOutcome } from './child';

export interface LoadOptions {
  bookings: number;
  fareChanges: number;
  timeoutMs?: number;
}

export interface LoadReport extends LoadOutcome {
  bookingsServed: number;
  /** generated bookings missing from the store */
  lost: number;
  /** fare changes neither accepted nor rejected by the PSS, or left in the queue */
  undrained: number;
  problems: string[];
}

export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-load-'));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-load-sb-'));
  const market = withLongBookingLog(createSimulatorMarket({ seed: 11, today: '2026-03-01', historyDays: 14, scenario: '3mkt' }), o.bookings);
  const bundle = await bundleSoakChildren({ 'load-child': 'e2e/soak/load/child.ts' });
  const sandbox = await startSandbox({ market, dropDir: scratch });
  const endpointsFile = path.join(scratch, 'endpoints.json');
  fs.writeFileSync(endpointsFile, JSON.stringify(sandbox.endpoints), { mode: 0o600 });
  try {
    const args: LoadArgs = { dataDir, endpointsFile, now: market.clock.now().toISOString(), bookings: o.bookings, fareChanges: o.fareChanges };
    const out = await new Promise<LoadOutcome>((resolve, reject) => {
      // DFAE_LOAD_CHILD_ARGS: node options for the workbench process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it
      const child = spawn(process.execPath, [...(process.env.DFAE_LOAD_CHILD_ARGS ? process.env.DFAE_LOAD_CHILD_ARGS.split(' ') : []), bundle.files['load-child']!, JSON.stringify(args)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000); });
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the load child did not finish within ${o.timeoutMs ?? 3_600_000} ms`)); }, o.timeoutMs ?? 3_600_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        const line = stdout.split('\n').find((l) => l.startsWith('{"done"'));
        if (code === 0 && line) resolve(JSON.parse(line) as LoadOutcome);
        else reject(new Error(`the load child exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
      });
    });
    const problems: string[] = [];
    const lost = o.bookings - out.sync.generatedStored;
    if (out.sync.status !== 'ok') problems.push(`the PSS sync ended ${out.sync.status}: ${out.sync.error}`);
    if (lost !== 0) problems.push(`${lost} generated bookings are not in the store`);
    const undrained = out.push.pendingAfter + Math.max(0, out.push.approved - out.push.accepted - out.push.rejected);
    if (undrained !== 0) problems.push(`${undrained} fare changes not drained (${out.push.pendingAfter} left in the queue)`);
    if (out.push.queued < o.fareChanges) problems.push(`only ${out.push.queued} of ${o.fareChanges} fare changes were published`);
    return { ...out, bookingsServed: market.lastBookingSequence(), lost, undrained, problems };
  } finally {
    await sandbox.close();
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
