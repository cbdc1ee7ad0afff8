import { lazy, Suspense, useEffect, useState } from 'react';
import { ScreenBoundary } from './components/ScreenBoundary';
import type { EventMessage } from '../engine/api/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useApi, useApiEvents, connectEventsToCache, sessionChanged } from './api/hooks';
import { call } from './api/client';
import { sessionInfo } from './api/session';
import { useUi, SCREEN_IDS, type ScreenId } from './state/ui';
import { SCREENS as SCREEN_LIST } from '../engine/api/contract/screens';
// each screen is its own chunk: the first screen shows without parsing the others (charts, grids)
const TodayScreen = lazy(() => import('./screens/TodayScreen').then((m) => ({ default: m.TodayScreen })));
const FeedsScreen = lazy(() => import('./screens/FeedsScreen').then((m) => ({ default: m.FeedsScreen })));
const FaresScreen = lazy(() => import('./screens/FaresScreen').then((m) => ({ default: m.FaresScreen })));
const ReviewScreen = lazy(() => import('./screens/review/ReviewScreen').then((m) => ({ default: m.ReviewScreen })));
const DetailScreen = lazy(() => import('./screens/DetailScreen').then((m) => ({ default: m.DetailScreen })));
const AnalyticsScreen = lazy(() => import('./screens/AnalyticsScreen').then((m) => ({ default: m.AnalyticsScreen })));
const ApprovalsScreen = lazy(() => import('./screens/ApprovalsScreen').then((m) => ({ default: m.ApprovalsScreen })));
const AlertsScreen = lazy(() => import('./screens/AlertsScreen').then((m) => ({ default: m.AlertsScreen })));
const AuditScreen = lazy(() => import('./screens/AuditScreen').then((m) => ({ default: m.AuditScreen })));
const RunsScreen = lazy(() => import('./screens/RunsScreen').then((m) => ({ default: m.RunsScreen })));
const SettingsScreen = lazy(() => import('./screens/settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })));
const OffersScreen = lazy(() => import('./screens/OffersScreen').then((m) => ({ default: m.OffersScreen })));
const ArchiveScreen = lazy(() => import('./screens/ArchiveScreen').then((m) => ({ default: m.ArchiveScreen })));
const SimulationsScreen = lazy(() => import('./screens/SimulationsScreen').then((m) => ({ default: m.SimulationsScreen })));
import { LoginScreen, SetupScreen } from './screens/LoginScreen';
import { AccountDialog } from './screens/AccountDialog';
import { CycleProgressBar } from './screens/cycle/CycleControls';
import { ErrorNote, Loading } from './components/States';

interface ScreenDef { id: ScreenId; label: string; group: string; render: () => React.ReactNode }

const RENDER: Record<ScreenId, () => React.ReactNode> = {
  today: () => <TodayScreen />,
  review: () => <ReviewScreen />,
  detail: () => <DetailScreen />,
  approvals: () => <ApprovalsScreen />,
  alerts: () => <AlertsScreen />,
  analytics: () => <AnalyticsScreen />,
  fares: () => <FaresScreen />,
  offers: () => <OffersScreen />,
  simulations: () => <SimulationsScreen />,
  feeds: () => <FeedsScreen />,
  runs: () => <RunsScreen />,
  audit: () => <AuditScreen />,
  archive: () => <ArchiveScreen />,
  settings: () => <SettingsScreen />,
};
const SCREENS: readonly ScreenDef[] = SCREEN_LIST.map((s) => ({ ...s, render: RENDER[s.id] }));
const GROUPS = [...new Set(SCREENS.map((s) => s.group))];

/** The root: readiness marker, theme, events → cache, and the auth gate before the shell. */
export function App() {
  const qc = useQueryClient();
  const theme = useUi((s) => s.theme);
  const info = useApi('system.info', {});
  const auth = useApi('auth.status', {}, { staleTime: 60_000 });
  useEffect(() => connectEventsToCache(qc), [qc]);
  useEffect(() => { document.documentElement.dataset.theme = theme; }, [theme]);
  const ready = info.isSuccess && auth.isSuccess;
  const failed = info.isError || auth.isError;
  useEffect(() => {
    document.getElementById('root')?.setAttribute('data-app-state', ready ? 'ready' : failed ? 'error' : 'loading');
  }, [ready, failed]);
  if (info.isPending || auth.isPending) return <div className="login-page"><Loading what="the workbench" /></div>;
  if (info.error || auth.error) {
    const retry = () => { void info.refetch(); void auth.refetch(); };
    return <div className="login-page"><ErrorNote error={(info.error ?? auth.error)!} onRetry={retry} /></div>;
  }
  if (auth.data.setupRequired) return <SetupScreen />;
  const session = sessionInfo(auth.data);
  if (!session.role) return <LoginScreen mode={info.data.mode} />;
  return <Shell />;
}

function Shell() {
  const qc = useQueryClient();
  const { screen, setScreen, theme, setTheme } = useUi();
  const info = useApi('system.info', {});
  const auth = useApi('auth.status', {}, { staleTime: 60_000 });
  const alerts = useApi('monitoring.alerts', { status: 'open', limit: 1 }, { refetchInterval: 60_000 });
  const session = sessionInfo(auth.data);
  const [account, setAccount] = useState(false);
  const setCycle = useUi((s) => s.setCycle);
  const cycleRuns = useApi('cycle.runs', { limit: 1 }, { staleTime: 60_000 });
  // a cycle started before this page loaded (or by another host) shows its progress too
  useEffect(() => {
    const r = cycleRuns.data?.running;
    if (r && !useUi.getState().cycle) setCycle({ runId: r.id, step: 'sync', message: `running since ${r.startedAt.slice(11, 16)} UTC (${r.host})`, done: null, total: null });
  }, [cycleRuns.data, setCycle]);
  useApiEvents((m: EventMessage) => {
    if (m.name === 'cycle.progress') { setCycle(m.payload); return; }
    if (m.name === 'cycle.run') { if (m.payload.status !== 'running') setCycle(null); return; }
    if (m.name !== 'ui.command') return;
    if (m.payload.command === 'toggle-theme') setTheme(useUi.getState().theme === 'dark' ? 'light' : 'dark');
    else if (SCREEN_IDS.includes(m.payload.screen as ScreenId)) setScreen(m.payload.screen as ScreenId);
  });
  useEffect(() => {
    // Alt+1 … Alt+9, Alt+0: the screens in the order of the navigation
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = e.key === '0' ? 10 : Number(e.key);
      if (n >= 1 && n <= SCREENS.length) { e.preventDefault(); setScreen(SCREENS[n - 1]!.id); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setScreen]);
  const logout = async () => {
    await call('auth.logout', {}).catch(() => undefined);
    await sessionChanged(qc);
  };
  const current = SCREENS.find((s) => s.id === screen) ?? SCREENS[0]!;
  return (
    <div className="shell">
      <nav className="nav" aria-label="Screens">
        <div className="brand">DFAE Workbench</div>
        {GROUPS.map((g) => (
          <div key={g} className="nav-group">
            <div className="nav-group-label">{g}</div>
            <ul>
              {SCREENS.filter((s) => s.group === g).map((s) => (
                <li key={s.id}>
                  <button type="button" className={s.id === current.id ? 'active' : ''} aria-current={s.id === current.id ? 'page' : undefined}
                    title={`Alt+${(SCREENS.indexOf(s) + 1) % 10}`} onClick={() => setScreen(s.id)} data-testid={`nav-${s.id}`}>
                    {s.label}
                    {s.id === 'alerts' && (alerts.data?.open ?? 0) > 0 && <span className="nav-count" data-testid="nav-alert-count">{alerts.data!.open}</span>}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
        <div className="nav-foot">
          <div className="who" data-testid="session-user">
            <strong>{session.displayName}</strong>
            <span className="muted small">{session.role?.replace('_', ' ')}</span>
          </div>
          <div className="row-actions">
            {session.login && <button type="button" className="small-button" onClick={() => setAccount(true)} data-testid="account">Account</button>}
            {session.login && <button type="button" className="small-button" onClick={() => void logout()} data-testid="logout">Log out</button>}
          </div>
          <button type="button" className="small-button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} data-testid="theme-toggle">
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
      <main className="main" data-testid={`screen-${current.id}`}>
        <CycleProgressBar />
        <ScreenBoundary key={current.id} screen={current.label.toLowerCase()}>
          <Suspense fallback={<Loading what={current.label.toLowerCase()} />}>{current.render()}</Suspense>
        </ScreenBoundary>
      </main>
      {account && <AccountDialog onClose={() => setAccount(false)} />}
    </div>
  );
}
