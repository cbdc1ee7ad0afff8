/**
 * electron-builder afterPack hook: flips Electron's fuses in the packaged binary, after the files are in
 * place and before code signing (so the signature covers them). Then it reads the fuses back and fails
 * the build if any did not take.
 *
 *   RunAsNode                             off  ELECTRON_RUN_AS_NODE cannot turn the app into a node binary
 *   EnableNodeOptionsEnvironmentVariable  off  NODE_OPTIONS cannot inject code (--require)
 *   EnableNodeCliInspectArguments         off  no --inspect / --inspect-brk debugger on the main process
 *   EnableEmbeddedAsarIntegrityValidation on   app.asar is checked against the hash electron-builder
 *                                              embeds (macOS Info.plist, Windows resource; no effect on Linux)
 *   OnlyLoadAppFromAsar                   on   the app is loaded from app.asar only, not a loose folder
 *   EnableCookieEncryption                on   the cookie store is encrypted with the OS keychain key
 *   GrantFileProtocolExtraPrivileges      off  the renderer is served from app://, so file:// needs no
 *                                              special powers
 * Other fuses keep Electron's defaults.
 */
'use strict';
const path = require('node:path');

const FUSES = Object.freeze({
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  EnableCookieEncryption: true,
  GrantFileProtocolExtraPrivileges: false,
});

// builder-util's Arch enum
const ARCH_ARM64 = 3;
const ARCH_UNIVERSAL = 4;

/** The file that holds the fuse wire, for electron-builder's AfterPackContext. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    case 'linux':
      return path.join(appOutDir, packager.executableName);
    default:
      throw new Error(`afterPack: cannot locate the Electron binary for platform "${electronPlatformName}"`);
  }
}

async function afterPack(context) {
  const { flipFuses, getCurrentFuseWire, FuseVersion, FuseV1Options, FuseState } = await import('@electron/fuses');
  const binary = electronBinaryPath(context);
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  const config = {
    version: FuseVersion.V1,
    // Apple Silicon refuses a binary whose ad-hoc signature no longer matches; re-sign ad hoc (a real
    // signature, if configured, replaces it right after this hook).
    resetAdHocDarwinSignature: isMac && (context.arch === ARCH_ARM64 || context.arch === ARCH_UNIVERSAL),
  };
  for (const [name, on] of Object.entries(FUSES)) config[FuseV1Options[name]] = on;
  await flipFuses(binary, config);

  const wire = await getCurrentFuseWire(binary);
  const wrong = Object.entries(FUSES).filter(([name, on]) => wire[FuseV1Options[name]] !== (on ? FuseState.ENABLE : FuseState.DISABLE));
  if (wrong.length > 0) throw new Error(`afterPack: fuses not set in ${binary}: ${wrong.map(([n]) => n).join(', ')}`);
  console.log(`  • fuses flipped  ${Object.entries(FUSES).map(([n, on]) => `${n}=${on ? 'on' : 'off'}`).join(' ')}`);
}

module.exports = afterPack;
module.exports.afterPack = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.electronBinaryPath = electronBinaryPath;
