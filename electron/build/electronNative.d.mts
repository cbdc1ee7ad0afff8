import type { RebuildOptions } from '@electron/rebuild';

export interface NativeTarget {
  projectDir?: string;
  electronVersion: string;
  platform?: NodeJS.Platform;
  arch?: string;
}

export declare function installedElectronVersion(projectDir?: string): string;
export declare function electronNativeDir(target: NativeTarget): string;
export declare function electronNativeBindingPath(target: NativeTarget): string;
export declare function ensureElectronNativeBinding(opts?: {
  projectDir?: string;
  electronVersion?: string;
  platform?: NodeJS.Platform;
  arch?: string;
  rebuild?: (options: RebuildOptions) => Promise<unknown>;
  log?: (line: string) => void;
}): Promise<string>;
