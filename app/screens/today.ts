/** The Today screen's reading of the workbench's state: what needs attention first, and the markets waiting for a decision. */
import type { AlertRow, CycleRunRow, FeedStatus, ReviewSummaryRow } from '../../engine/api/contract';
import type { ScreenId } from '../../engine/api/contract/screens';

export interface Attention { text: string; screen: ScreenId; action: string }

/** A day without a cycle: a scheduled daily cycle that did not run shows after this long. */
export const CYCLE_STALE_HOURS = 26;

/**
 * What needs attention before the proposals, most pressing first: a feed not OK (the engines price on old or
 * no data), the last cycle failed or older than a day, pushes the PSS failed. Parts not loaded yet are left out.
 */
export function attentionOf(s: { now: string | null; feeds: readonly FeedStatus[] | null; lastRun: CycleRunRow | null | undefined; failedPushes: number | null }): Attention[] {
  const out: Attention[] = [];
  for (const f of s.feeds ?? []) {
    if (f.state !== 'ok' && !f.running) out.push({ text: `${f.label} is ${f.state === 'never' ? 'not synced yet' : f.state}: ${f.reason.replace(/\.$/, '')}.`, screen: 'feeds', action: 'feeds' });
  }
  const r = s.lastRun;
  if (r === null) out.push({ text: 'No pricing cycle has run yet.', screen: 'runs', action: 'run one' });
  else if (r && ['failed', 'interrupted', 'cancelled'].includes(r.status)) {
    out.push({ text: `The last cycle (run ${r.id}, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC) ${r.status === 'failed' ? 'failed' : `was ${r.status}`}${r.error ? `: ${r.error}` : ''}.`, screen: 'runs', action: 'run history' });
  } else if (r && r.status !== 'running' && s.now && Date.parse(s.now) - Date.parse(r.startedAt) > CYCLE_STALE_HOURS * 3_600_000) {
    const hours = Math.floor((Date.parse(s.now) - Date.parse(r.startedAt)) / 3_600_000);
    out.push({ text: `No cycle has run for ${hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} hours`}: the proposals are priced on older data.`, screen: 'runs', action: 'run history' });
  }
  if (s.failedPushes) out.push({ text: `${s.failedPushes} decision(s) failed at the PSS and are not in force.`, screen: 'approvals', action: 're-queue' });
  return out;
}

export type WaitingMarket = ReviewSummaryRow & { controls: number; openAlerts: number };

/**
 * The markets with proposals waiting, most first: each market's fare proposals (their moves in percent) and
 * inventory controls (authorisation levels and bid prices, whose moves in seats are not comparable with fares')
 * side by side, with its open alerts; and the totals.
 */
export function waitingByMarket(fares: readonly ReviewSummaryRow[], controls: readonly ReviewSummaryRow[], alerts: readonly AlertRow[]): { total: number; outside: number; rows: WaitingMarket[] } {
  const open = new Map<string, number>();
  for (const a of alerts) if (a.origin && a.destination && a.status === 'open') open.set(`${a.origin}-${a.destination}`, (open.get(`${a.origin}-${a.destination}`) ?? 0) + 1);
  const byKey = new Map<string, WaitingMarket>();
  for (const r of fares) if (r.decisions > 0) byKey.set(r.key, { ...r, controls: 0, openAlerts: open.get(r.key) ?? 0 });
  for (const c of controls) {
    if (c.decisions === 0) continue;
    const m = byKey.get(c.key);
    if (m) {
      m.controls = c.decisions;
      m.outsideGuardrails += c.outsideGuardrails;
      m.flights = Math.max(m.flights, c.flights);
      if (c.firstDate < m.firstDate) m.firstDate = c.firstDate;
      if (c.lastDate > m.lastDate) m.lastDate = c.lastDate;
    } else {
      byKey.set(c.key, { ...c, decisions: 0, controls: c.decisions, avgChangePct: null, minChangePct: null, maxChangePct: null, openAlerts: open.get(c.key) ?? 0 });
    }
  }
  const out = [...byKey.values()].sort((a, b) => b.decisions + b.controls - (a.decisions + a.controls) || a.key.localeCompare(b.key));
  return { total: out.reduce((n, r) => n + r.decisions + r.controls, 0), outside: out.reduce((n, r) => n + r.outsideGuardrails, 0), rows: out };
}
