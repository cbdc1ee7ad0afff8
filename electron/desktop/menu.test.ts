import { describe, expect, it } from 'vitest';
import { SCREENS } from '../../engine/api/contract/screens';
import { buildMenuTemplate, type MenuActions, type MenuItem } from './menu';

describe('menu template', () => {
  it('has shortcuts that navigate to every screen, sync and toggle the theme, and an app menu on macOS only', () => {
    const calls: string[] = [];
    const actions: MenuActions = {
      navigate: (s) => calls.push(`nav:${s}`), syncAll: () => calls.push('sync'), toggleTheme: () => calls.push('theme'),
      reload: () => calls.push('reload'), toggleDevTools: () => calls.push('dev'), openDataFolder: () => calls.push('folder'), quit: () => calls.push('quit'),
    };
    const linux = buildMenuTemplate(actions, 'linux');
    expect(linux.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Go', 'Window']);
    // Go lists every screen of the navigation, in its order, with a separator between its groups
    const go = linux.find((m) => m.label === 'Go')!.submenu!;
    expect(go.filter((i) => i.label).map((i) => i.label)).toEqual(SCREENS.map((s) => s.label));
    expect(go.filter((i) => i.type === 'separator')).toHaveLength(new Set(SCREENS.map((s) => s.group)).size - 1);
    expect(go.filter((i) => i.accelerator).map((i) => i.accelerator)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((n) => `CmdOrCtrl+${n}`));
    expect(buildMenuTemplate(actions, 'darwin')[0]!.label).toBe('DFAE Workbench');
    const all: MenuItem[] = linux.flatMap((m) => m.submenu ?? []);
    const byAccel = (a: string) => all.find((i) => i.accelerator === a)!;
    byAccel('CmdOrCtrl+1').click!();
    byAccel('CmdOrCtrl+2').click!();
    byAccel('CmdOrCtrl+Shift+S').click!();
    byAccel('CmdOrCtrl+Shift+D').click!();
    expect(calls).toEqual([`nav:${SCREENS[0].id}`, `nav:${SCREENS[1].id}`, 'sync', 'theme']);
    const accels = all.map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accels).size).toBe(accels.length);
  });
});
