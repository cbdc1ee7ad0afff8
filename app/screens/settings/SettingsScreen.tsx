/** Settings: connectors, headless schedules, pricing guardrails and strategies, auto-approval rules, alert thresholds, retention, users and roles. */
import { useState } from 'react';
import { ConnectorsTab } from './ConnectorsTab';
import { SchedulesTab } from './SchedulesTab';
import { PricingTab } from './PricingTab';
import { RulesTab } from './RulesTab';
import { ThresholdsTab } from './ThresholdsTab';
import { RetentionTab } from './RetentionTab';
import { UsersTab } from './UsersTab';

const TABS = [
  { id: 'pricing', label: 'Guardrails & strategies', render: () => <PricingTab /> },
  { id: 'rules', label: 'Auto-approval', render: () => <RulesTab /> },
  { id: 'schedules', label: 'Headless schedules', render: () => <SchedulesTab /> },
  { id: 'thresholds', label: 'Alert thresholds', render: () => <ThresholdsTab /> },
  { id: 'retention', label: 'Retention', render: () => <RetentionTab /> },
  { id: 'connectors', label: 'Connectors', render: () => <ConnectorsTab /> },
  { id: 'users', label: 'Users & roles', render: () => <UsersTab /> },
] as const;

export function SettingsScreen() {
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('pricing');
  const current = TABS.find((t) => t.id === tab)!;
  return (
    <div className="screen" data-testid="settings-screen">
      <div className="screen-head"><h1>Settings</h1></div>
      <div className="tabs" role="tablist">
        {TABS.map((t) => <button key={t.id} type="button" role="tab" aria-selected={t.id === tab} className={t.id === tab ? 'active' : ''} onClick={() => setTab(t.id)} data-testid={`settings-tab-${t.id}`}>{t.label}</button>)}
      </div>
      {current.render()}
    </div>
  );
}
