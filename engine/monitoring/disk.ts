/**
 * Free space on the disk that holds the data folder. The store grows with every cycle (decisions and
 * the audit log are kept: on the sandbox hub network about 1.2–1.3 GB a daily cycle), and a full disk stops
 * every write, so the workbench warns well before (AlertService.checkDisk).
 */
import fs from 'node:fs';

export interface DiskSpace {
  /** the folder measured */
  path: string;
  /** bytes an unprivileged process may still write there */
  freeBytes: number;
  totalBytes: number;
}

export function diskSpaceOf(dir: string): DiskSpace {
  const s = fs.statfsSync(dir);
  return { path: dir, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}
