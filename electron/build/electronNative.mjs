/**
 * better-sqlite3 for Electron during development (`npm start`). node_modules/better-sqlite3 is built for
 * Node (tests, `npm run web`, headless), and Electron needs a build for its own ABI. Rather than swap the
 * one in node_modules, this builds a copy with @electron/rebuild into a cache folder once per Electron
 * version, platform and arch, and returns the .node file for better-sqlite3's `nativeBinding` option
 * (openStore({ nativeBinding })). The build downloads Electron's headers or a prebuilt binary, so the
 * first run needs internet; later runs reuse the cache.
 *
 * Packaged apps do not use this: electron-builder rebuilds better-sqlite3 in place at pack time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_DIR } from './bundle.mjs';

const MODULE = 'better-sqlite3';

/** The Electron version installed in node_modules. */
export function installedElectronVersion(projectDir = PROJECT_DIR) {
  return JSON.parse(fs.readFileSync(path.join(projectDir, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** Where the Electron build of better-sqlite3 lives for one Electron version, platform and arch. */
export function electronNativeDir({ projectDir = PROJECT_DIR, electronVersion, platform = process.platform, arch = process.arch }) {
  if (!/^\d+\.\d+\.\d+/.test(electronVersion ?? '')) throw new Error(`electronNativeDir: invalid Electron version ${JSON.stringify(electronVersion)}`);
  return path.join(projectDir, 'node_modules', '.cache', 'dfae-electron-native', `electron-${electronVersion}-${platform}-${arch}`);
}

/** The .node file inside that folder (what `nativeBinding` takes). */
export function electronNativeBindingPath(opts) {
  return path.join(electronNativeDir(opts), 'node_modules', MODULE, 'build', 'Release', 'better_sqlite3.node');
}

/**
 * Returns the Electron-ABI better_sqlite3.node, building it first if the cache lacks it.
 * @param {{ projectDir?: string, electronVersion?: string, platform?: NodeJS.Platform, arch?: string,
 *           rebuild?: (options: import('@electron/rebuild').RebuildOptions) => Promise<unknown>,
 *           log?: (line: string) => void }} [opts]
 */
export async function ensureElectronNativeBinding(opts = {}) {
  const projectDir = opts.projectDir ?? PROJECT_DIR;
  const electronVersion = opts.electronVersion ?? installedElectronVersion(projectDir);
  const where = { projectDir, electronVersion, platform: opts.platform ?? process.platform, arch: opts.arch ?? process.arch };
  const binding = electronNativeBindingPath(where);
  if (fs.existsSync(binding)) return binding;

  const dir = electronNativeDir(where);
  const source = path.join(projectDir, 'node_modules', MODULE);
  const target = path.join(dir, 'node_modules', MODULE);
  const version = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')).version;
  opts.log?.(`building ${MODULE} ${version} for Electron ${electronVersion} (${where.platform}-${where.arch}) into ${path.relative(projectDir, dir)}; this needs internet once`);
  fs.rmSync(dir, { recursive: true, force: true });
  // A copy without the Node build; its own dependencies (prebuild-install, bindings) resolve from the project's node_modules above.
  fs.cpSync(source, target, { recursive: true, filter: (src) => path.relative(source, src).split(path.sep)[0] !== 'build' });
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'dfae-electron-native', private: true, dependencies: { [MODULE]: version } }, null, 2)}\n`);

  const rebuild = opts.rebuild ?? (await import('@electron/rebuild')).rebuild;
  try {
    await rebuild({ buildPath: dir, electronVersion, platform: where.platform, arch: where.arch, onlyModules: [MODULE], force: true, mode: 'sequential' });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not build ${MODULE} for Electron ${electronVersion}: ${err instanceof Error ? err.message : String(err)} (the build needs internet for Electron's headers or a prebuilt binary, and a C++ toolchain if no prebuilt binary fits)`);
  }
  if (!fs.existsSync(binding)) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`@electron/rebuild finished but ${path.relative(projectDir, binding)} was not produced`);
  }
  return binding;
}
