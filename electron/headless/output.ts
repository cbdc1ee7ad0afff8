/**
 * What `dfae` prints on stdout: a run's report as text (or, with --json, as one JSON document), the dry
 * run's diff of what would be pushed, and the status. Pure formatting: no I/O.
 */
import type { CycleReport, CyclePushItem, CycleRunRow } from '../../engine/api/contract/cycle';
import { AUTO_APPROVAL_WAIT_REASONS } from '../../engine/api/contract/cycle';
import type { QueueStatus } from '../../engine/api/contract/decisions';
import { currencyExponent } from '../../engine/domain/money';

const secs = (ms: number | null) => (ms === null ? '-' : ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);
const n = (x: number) => x.toLocaleString('en-GB');

/** A value as shown: money in major units with its currency, seats as a count. */
export function formatValue(value: number | null, currency: string | null): string {
  if (value === null) return '-';
  if (!currency) return String(value);
  const e = currencyExponent(currency);
  return `${(value / 10 ** e).toFixed(e)}`;
}

export function formatReport(r: CycleReport): string {
  const out: string[] = [];
  out.push(`run ${r.runId}: ${r.status}${r.outcome ? ` (${r.outcome.replace('_', ' ')})` : ''} in ${secs(r.durationMs)}; ${r.dryRun ? 'DRY RUN, ' : ''}as of ${r.asOf}, markets: ${r.markets.length ? r.markets.join(' ') : 'all'}`);
  for (const s of r.stepReports) out.push(`  ${s.step.padEnd(10)} ${s.status.padEnd(9)} ${secs(s.durationMs).padStart(7)}  ${s.summary}`);
  if (r.sync) out.push(`synced:        ${r.sync.feeds.map((f) => `${f.feed} ${f.status} ${n(f.recordsWritten)}${f.recordsQuarantined ? ` (${n(f.recordsQuarantined)} quarantined)` : ''}`).join(', ') || 'no feed configured'}`);
  if (r.pricing) {
    const k = r.pricing.recommendations;
    out.push(`priced:        ${n(r.pricing.departures)} departure(s): ${n(k.fare)} fare(s), ${n(k.authorisation)} authorisation level(s), ${n(k.bid_price)} bid price(s) (pricing cycle ${r.pricing.cycleId})`);
  }
  if (r.network && r.network.solved) out.push(`network:       ${r.network.solved} day(s), ${n(r.network.itineraries)} connecting itinerar(ies), ${n(r.network.bidPrices)} LP bid price(s)`);
  if (r.proposals) out.push(`proposed:      ${n(r.proposals.published)} (${r.proposals.standing ? `${n(r.proposals.standing)} already proposed and kept, ` : ''}${n(r.proposals.unchanged)} unchanged left out${r.proposals.held ? `, ${r.proposals.held} held by overrides` : ''}${r.proposals.withdrawn ? `; ${n(r.proposals.withdrawn)} of earlier cycles withdrawn` : ''})`);
  if (r.autoApproval) {
    const a = r.autoApproval;
    const verb = a.dryRun ? 'would auto-approve' : 'auto-approved';
    out.push(`${(verb + ':').padEnd(15)}${n(a.approved)} of ${n(a.considered)}${a.rules.length ? ` — ${a.rules.map((x) => `rule ${x.ruleId} "${x.name}" (±${x.maxChangePct} %): ${n(x.approved)}`).join('; ')}` : ''}`);
    const waiting = Object.entries(a.waiting).sort((x, y) => y[1] - x[1]);
    const total = waiting.reduce((s, [, c]) => s + c, 0);
    out.push(`waiting:       ${n(total)} for a person${waiting.length ? ` — ${waiting.map(([why, c]) => `${n(c)}: ${AUTO_APPROVAL_WAIT_REASONS[why] ?? why}`).join('; ')}` : ''}`);
  }
  if (r.push) {
    out.push(`pushed:        ${n(r.push.accepted)} in ${r.push.batches} batch(es), ${n(r.push.rejected)} rejected${r.push.failed ? `, ${r.push.failed} batch(es) failed` : ''}${r.push.deadlineReached ? ', push deadline reached' : ''}; ${formatQueue(r.push.queue)}`);
  }
  if (r.wouldPush) out.push(`would push:    ${n(r.wouldPush.total)} decision(s)${r.wouldPush.total ? ` (${Object.entries(r.wouldPush.byKind).map(([k, c]) => `${k} ${n(c)}`).join(', ')})` : ''}`);
  out.push(`warnings:      ${r.warnings.length ? '' : 'none'}`);
  for (const w of r.warnings) out.push(`  [${w.step}] ${w.message}`);
  if (r.error) out.push(`error:         ${r.error}`);
  return `${out.join('\n')}\n`;
}

export function formatQueue(q: QueueStatus): string {
  return `outbox: ${n(q.queued)} queued${q.blocked ? ` (${n(q.blocked)} blocked)` : ''}, ${q.pendingBatches} pending batch(es), ${q.failedBatches} failed batch(es)`;
}

const DIFF_HEADER = ['KIND', 'MARKET', 'FLIGHT', 'DATE', 'CABIN', 'CLASS', 'CUR', 'CURRENT', 'NEW', 'CHANGE', 'WHY'];

function diffCells(i: CyclePushItem): string[] {
  return [
    i.kind, `${i.origin}-${i.destination}`, i.flightId.split('/')[0] || '-', i.travelDate, i.cabin, i.rbd || '-', i.currency ?? 'seats',
    formatValue(i.currentValue, i.currency), formatValue(i.proposedValue, i.currency),
    i.changePct === null ? '-' : `${i.changePct >= 0 ? '+' : ''}${i.changePct.toFixed(1)} %`, i.why,
  ];
}

/** The dry run's diff as a table: every item up to `limit` (0: all), then what was left out. */
export function formatDiff(summary: NonNullable<CycleReport['wouldPush']>, items: Iterable<CyclePushItem>, limit: number): string {
  if (summary.total === 0) return 'nothing would be pushed\n';
  const rows: string[][] = [DIFF_HEADER];
  let shown = 0;
  for (const i of items) {
    if (limit > 0 && shown >= limit) break;
    rows.push(diffCells(i));
    shown++;
  }
  // a fold, not Math.max(...): --diff-limit 0 prints every decision, more than a call takes as arguments
  const widths = DIFF_HEADER.map((_, c) => rows.reduce((w, r) => Math.max(w, r[c]!.length), 0));
  const lines = [`would push ${n(summary.total)} decision(s); by market: ${summary.byMarket.slice(0, 10).map((m) => `${m.market} ${n(m.count)}`).join(', ')}${summary.byMarket.length > 10 ? ', …' : ''}`];
  for (const r of rows) lines.push(r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
  if (shown < summary.total) lines.push(`… and ${n(summary.total - shown)} more (--diff-limit 0 prints all, --json gives them as data)`);
  return `${lines.join('\n')}\n`;
}

export function formatRunRow(r: CycleRunRow): string {
  const what = r.status === 'running' ? 'running' : `${r.status}${r.outcome ? ` (${r.outcome.replace('_', ' ')})` : ''}`;
  return `#${r.id} ${r.startedAt} ${r.host} ${r.trigger}${r.dryRun ? ' [dry run]' : ''}: ${what}, ${secs(r.durationMs)}; priced ${n(r.priced)}, proposed ${n(r.proposed)}, auto-approved ${n(r.autoApproved)}, waiting ${n(r.waiting)}, pushed ${n(r.pushed)}, failed ${n(r.pushFailed)}${r.error ? ` — ${r.error}` : ''}`;
}
