/**
 * Whether the desktop journeys (e2e/electron) can run here: the Electron binary the electron package
 * names, or why there is none. Global setup prints the reason, so a run's output says why they are
 * skipped and where they run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './run';

/** The Electron binary the electron package names, or why there is none. */
export function electronBinary(): { bin: string } | { reason: string } {
  const dir = path.join(ROOT, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) {
    return { reason: `no Electron binary: ${path.relative(ROOT, pathFile)} is missing (the electron package could not download its binary on this machine). This suite runs where \`npm start\` opens the desktop app: a machine with the Electron binary and Node >= 22.12.` };
  }
  const bin = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  if (!fs.existsSync(bin)) return { reason: `no Electron binary: ${path.relative(ROOT, pathFile)} names ${path.relative(ROOT, bin)}, which does not exist. This suite runs where \`npm start\` opens the desktop app.` };
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major < 22 || (major === 22 && minor < 12)) return { reason: `the desktop build tools need Node >= 22.12 (this is ${process.version}); this suite runs where \`npm start\` works.` };
  return { bin };
}
