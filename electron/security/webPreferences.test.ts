import { describe, expect, it } from 'vitest';
import { findUnsafeWebPreferences, secureWebPreferences, secureWindowOptions } from './webPreferences';

const PRELOAD = '/opt/dfae/resources/app.asar/electron/dist/preload.cjs';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences({ preloadPath: PRELOAD });

  it('turns on isolation and the sandbox and keeps Node out of the renderer', () => {
    expect(prefs).toMatchObject({
      preload: PRELOAD,
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
      plugins: false,
      devTools: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(findUnsafeWebPreferences({ ...prefs })).toEqual([]);
  });

  it('enables DevTools only when asked (development)', () => {
    expect(secureWebPreferences({ preloadPath: PRELOAD, devTools: true }).devTools).toBe(true);
  });

  it.each(['preload.cjs', './electron/dist/preload.cjs', '/abs/preload.ts', ''])('refuses preload path %j', (p) => {
    expect(() => secureWebPreferences({ preloadPath: p })).toThrow(/absolute path of the bundled preload/);
  });

  it('builds hidden window options around them', () => {
    const o = secureWindowOptions({ preloadPath: PRELOAD, title: 'DFAE' });
    expect(o.show).toBe(false);
    expect(o.webPreferences.sandbox).toBe(true);
  });
});

describe('findUnsafeWebPreferences', () => {
  it('names each unsafe or missing setting', () => {
    const found = findUnsafeWebPreferences({ nodeIntegration: true, contextIsolation: false, enableBlinkFeatures: 'CSSVariables', preload: 'rel.js' });
    expect(found).toEqual(expect.arrayContaining([
      'contextIsolation must be true (is false)',
      'sandbox must be true (is unset)',
      'nodeIntegration must be false (is true)',
      'webSecurity must be true (is unset)',
      'enableBlinkFeatures must not be used',
      'preload must be an absolute path',
    ]));
  });
});
