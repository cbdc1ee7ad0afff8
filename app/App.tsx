import { useCallback, useEffect } from 'react';
import type { EventMessage } from '../engine/api/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useApi, useApiEvents, connectEventsToCache } from './api/hooks';
import { useUi, type ScreenId } from './state/ui';
import { FeedsScreen } from './screens/FeedsScreen';
import { FaresScreen } from './screens/FaresScreen';
import { ErrorNote, Loading } from './components/States';

const SCREENS: { id: ScreenId; label: string; render: () => React.ReactNode }[] = [
  { id: 'feeds', label: 'Feeds', render: () => <FeedsScreen /> },
  { id: 'fares', label: 'Fares', render: () => <FaresScreen /> },
];

export function App() {
  const qc = useQueryClient();
  const { screen, setScreen, theme, setTheme } = useUi();
  const info = useApi('system.info', {});
  useEffect(() => connectEventsToCache(qc), [qc]);
  const onUiCommand = useCallback((m: EventMessage) => {
    if (m.name !== 'ui.command') return;
    if (m.payload.command === 'toggle-theme') setTheme(useUi.getState().theme === 'dark' ? 'light' : 'dark');
    else { const target = m.payload.screen; if (SCREENS.some((s) => s.id === target)) setScreen(target as ScreenId); }
  }, [setScreen, setTheme]);
  useApiEvents(onUiCommand);
  useEffect(() => { document.documentElement.dataset.theme = theme; }, [theme]);
  useEffect(() => {
    document.getElementById('root')?.setAttribute('data-app-state', info.isSuccess ? 'ready' : info.isError ? 'error' : 'loading');
  }, [info.isSuccess, info.isError]);
  const current = SCREENS.find((s) => s.id === screen) ?? SCREENS[0]!;
  return (
    <div className="shell">
      <nav className="nav" aria-label="Screens">
        <div className="brand">DFAE Workbench</div>
        <ul>
          {SCREENS.map((s) => (
            <li key={s.id}>
              <button type="button" className={s.id === current.id ? 'active' : ''} aria-current={s.id === current.id ? 'page' : undefined}
                onClick={() => setScreen(s.id)} data-testid={`nav-${s.id}`}>{s.label}</button>
            </li>
          ))}
        </ul>
        <div className="nav-foot">
          <button type="button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} data-testid="theme-toggle">
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
          {info.data && (
            <p className="muted small" data-testid="system-info">
              {info.data.mode === 'sandbox' ? 'Sandbox' : 'Live'} · v{info.data.version}<br />
              <span title={info.data.dataDir}>{info.data.host}</span>
            </p>
          )}
        </div>
      </nav>
      <main className="main">
        {info.isPending ? <Loading what="the workbench" /> : info.error ? <ErrorNote error={info.error} /> : current.render()}
      </main>
    </div>
  );
}
