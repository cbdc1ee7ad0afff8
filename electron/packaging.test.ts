/**
 * The packaging configuration, checked without packing (which needs internet): electron-builder.yml is
 * loaded and validated by electron-builder's own loader and schema; its file and unpack rules are run
 * through electron-builder's own FileMatcher against the real better-sqlite3 in node_modules; the
 * afterPack hook flips the fuses of a stand-in binary carrying Electron's fuse wire and reads them back;
 * the esbuild bundler, the native-rebuild cache and pack.mjs's checks run for real on fixtures.
 */
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { bundleElectron, findWorkerEntries } from './build/bundle.mjs';
import { electronNativeBindingPath, electronNativeDir, ensureElectronNativeBinding } from './build/electronNative.mjs';
import { NETWORK_MESSAGE, builderTargets, checkNetwork, downloadHosts, nodeVersionProblem, parsePackArgs } from './pack.mjs';

const ROOT = path.resolve(__dirname, '..');
const require = createRequire(import.meta.url);

interface FileMatcherLike {
  addPattern(p: string): void;
  prependPattern(p: string): void;
  createFilter(): (file: string, stat: fs.Stats) => boolean;
}
const { FileMatcher } = require('app-builder-lib/out/fileMatcher.js') as { FileMatcher: new (from: string, to: string, expand: (p: string) => string, patterns?: string[]) => FileMatcherLike };
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

interface AfterPackContextLike {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { executableName?: string; appInfo: { productFilename: string } };
}
const hook = require('./build/afterPack.cjs') as {
  afterPack(ctx: AfterPackContextLike): Promise<void>;
  FUSES: Record<keyof typeof FuseV1Options, boolean>;
  electronBinaryPath(ctx: AfterPackContextLike): string;
};

let config: Configuration;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-packaging-'));
beforeAll(async () => {
  config = await getConfig(ROOT, path.join(ROOT, 'electron-builder.yml'), null);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const asArray = <T>(v: T | T[] | null | undefined): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);
/** `files` as patterns: electron-builder's loader normalises the list into file sets ({ filter: [...] }). */
const filePatterns = (files: Configuration['files']): string[] =>
  asArray(files as (string | { from?: string; filter?: string | string[] })[]).flatMap((f) => (typeof f === 'string' ? [f] : f.from == null || f.from === '.' ? asArray(f.filter) : []));
const targetNames = (t: unknown): string[] => asArray(t as (string | { target: string })[]).map((x) => (typeof x === 'string' ? x : x.target));

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and real installer targets for each platform', () => {
    expect(config.appId).toBe('com.dfae.workbench');
    expect(config.productName).toBe('DFAE Workbench');
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
    expect(config.publish).toBeNull();
  });

  it('packs the built renderer, the bundles and package.json, with main pointing at the bundle', () => {
    const files = filePatterns(config.files);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'app/dist/**/*', 'electron/dist/**/*']));
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect((config.extraMetadata as { main: string }).main).toBe('electron/dist/main.cjs');
    expect(pkg.main).toBe('electron/dist/main.cjs');
  });

  it('keeps sources, maps and native build leftovers out and the runtime files of better-sqlite3 in', () => {
    // electron-builder filters node_modules with the exclusions of `files` after "**/*" (getNodeModuleFileMatcher).
    const m = new FileMatcher(ROOT, '/app', (p) => p);
    for (const p of filePatterns(config.files)) if (p.startsWith('!')) m.addPattern(p);
    m.prependPattern('**/*');
    const filter = m.createFilter();
    const keeps = (rel: string) => filter(path.join(ROOT, rel), fs.statSync(path.join(ROOT, rel)));
    const mod = 'node_modules/better-sqlite3';
    for (const rel of [`${mod}/package.json`, `${mod}/lib/index.js`, `${mod}/lib/database.js`, `${mod}/build/Release/better_sqlite3.node`]) expect(keeps(rel), rel).toBe(true);
    const excluded = [`${mod}/deps/sqlite3/sqlite3.c`, `${mod}/src/better_sqlite3.cpp`, `${mod}/build/Makefile`, `${mod}/build/config.gypi`];
    for (const rel of ['build/Release/test_extension.node', 'build/Release/sqlite3.a']) if (fs.existsSync(path.join(ROOT, mod, rel))) excluded.push(`${mod}/${rel}`);
    const obj = path.join(ROOT, mod, 'build', 'Release', 'obj.target');
    if (fs.existsSync(obj)) excluded.push(path.relative(ROOT, firstFile(obj)));
    for (const rel of excluded) expect(keeps(rel), rel).toBe(false);
  });

  it('unpacks better-sqlite3 and every .node file from the asar', () => {
    const unpack = asArray(config.asarUnpack as string[]);
    expect(unpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/*.node']));
    const filter = new FileMatcher(ROOT, '/app', (p) => p, unpack).createFilter();
    const rel = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    expect(filter(path.join(ROOT, rel), fs.statSync(path.join(ROOT, rel)))).toBe(true);
    expect(filter(path.join(ROOT, 'package.json'), fs.statSync(path.join(ROOT, 'package.json')))).toBe(false);
    expect(config.asar).toBe(true);
  });

  it('rebuilds native modules for Electron at pack time and flips fuses in one place', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.nativeRebuilder).toBe('sequential');
    expect(config.buildDependenciesFromSource).toBe(false);
    expect(config.afterPack).toBe('./electron/build/afterPack.cjs');
    expect(fs.existsSync(path.join(ROOT, config.afterPack as string))).toBe(true);
    expect(config).not.toHaveProperty('electronFuses');
  });
});

/** A stand-in for an Electron binary: bytes, the fuse sentinel, wire version 1, 9 fuses at Electron's defaults, bytes. */
function fakeElectronBinary(file: string): void {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const defaults = [FuseState.ENABLE, FuseState.DISABLE, FuseState.ENABLE, FuseState.ENABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.ENABLE, FuseState.ENABLE];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL), Buffer.from([1, defaults.length, ...defaults]), Buffer.alloc(4096, 0x90)]));
}

