/**
 * BrowserWindow options that follow Electron's security checklist. Plain data: the main process passes
 * the result to `new BrowserWindow(...)`.
 */
import path from 'node:path';

export interface SecureWebPreferencesOptions {
  /** absolute path of the bundled preload (electron/dist/preload.cjs) */
  preloadPath: string;
  /** DevTools: on in development, off in packaged builds */
  devTools?: boolean;
  /** session partition, e.g. "persist:dfae" */
  partition?: string;
}

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  safeDialogs: true;
  enableWebSQL: false;
  plugins: false;
  autoplayPolicy: 'document-user-activation-required';
  devTools: boolean;
  partition?: string;
}

export function secureWebPreferences(opts: SecureWebPreferencesOptions): SecureWebPreferences {
  const { preloadPath } = opts;
  if (typeof preloadPath !== 'string' || !path.isAbsolute(preloadPath) || !/\.c?js$/.test(preloadPath)) {
    throw new Error(`secureWebPreferences: preloadPath must be the absolute path of the bundled preload script (.cjs or .js), got ${JSON.stringify(preloadPath)}`);
  }
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    enableWebSQL: false,
    plugins: false,
    autoplayPolicy: 'document-user-activation-required',
    devTools: opts.devTools ?? false,
    ...(opts.partition ? { partition: opts.partition } : {}),
  };
}

export interface SecureWindowOptions {
  show: false;
  title: string;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  backgroundColor: string;
  webPreferences: SecureWebPreferences;
}

/** BrowserWindow constructor options: hidden until 'ready-to-show', with secure webPreferences. */
export function secureWindowOptions(opts: SecureWebPreferencesOptions & { title?: string; width?: number; height?: number; backgroundColor?: string }): SecureWindowOptions {
  return {
    show: false,
    title: opts.title ?? 'DFAE Workbench',
    width: opts.width ?? 1440,
    height: opts.height ?? 900,
    minWidth: 1024,
    minHeight: 640,
    backgroundColor: opts.backgroundColor ?? '#ffffff',
    webPreferences: secureWebPreferences(opts),
  };
}

/** Settings whose presence or value breaks the checklist, mapped to the safe value. */
const REQUIRED: Record<string, unknown> = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
};

/**
 * Lists what is unsafe in a set of webPreferences (empty when all is well): a wrong value for a required
 * setting, a missing one whose Electron default is not safe enough to rely on, or Blink features enabled.
 */
export function findUnsafeWebPreferences(prefs: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [key, safe] of Object.entries(REQUIRED)) {
    if (prefs[key] !== safe) out.push(`${key} must be ${String(safe)} (is ${prefs[key] === undefined ? 'unset' : JSON.stringify(prefs[key])})`);
  }
  if (prefs.enableBlinkFeatures !== undefined && prefs.enableBlinkFeatures !== '') out.push('enableBlinkFeatures must not be used');
  if (typeof prefs.preload === 'string' && !path.isAbsolute(prefs.preload)) out.push('preload must be an absolute path');
  return out;
}
