/**
 * Test support: runs `npm run soak` (e2e/soak/run.ts) in a child process with the given options and
 * returns its JSON report. The soak drives the sandbox and the connectors, which engine/ never imports,
 * so the short versions under `npm test` run it as a program, as a user would.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** the figures of e2e/soak/run.ts SoakReport this test reads */
export interface SoakJson {
  ok: boolean;
  mustBeZero: Record<string, number>;
  figures: { recordsLost: number; duplicateApplications: number; replayedBatches: number; fuzzCases: number; fuzzCrashes: number; secretsFound: number; peakMemoryMb: number | null; longestLoopBlockMs: number | null };
  kill: { killed: number; survived: number; points: number; byPoint: Record<string, { planned: number; killed: number }>; cursorChecks: { checked: number; failed: number }; secrets: { outputs: number; hits: unknown[] }; problems: string[] } | null;
  fuzz: { api: { cases: number; failures: unknown[] }; ingest: { cases: number; crashes: number; failures: string[]; paths: Record<string, { cases: number; received: number; written: number; quarantined: number; validLanded: number }> } } | null;
  load: { lost: number; undrained: number; sync: { generatedStored: number; rssPeakMb: number; loopMaxMs: number }; push: { queued: number; accepted: number; rejected: number }; problems: string[] } | null;
}

export function runSoakJson(args: string[], timeoutMs: number): Promise<SoakJson> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'e2e', 'soak', 'run.ts'), ...args, '--json'], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the soak did not finish within ${timeoutMs} ms: ${stderr.slice(-1000)}`)); }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as SoakJson);
      } catch {
        reject(new Error(`the soak exited with ${code} without its JSON report: ${stderr.slice(-1500)}`));
      }
    });
  });
}
