/**
 * The workbench's screens, in the order of its navigation: shared by the renderer (navigation, Alt+1…9) and
 * the desktop menu (View, Ctrl/Cmd+1…9), whose `ui.command` events name a screen by its id.
 */
export const SCREENS = [
  { id: 'today', label: 'Today', group: 'Decide' },
  { id: 'review', label: 'Review', group: 'Decide' },
  { id: 'detail', label: 'Flight / market detail', group: 'Decide' },
  { id: 'approvals', label: 'Approvals & pushes', group: 'Decide' },
  { id: 'alerts', label: 'Alerts', group: 'Decide' },
  { id: 'analytics', label: 'Analyst charts', group: 'Analyse' },
  { id: 'fares', label: 'Fares', group: 'Analyse' },
  { id: 'offers', label: 'Bundles & offers', group: 'Analyse' },
  { id: 'simulations', label: 'Revenue simulations', group: 'Analyse' },
  { id: 'feeds', label: 'Feeds', group: 'Operate' },
  { id: 'runs', label: 'Run history', group: 'Operate' },
  { id: 'audit', label: 'Audit log', group: 'Operate' },
  { id: 'archive', label: 'Archive', group: 'Operate' },
  { id: 'settings', label: 'Settings', group: 'Operate' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];
export const SCREEN_IDS: readonly ScreenId[] = SCREENS.map((s) => s.id);
