#!/usr/bin/env node
/**
 * `npm run pack`: builds the installers with electron-builder (electron-builder.yml).
 *   1. checks the network (Electron and better-sqlite3's Electron build are downloaded) and Node >= 22.12;
 *   2. builds the renderer (vite) and bundles main, workers and preload (esbuild, electron/build/bundle.mjs);
 *   3. runs electron-builder: better-sqlite3 rebuilt for Electron's ABI and unpacked from the asar,
 *      fuses flipped by electron/build/afterPack.cjs, installers written to release/.
 * Options: --linux, --win, --mac (default: this platform's targets), --dir (unpacked app only, no installer).
 *
 * electron-builder rebuilds native modules inside node_modules; the Node build of better-sqlite3 (used by
 * tests, `npm run web` and headless mode) is saved first and put back afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_DIR, bundleElectron } from './build/bundle.mjs';

export const NETWORK_MESSAGE = 'npm run pack needs internet to download Electron and rebuild better-sqlite3 for its ABI';
const MIN_NODE = [22, 12];

/**
 * Resolves when one of `urls` answers (any HTTP status) within `timeoutMs`; otherwise rejects with
 * NETWORK_MESSAGE and the reason. Honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
 * @param {{ urls: string[], timeoutMs?: number }} opts
 */
export async function checkNetwork({ urls, timeoutMs = 8000 }) {
  const { EnvHttpProxyAgent, request } = await import('undici');
  const dispatcher = new EnvHttpProxyAgent({ connectTimeout: timeoutMs });
  const reasons = [];
  try {
    for (const url of urls) {
      try {
        const res = await request(url, { method: 'HEAD', dispatcher, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
        await res.body.dump();
        return;
      } catch (err) {
        const cause = err?.cause?.code ?? err?.code ?? err?.name ?? 'error';
        reasons.push(`${new URL(url).host}: ${cause}`);
      }
    }
  } finally {
    await dispatcher.close();
  }
  throw new Error(`${NETWORK_MESSAGE} (could not reach ${reasons.join(', ')})`);
}

/** The URLs Electron and its headers come from (a configured mirror first). */
export function downloadHosts(env = process.env) {
  const urls = [];
  if (env.ELECTRON_MIRROR) urls.push(env.ELECTRON_MIRROR);
  urls.push('https://github.com/', 'https://artifacts.electronjs.org/');
  return urls;
}

/** A one-line problem when this Node is too old for electron-builder 26, @electron/rebuild 4 and @electron/fuses 2. */
export function nodeVersionProblem(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return undefined;
  return `npm run pack needs Node >= ${MIN_NODE.join('.')} (electron-builder, @electron/rebuild and @electron/fuses require it); this is Node ${version}`;
}

/**
 * @param {string[]} argv
 * @returns {{ linux: boolean, win: boolean, mac: boolean, dir: boolean }}
 */
export function parsePackArgs(argv) {
  const known = new Set(['--linux', '--win', '--mac', '--dir']);
  for (const a of argv) if (!known.has(a)) throw new Error(`npm run pack: unknown option ${a} (use --linux, --win, --mac, --dir)`);
  return { linux: argv.includes('--linux'), win: argv.includes('--win'), mac: argv.includes('--mac'), dir: argv.includes('--dir') };
}

/**
 * electron-builder's options for the chosen platforms, as its CLI would pass them: an empty list means
 * "the targets configured in electron-builder.yml"; no platform means this machine's; `dir` builds the
 * unpacked app only.
 */
export function builderTargets(args) {
  const out = { dir: args.dir };
  for (const p of ['linux', 'win', 'mac']) if (args[p]) out[p] = [];
  return out;
}

const NATIVE = path.join(PROJECT_DIR, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

async function main() {
  const args = parsePackArgs(process.argv.slice(2));
  process.chdir(PROJECT_DIR);

  await checkNetwork({ urls: downloadHosts() });
  const nodeProblem = nodeVersionProblem();
  if (nodeProblem) throw new Error(nodeProblem);

  console.log('pack: building the renderer (vite)');
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(PROJECT_DIR, 'app', 'vite.config.ts'), logLevel: 'warn' });

  console.log('pack: bundling main, workers and preload (esbuild)');
  fs.rmSync(path.join(PROJECT_DIR, 'electron', 'dist'), { recursive: true, force: true });
  const { outputs } = await bundleElectron({ outDir: 'electron/dist', sourcemap: false });
  for (const f of outputs) console.log(`  ${path.relative(PROJECT_DIR, f)}`);

  // electron-builder rebuilds better-sqlite3 for Electron inside node_modules: keep the Node build safe.
  const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-pack-')), 'better_sqlite3.node');
  const hadNative = fs.existsSync(NATIVE);
  if (hadNative) fs.copyFileSync(NATIVE, saved);
  try {
    console.log('pack: electron-builder');
    const { build } = await import('electron-builder');
    const artifacts = await build({ projectDir: PROJECT_DIR, config: path.join(PROJECT_DIR, 'electron-builder.yml'), publish: 'never', ...builderTargets(args) });
    console.log('pack: done');
    for (const a of artifacts) console.log(`  ${path.relative(PROJECT_DIR, a)}`);
  } finally {
    if (hadNative) {
      fs.mkdirSync(path.dirname(NATIVE), { recursive: true });
      fs.copyFileSync(saved, NATIVE);
    }
    fs.rmSync(path.dirname(saved), { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
