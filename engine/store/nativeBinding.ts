/**
 * Which better-sqlite3 native binding a connection loads. The desktop app runs on Electron's ABI, so
 * `npm start` builds better-sqlite3 for it into a folder of its own and names the file in
 * DFAE_SQLITE_BINDING; the Electron process and its worker threads (pricing, the cycle's stages, the
 * checkpoint thread, the backups' checks) inherit the variable. Under Node (tests, the web bridge, the
 * headless CLI) it is unset and the package's own build loads.
 */
export const NATIVE_BINDING_ENV = 'DFAE_SQLITE_BINDING';

/** The binding to load: the one given, else NATIVE_BINDING_ENV's, else the package's own (undefined). */
export function nativeBindingOf(given?: string): string | undefined {
  return given || process.env[NATIVE_BINDING_ENV] || undefined;
}
