/**
 * The desktop host: Electron glue only. Everything it calls is a plain module tested under Node:
 * the backend (engine/backend via electron/backend/host), the security rules (electron/security), the
 * secret store (electron/secrets), the window state and the menu (electron/desktop).
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, shell, safeStorage, screen, Menu, Notification, utilityProcess } from 'electron';
import readline from 'node:readline';
import { resolveDataDir } from '../../engine/store/db';
import type { Caller } from '../../engine/api/dispatch';
import {
  APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_ENTRY_URL, createAppProtocolHandler, secureWindowOptions, applyWindowSecurity,
  checkIpcSender, ipcSenderInfo,
} from '../security/index';
import { createSafeStorageSecretStore, desktopSecretsFile } from '../secrets/index';
import { startHost, resolveConfig, type Host, type RunningSandbox } from '../backend/host';
import { handleInvoke, IPC_INVOKE, IPC_EVENT, type IpcSession } from '../backend/ipc';
import { loadWindowState, saveWindowState } from '../desktop/windowState';
import { buildMenuTemplate } from '../desktop/menu';
import type { SandboxEndpoints } from '../../connectors/sandbox/sandbox';
import { SANDBOX_NODE_FLAGS, sandboxEnv } from '../../connectors/sandbox/node-flags';

// electron/dist/main.cjs → project (or app.asar) root
const ROOT = path.resolve(__dirname, '..', '..');
const argv = process.argv.slice(app.isPackaged ? 1 : 2);
const flag = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
if (!app.requestSingleInstanceLock()) app.quit();

/** The sandbox in Electron's utility process (no Node binary needed, works with the run-as-node fuse off). */
function startSandboxUtility(s: { seed: number; today?: string; port: number; historyDays?: number }, dropDir: string): Promise<RunningSandbox> {
  const args = ['--seed', String(s.seed), '--drop-dir', dropDir, '--cache-dir', path.join(path.dirname(dropDir), 'sandbox-cache')];
  if (s.today) args.push('--today', s.today);
  if (s.port) args.push('--port', String(s.port));
  if (s.historyDays) args.push('--history-days', String(s.historyDays));
  const child = utilityProcess.fork(path.join(__dirname, 'sandbox.worker.cjs'), args, { stdio: 'pipe', serviceName: 'DFAE sandbox', execArgv: [...SANDBOX_NODE_FLAGS], env: sandboxEnv(process.env) });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sandbox did not become ready within 180 s')), 180_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the sandbox exited with code ${code}`)); });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: { ready?: boolean; endpoints?: SandboxEndpoints; error?: string };
      try { msg = JSON.parse(line) as typeof msg; } catch { return; }
      if (msg.ready && msg.endpoints) {
        clearTimeout(timer);
        resolve({ endpoints: msg.endpoints, close: async () => { child.kill(); } });
      } else if (msg.error) { clearTimeout(timer); reject(new Error(msg.error)); }
    });
  });
}

async function start(): Promise<void> {
  const dataDir = resolveDataDir(flag('--data-dir') ?? (process.env.DFAE_DATA_DIR ? undefined : app.getPath('userData')));
  const { config } = resolveConfig(dataDir, flag('--config'));
  const secrets = createSafeStorageSecretStore({ safeStorage, file: desktopSecretsFile(dataDir) });
  let host: Host;
  try {
    host = await startHost({
      dataDir, config, secrets, host: 'desktop', version: app.getVersion(),
      startSandbox: (s) => startSandboxUtility(s, path.join(dataDir, 'sandbox-drops')),
      log: (level, message, fields) => { if (level !== 'debug') console.log(JSON.stringify({ level, msg: message, ...fields })); },
    });
  } catch (e) {
    const { dialog } = await import('electron');
    dialog.showErrorBox('DFAE Workbench could not start', (e as Error).message);
    app.exit(1);
    return;
  }

  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: path.join(ROOT, 'app', 'dist') }));
  const stateFile = path.join(dataDir, 'window-state.json');
  const ws = loadWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...secureWindowOptions({ preloadPath: path.join(__dirname, 'preload.cjs'), devTools: !app.isPackaged, title: 'DFAE Workbench', width: ws.width, height: ws.height }),
    ...(ws.x !== undefined && ws.y !== undefined ? { x: ws.x, y: ws.y } : {}),
    show: false,
  });
  if (ws.maximized) win.maximize();
  applyWindowSecurity(win, { openExternal: (url) => shell.openExternal(url), onEvent: (e) => console.warn(JSON.stringify({ level: 'warn', msg: 'security', ...e })) });
  const save = () => { if (!win.isDestroyed()) saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() }); };
  win.on('close', save);

  const session: IpcSession = { caller: null as Caller | null };
  ipcMain.handle(IPC_INVOKE, (event, method: unknown, input: unknown) => {
    const sender = checkIpcSender(ipcSenderInfo(event), { webContentsId: () => (win.isDestroyed() ? undefined : win.webContents.id) });
    if (!sender.ok) return { ok: false, error: { code: 'forbidden', message: sender.reason } };
    return handleInvoke(host.backend.dispatcher, session, method, input);
  });
  const unsubscribe = host.backend.events.subscribe((m) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, m);
    const payload = m.payload as { title?: string; severity?: string; message?: string };
    if (m.name.startsWith('alert') && payload.title && Notification.isSupported()) new Notification({ title: payload.title, body: payload.message ?? '' }).show();
  });
  const sendUi = (payload: Record<string, string>) => { if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, { name: 'ui.command', payload, at: new Date().toISOString() }); };
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({
    navigate: (s) => sendUi({ command: 'navigate', screen: s }),
    syncAll: () => { void host.backend.feeds.sync(undefined, 'menu', false); },
    toggleTheme: () => sendUi({ command: 'toggle-theme' }),
    reload: () => win.webContents.reload(),
    toggleDevTools: () => { if (!app.isPackaged) win.webContents.toggleDevTools(); },
    openDataFolder: () => { void shell.openPath(dataDir); },
    quit: () => app.quit(),
  }, process.platform)));

  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_ENTRY_URL);
  void host.backend.feeds.sync(undefined, 'startup', false).catch(() => {});

  let closing = false;
  app.on('before-quit', (e) => {
    if (closing) return;
    e.preventDefault();
    closing = true;
    save();
    unsubscribe();
    void host.close().finally(() => app.exit(0));
  });
}

app.on('second-instance', () => {
  const w = BrowserWindow.getAllWindows()[0];
  if (w) { if (w.isMinimized()) w.restore(); w.focus(); }
});
app.on('window-all-closed', () => app.quit());
void app.whenReady().then(start);
