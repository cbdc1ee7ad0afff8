import { z } from 'zod';
import { method } from './define';

export interface SystemInfo {
  version: string;
  dataDir: string;
  /** 'sandbox' when the feeds point at the built-in sandbox */
  mode: 'sandbox' | 'live';
  now: string;
  host: 'desktop' | 'web' | 'headless' | 'test';
  schemaVersion: number;
}

export const systemContract = {
  'system.info': method<SystemInfo>()({
    description: 'Version, data folder, mode and the clock.',
    access: 'public',
    input: z.object({}).strict(),
  }),
};
