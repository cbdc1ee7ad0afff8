/**
 * The native menu, as a template of plain data (Electron's MenuItemConstructorOptions shape) built from
 * injected actions, so it is testable without Electron.
 */
import { SCREENS } from '../../engine/api/contract/screens';

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


export function buildMenuTemplate(actions: MenuActions, platform: NodeJS.Platform): MenuItem[] {
  const sep: MenuItem = { type: 'separator' };
  // Go: every screen in the navigation's order and groups; the first nine with Ctrl/Cmd+1…9 (Ctrl/Cmd+0 resets the zoom)
  const screens: MenuItem[] = [];
  SCREENS.forEach((s, i) => {
    if (i > 0 && SCREENS[i - 1]!.group !== s.group) screens.push(sep);
    screens.push({ label: s.label, ...(i < 9 ? { accelerator: `CmdOrCtrl+${i + 1}` } : {}), click: () => actions.navigate(s.id) });
  });
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
      { label: 'Toggle dark theme', accelerator: 'CmdOrCtrl+Shift+D', click: actions.toggleTheme },
      { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: actions.reload },
      { label: 'Developer tools', accelerator: 'CmdOrCtrl+Alt+I', click: actions.toggleDevTools },
      sep,
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'togglefullscreen' },
    ] },
    { label: 'Go', submenu: screens },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }] },
  ];
}
