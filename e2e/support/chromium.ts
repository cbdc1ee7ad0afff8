import fs from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/** Debian's Chromium, with the flags this closed network needs; --no-sandbox only when root. */
export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = process.env.DFAE_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
  if (!executablePath) throw new Error('Chromium not found: install it with `apt-get install -y chromium` (or set DFAE_CHROMIUM to its path)');
  const args = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return { executablePath, args, headless: true };
}