describe('afterPack fuses', () => {
  it('sets the required fuses', () => {
    expect(hook.FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      EnableCookieEncryption: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it.each([
    { platform: 'linux', arch: 1, binary: 'dfae-workbench', fuseFile: 'dfae-workbench' },
    { platform: 'win32', arch: 1, binary: 'DFAE Workbench.exe', fuseFile: 'DFAE Workbench.exe' },
    { platform: 'darwin', arch: 1, binary: 'DFAE Workbench.app', fuseFile: 'DFAE Workbench.app/Contents/Frameworks/Electron Framework.framework/Electron Framework' },
  ])('flips them in the packaged $platform binary and leaves the others alone', async ({ platform, arch, binary, fuseFile }) => {
    const appOutDir = path.join(tmp, `out-${platform}`);
    fakeElectronBinary(path.join(appOutDir, fuseFile));
    const ctx = { appOutDir, electronPlatformName: platform, arch, packager: { executableName: 'dfae-workbench', appInfo: { productFilename: 'DFAE Workbench' } } };
    expect(hook.electronBinaryPath(ctx)).toBe(path.join(appOutDir, binary));
    await hook.afterPack(ctx);
    const wire = await getCurrentFuseWire(path.join(appOutDir, binary));
    const state = (name: keyof typeof FuseV1Options) => wire[FuseV1Options[name]];
    expect(state('RunAsNode')).toBe(FuseState.DISABLE);
    expect(state('EnableNodeOptionsEnvironmentVariable')).toBe(FuseState.DISABLE);
    expect(state('EnableNodeCliInspectArguments')).toBe(FuseState.DISABLE);
    expect(state('EnableEmbeddedAsarIntegrityValidation')).toBe(FuseState.ENABLE);
    expect(state('OnlyLoadAppFromAsar')).toBe(FuseState.ENABLE);
    expect(state('EnableCookieEncryption')).toBe(FuseState.ENABLE);
    expect(state('GrantFileProtocolExtraPrivileges')).toBe(FuseState.DISABLE);
    expect(state('LoadBrowserProcessSpecificV8Snapshot')).toBe(FuseState.DISABLE);
    expect(state('WasmTrapHandlers')).toBe(FuseState.ENABLE);
  });

  it('fails the build when the binary has no fuse wire', async () => {
    const appOutDir = path.join(tmp, 'out-bad');
    fs.mkdirSync(appOutDir, { recursive: true });
    fs.writeFileSync(path.join(appOutDir, 'dfae-workbench'), Buffer.alloc(1024));
    await expect(hook.afterPack({ appOutDir, electronPlatformName: 'linux', arch: 1, packager: { executableName: 'dfae-workbench', appInfo: { productFilename: 'x' } } })).rejects.toThrow(/sentinel/);
  });
});

describe('bundleElectron', () => {
  const project = path.join(tmp, 'project');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    fs.writeFileSync(path.join(project, rel), text);
  };
  const electron = 'electron';

  beforeAll(async () => {
    write('engine/where.ts', 'export const here = (): string => import.meta.url;\nexport const answer: number = 42;\n');
    write('electron/main/main.ts', `import { app } from '${electron}';\nimport Database from 'better-sqlite3';\nimport { here, answer } from '../../engine/where';\nexport const started = [app, Database, here(), answer];\n`);
    write('electron/main/sync/feeds.worker.ts', `import { here, answer } from '../../../engine/where';\nexport const w = answer;\nexport const url = here();\n`);
    write('connectors/feed/page.worker.ts', `import { answer } from '../../engine/where';\nexport const decoded = answer;\n`);
    write('electron/preload/preload.ts', `import { contextBridge } from '${electron}';\nimport { answer } from '../../engine/where';\ncontextBridge.exposeInMainWorld('dfae', { answer });\n`);
    outputs = (await bundleElectron({ projectDir: project, outDir: 'electron/dist', sourcemap: false })).outputs;
  });
  let outputs: string[] = [];

  it('writes main, worker and preload bundles with npm packages left external', () => {
    const dist = path.join(project, 'electron', 'dist');
    // workers of electron/main and of connectors/ (found beside main.cjs by their modules)
    expect(outputs).toEqual([path.join(dist, 'feeds.worker.cjs'), path.join(dist, 'main.cjs'), path.join(dist, 'page.worker.cjs'), path.join(dist, 'preload.cjs')]);
    expect((require(path.join(dist, 'page.worker.cjs')) as { decoded: number }).decoded).toBe(42);
    const main = fs.readFileSync(path.join(dist, 'main.cjs'), 'utf8');
    expect(main).toContain(`require("${electron}")`);
    expect(main).toContain('require("better-sqlite3")');
    expect(main).toContain('42');
    expect(main).not.toMatch(/from ["']\.\.\/\.\.\/engine/);
    const preload = fs.readFileSync(path.join(dist, 'preload.cjs'), 'utf8');
    expect(preload).toContain(`require("${electron}")`);
    expect(preload).toContain('42');
  });

  it('gives bundled code a working import.meta.url', () => {
    const dist = path.join(project, 'electron', 'dist');
    const worker = path.join(dist, 'feeds.worker.cjs');
    const mod = require(worker) as { w: number; url: string };
    expect(mod.w).toBe(42);
    expect(mod.url).toBe(pathToFileURL(worker).href);
  });

  it('refuses a preload that imports a Node built-in (it runs sandboxed)', async () => {
    const bad = path.join(tmp, 'bad-project');
    fs.cpSync(project, bad, { recursive: true });
    fs.writeFileSync(path.join(bad, 'electron/preload/preload.ts'), "import fs from 'node:fs';\nexport const x = fs.readFileSync;\n");
    await expect(bundleElectron({ projectDir: bad, logLevel: 'silent' })).rejects.toThrow(/sandboxed and cannot import the Node built-in "node:fs"/);
  });

  it('says which entry is missing', async () => {
    await expect(bundleElectron({ projectDir: path.join(tmp, 'empty') })).rejects.toThrow(/electron\/main\/main\.ts does not exist/);
    expect(findWorkerEntries(path.join(tmp, 'empty'))).toEqual({});
  });

  it("bundles the engine's workers beside main.cjs, where the pricing pool and the stage runner look (engine/workerStart.ts)", () => {
    const entries = findWorkerEntries() as Record<string, string>;
    expect(path.relative(ROOT, entries['pricing.worker']!)).toBe(path.join('electron', 'main', 'pricing.worker.ts'));
    expect(path.relative(ROOT, entries['stage.worker']!)).toBe(path.join('electron', 'main', 'stage.worker.ts'));
    // the revenue simulation's runs, started from the Simulations screen (engine/whatif/trial-pool.ts)
    expect(path.relative(ROOT, entries['trial.worker']!)).toBe(path.join('electron', 'main', 'trial.worker.ts'));
  });
});

describe('better-sqlite3 for Electron in development', () => {
  const project = path.join(tmp, 'native-project');
  beforeAll(() => {
    const mod = path.join(project, 'node_modules', 'better-sqlite3');
    fs.mkdirSync(path.join(mod, 'lib'), { recursive: true });
    fs.mkdirSync(path.join(mod, 'build', 'Release'), { recursive: true });
    fs.writeFileSync(path.join(mod, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }));
    fs.writeFileSync(path.join(mod, 'lib', 'index.js'), 'module.exports = 1;');
    fs.writeFileSync(path.join(mod, 'build', 'Release', 'better_sqlite3.node'), 'node-abi build');
    fs.mkdirSync(path.join(project, 'node_modules', 'electron'), { recursive: true });
    fs.writeFileSync(path.join(project, 'node_modules', 'electron', 'package.json'), JSON.stringify({ version: '45.5.0' }));
  });

  it('builds a copy once per Electron version into the cache and reuses it', async () => {
    const calls: { buildPath: string; electronVersion: string; onlyModules?: string[] | null }[] = [];
    const rebuild = async (o: { buildPath: string; electronVersion: string; onlyModules?: string[] | null }) => {
      calls.push(o);
      const copy = path.join(o.buildPath, 'node_modules', 'better-sqlite3');
      expect(fs.existsSync(path.join(copy, 'lib', 'index.js'))).toBe(true);
      expect(fs.existsSync(path.join(copy, 'build'))).toBe(false);
      fs.mkdirSync(path.join(copy, 'build', 'Release'), { recursive: true });
      fs.writeFileSync(path.join(copy, 'build', 'Release', 'better_sqlite3.node'), 'electron-abi build');
    };
    const binding = await ensureElectronNativeBinding({ projectDir: project, platform: 'linux', arch: 'x64', rebuild });
    expect(binding).toBe(electronNativeBindingPath({ projectDir: project, electronVersion: '45.5.0', platform: 'linux', arch: 'x64' }));
    expect(binding).toContain(path.join('node_modules', '.cache', 'dfae-electron-native', 'electron-45.5.0-linux-x64'));
    expect(fs.readFileSync(binding, 'utf8')).toBe('electron-abi build');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ electronVersion: '45.5.0', onlyModules: ['better-sqlite3'] });
    expect(fs.readFileSync(path.join(project, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), 'utf8')).toBe('node-abi build');
    await ensureElectronNativeBinding({ projectDir: project, platform: 'linux', arch: 'x64', rebuild });
    expect(calls).toHaveLength(1);
  });

  it('explains a failed build and leaves no half-built cache', async () => {
    const failing = async () => { throw new Error('getaddrinfo ENOTFOUND artifacts.electronjs.org'); };
    await expect(ensureElectronNativeBinding({ projectDir: project, platform: 'linux', arch: 'arm64', rebuild: failing })).rejects.toThrow(/could not build better-sqlite3 for Electron 45\.5\.0: getaddrinfo ENOTFOUND.*needs internet/);
    expect(fs.existsSync(electronNativeDir({ projectDir: project, electronVersion: '45.5.0', platform: 'linux', arch: 'arm64' }))).toBe(false);
  });
});

describe('pack.mjs checks', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.writeHead(302, { Location: '/elsewhere' }).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('passes when a download host answers', async () => {
    await expect(checkNetwork({ urls: [`http://127.0.0.1:${port}/`], timeoutMs: 2000 })).resolves.toBeUndefined();
  });

  it('fails with the one-line internet message when none answers', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await checkNetwork({ urls: [`http://127.0.0.1:${deadPort}/`], timeoutMs: 2000 }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message.startsWith(NETWORK_MESSAGE)).toBe(true);
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect((err as Error).message).not.toContain('\n');
    expect(NETWORK_MESSAGE).toBe('npm run pack needs internet to download Electron and rebuild better-sqlite3 for its ABI');
  });

  it('tries a configured Electron mirror first', () => {
    expect(downloadHosts({ ELECTRON_MIRROR: 'https://mirror.example/electron/' })[0]).toBe('https://mirror.example/electron/');
    expect(downloadHosts({})).toEqual(['https://github.com/', 'https://artifacts.electronjs.org/']);
  });

  it('requires Node 22.12 or later', () => {
    expect(nodeVersionProblem('20.19.0')).toMatch(/needs Node >= 22\.12.*this is Node 20\.19\.0/);
    expect(nodeVersionProblem('22.11.0')).toBeDefined();
    expect(nodeVersionProblem('22.12.0')).toBeUndefined();
    expect(nodeVersionProblem('24.1.0')).toBeUndefined();
  });

  it('maps its options to electron-builder platforms', () => {
    expect(builderTargets(parsePackArgs([]))).toEqual({ dir: false });
    expect(builderTargets(parsePackArgs(['--linux', '--win']))).toEqual({ dir: false, linux: [], win: [] });
    expect(builderTargets(parsePackArgs(['--mac', '--dir']))).toEqual({ dir: true, mac: [] });
    expect(() => parsePackArgs(['--publish'])).toThrow(/unknown option --publish/);
  });
});

function firstFile(dir: string): string {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isFile()) return p;
    if (e.isDirectory()) {
      const f = firstFile(p);
      if (f) return f;
    }
  }
  return '';
}
