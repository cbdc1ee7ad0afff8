import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, type MenuActions, type MenuItem } from './menu';

describe('menu template', () => {
  it('has shortcuts that navigate, sync and toggle the theme, and an app menu on macOS only', () => {
    const calls: string[] = [];
    const actions: MenuActions = {
      navigate: (s) => calls.push(`nav:${s}`), syncAll: () => calls.push('sync'), toggleTheme: () => calls.push('theme'),
      reload: () => calls.push('reload'), toggleDevTools: () => calls.push('dev'), openDataFolder: () => calls.push('folder'), quit: () => calls.push('quit'),
    };
    const linux = buildMenuTemplate(actions, 'linux');
    expect(linux.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window']);
    expect(buildMenuTemplate(actions, 'darwin')[0]!.label).toBe('DFAE Workbench');
    const all: MenuItem[] = linux.flatMap((m) => m.submenu ?? []);
    const byAccel = (a: string) => all.find((i) => i.accelerator === a)!;
    byAccel('CmdOrCtrl+1').click!();
    byAccel('CmdOrCtrl+2').click!();
    byAccel('CmdOrCtrl+Shift+S').click!();
    byAccel('CmdOrCtrl+Shift+D').click!();
    expect(calls).toEqual(['nav:feeds', 'nav:fares', 'sync', 'theme']);
    const accels = all.map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accels).size).toBe(accels.length);
  });
});
