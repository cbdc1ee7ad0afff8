/**
 * The native menu, as a template of plain data (Electron's MenuItemConstructorOptions shape) built from
 * injected actions, so it is testable without Electron.
 */
export interface MenuActions {
  navigate(screen: string): void;
  syncAll(): void;
  toggleTheme(): void;
  reload(): void;
  toggleDevTools(): void;
  openDataFolder(): void;
  quit(): void;
}

export interface MenuItem {
  label?: string;
  role?: 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'minimize' | 'zoom' | 'close' | 'togglefullscreen' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'about' | 'quit';
  accelerator?: string;
  type?: 'separator';
  click?: () => void;
  submenu?: MenuItem[];
}

export const SCREEN_SHORTCUTS: readonly { screen: string; label: string }[] = [
  { screen: 'feeds', label: 'Feeds' },
  { screen: 'fares', label: 'Fares' },
];

export function buildMenuTemplate(actions: MenuActions, platform: NodeJS.Platform): MenuItem[] {
  const sep: MenuItem = { type: 'separator' };
  const screens: MenuItem[] = SCREEN_SHORTCUTS.map((s, i) => ({ label: s.label, accelerator: `CmdOrCtrl+${i + 1}`, click: () => actions.navigate(s.screen) }));
  return [
    ...(platform === 'darwin' ? [{ label: 'DFAE Workbench', submenu: [{ role: 'about' as const }, sep, { role: 'quit' as const }] }] : []),
    { label: 'File', submenu: [
      { label: 'Sync all feeds', accelerator: 'CmdOrCtrl+Shift+S', click: actions.syncAll },
      { label: 'Open data folder', click: actions.openDataFolder },
      sep,
      { label: platform === 'darwin' ? 'Close window' : 'Quit', accelerator: 'CmdOrCtrl+Q', click: actions.quit },
    ] },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: 'View', submenu: [
      ...screens,
      sep,
      { label: 'Toggle dark theme', accelerator: 'CmdOrCtrl+Shift+D', click: actions.toggleTheme },
      { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: actions.reload },
      { label: 'Developer tools', accelerator: 'CmdOrCtrl+Alt+I', click: actions.toggleDevTools },
      sep,
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'togglefullscreen' },
    ] },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }] },
  ];
}
