import type { LogLevel } from 'esbuild';

export declare const PROJECT_DIR: string;
export declare const MAIN_ENTRY: 'electron/main/main.ts';
export declare const PRELOAD_ENTRY: 'electron/preload/preload.ts';

export interface BundleElectronOptions {
  /** output folder, relative to projectDir (default electron/dist) */
  outDir?: string;
  /** rebuild on change until dispose() */
  watch?: boolean;
  projectDir?: string;
  minify?: boolean;
  sourcemap?: boolean;
  logLevel?: LogLevel;
  /** called after each (re)build with its error count */
  onRebuild?: (errors: number) => void;
}

export interface BundleElectronResult {
  /** absolute paths of the .cjs files written (main.cjs, preload.cjs, <name>.worker.cjs) */
  outputs: string[];
  dispose(): Promise<void>;
}

export declare function findWorkerEntries(projectDir?: string): Record<string, string>;
export declare function bundleElectron(opts?: BundleElectronOptions): Promise<BundleElectronResult>;
