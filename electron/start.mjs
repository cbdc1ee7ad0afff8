#!/usr/bin/env node
// npm start: the desktop app, where an Electron binary can be had. Where none can be had it says so in
// one line and points to `npm run web` (the same workbench in a browser).
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const WEB_HINT = 'run `npm run web` to use the same workbench in a browser';

/** The binary named by node_modules/electron/path.txt, downloading it first when missing. */
function electronBinary() {
  const pathFile = path.join(electronDir, 'path.txt');
  const existing = () => {
    if (!fs.existsSync(pathFile)) return null;
    const bin = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
    return fs.existsSync(bin) ? bin : null;
  };
  let bin = existing();
  if (bin) return { bin };
  // Electron >= 45 downloads its binary lazily: try once (needs internet).
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000, encoding: 'utf8' });
  bin = existing();
  if (bin) return { bin };
  const why = (r.stderr || '').split('\n').map((l) => l.trim()).find((l) => /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|HTTPError|Error/.test(l)) ?? `exit code ${r.status}`;
  return { error: why.slice(0, 160) };
}

const [major, minor] = process.versions.node.split('.').map(Number);
const found = electronBinary();
if (!found.bin) {
  console.error(`npm start: no Electron binary on this machine (the download failed: ${found.error}); ${WEB_HINT}.`);
  process.exit(1);
}
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`npm start: the desktop build tools need Node >= 22.12 (this is ${process.version}); upgrade Node, or ${WEB_HINT}.`);
  process.exit(1);
}

const { bundleElectron } = await import('./build/bundle.mjs');
const { ensureElectronNativeBinding } = await import('./build/electronNative.mjs');

// the renderer, when its sources are newer than the build
const built = path.join(root, 'app', 'dist', 'index.html');
if (!fs.existsSync(built) || process.env.DFAE_REBUILD_RENDERER) {
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'app/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await bundleElectron({ logLevel: 'warning' });
let binding;
try {
  binding = await ensureElectronNativeBinding({ log: (l) => console.error(l) });
} catch (e) {
  console.error(`npm start: better-sqlite3 could not be built for Electron (${e.message}); ${WEB_HINT}.`);
  process.exit(1);
}
const child = spawn(found.bin, [path.join(root, 'electron', 'dist', 'main.cjs'), ...process.argv.slice(2)], {
  cwd: root, stdio: 'inherit', env: { ...process.env, DFAE_SQLITE_BINDING: binding },
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
