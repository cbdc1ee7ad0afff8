/** Ends the web host the global setup started (its process group, by id) and removes its data folder. */
import fs from 'node:fs';
import { HOST_FILE, readHostInfo } from './run';

async function exited(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { process.kill(pid, 0); } catch { return true; }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

export default async function globalTeardown(): Promise<void> {
  // a host reused with DFAE_E2E_REUSE belongs to whoever started it
  if (process.env.DFAE_E2E_REUSE || !fs.existsSync(HOST_FILE)) return;
  const info = readHostInfo();
  if (info.reused || info.pid === null) return;
  try { process.kill(-info.pid, 'SIGTERM'); } catch { /* already gone */ }
  if (!(await exited(info.pid, 15_000))) {
    try { process.kill(-info.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
  }
  fs.rmSync(info.dataDir, { recursive: true, force: true });
  fs.rmSync(HOST_FILE, { force: true });
}
