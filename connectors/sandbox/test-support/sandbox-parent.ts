/**
 * A host that starts a sandbox process and prints its pid, then waits to be killed without closing it
 * (sandbox.test.ts: the sandbox must not outlive it).
 */
import { startSandboxProcess } from '../process';

const p = await startSandboxProcess({ seed: 3, today: '2026-03-01', scenario: '3mkt', historyDays: 5, readyTimeoutMs: 120_000 });
process.stdout.write(`${JSON.stringify({ sandboxPid: p.pid })}\n`);
setInterval(() => {}, 60_000);
