/**
 * `dfae whatif --decisions 12,13 [--draws N] [--seed S] [--json]`: simulate decisions before approving
 * them (the decisions.whatIf API method): the rest of the booking horizon of their flights replayed over
 * many draws with the proposed and the current values, from a market calibrated on the store. Reads the
 * store only; changes nothing; --now replays from that instant (default: the forecast's pricing cycle).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { createBackend } from '../../../engine/backend';
import { resolveDataDir } from '../../../engine/store/db';
import type { DecisionWhatIfResult, WhatIfOutcomeSummary, RevenueDifference } from '../../../engine/api/contract/decisions';
import { packageVersion } from '../../backend/host';
import { UsageError, type CliContext } from '../context';
import { EXIT } from '../exitCodes';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface WhatIfOptions { decisions: string; draws?: string; seed?: string }

/** "12,13" → [12, 13]; anything else is a usage error naming the option. */
export function parseDecisionIds(v: string): number[] {
  const parts = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0 || parts.some((p) => !/^[1-9]\d{0,14}$/.test(p))) throw new UsageError(`--decisions must list decision ids separated by commas, e.g. 12,13; got "${v}"`);
  return parts.map(Number);
}

function wholeNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,10}$/.test(v)) throw new UsageError(`--${name} must be a whole number, got "${v}"`);
  return Number(v);
}

async function whatif(ctx: CliContext, o: WhatIfOptions): Promise<number> {
  const ids = parseDecisionIds(o.decisions);
  const draws = wholeNumber('draws', o.draws);
  const seed = wholeNumber('seed', o.seed);
  const dataDir = resolveDataDir(ctx.globals.dataDir, ctx.io.env as NodeJS.ProcessEnv);
  const backend = createBackend({ dataDir, connectors: [], mode: 'live', host: 'headless', version: packageVersion(ROOT), backup: false, decisions: { autoPush: false } });
  try {
    const r = await backend.dispatcher.call('decisions.whatIf', { ids, ...(draws !== undefined ? { draws } : {}), ...(seed !== undefined ? { seed } : {}), ...(ctx.globals.now ? { asOf: ctx.globals.now } : {}) },
      { caller: { user: 'system:headless', role: 'revenue_manager' }, transport: 'inproc' });
    if (!r.ok) {
      const option = r.error.field === 'ids' ? '--decisions' : r.error.field === 'asOf' ? '--now' : r.error.field ? `--${r.error.field}` : 'whatif';
      if (r.error.code === 'validation' || r.error.code === 'not_found') throw new UsageError(`${option}: ${r.error.message}`);
      throw new Error(r.error.message);
    }
    const res = r.result as DecisionWhatIfResult;
    ctx.logger.info({ decisions: ids, draws: res.draws, flights: res.flights.length, elapsedMs: res.elapsedMs }, 'what-if finished');
    await ctx.out(ctx.globals.json ? `${JSON.stringify(res)}\n` : formatWhatIf(res));
    return EXIT.success;
  } finally {
    await backend.close();
  }
}

const money = (v: number) => v.toFixed(2);
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const signed = (v: number) => `${v >= 0 ? '+' : ''}${money(v)}`;

function outcomeLines(label: string, o: WhatIfOutcomeSummary): string {
  const r = o.revenue;
  const lf = o.loadFactor;
  return `  ${label.padEnd(10)} revenue ${money(r.mean).padStart(12)} ± ${money(r.sd).padStart(10)}  p5..p95 ${money(r.p5)}..${money(r.p95)}   load factor ${pct(lf.mean)} (p5..p95 ${pct(lf.p5)}..${pct(lf.p95)})   seats ${o.seatsSold.toFixed(1)}`;
}

function differenceLine(d: RevenueDifference, currency: string): string {
  return `  difference revenue ${signed(d.mean)} ${currency} per departure, 95 % interval ${signed(d.meanLow95)}..${signed(d.meanHigh95)}${d.meanLow95 > 0 ? ' (better)' : d.meanHigh95 < 0 ? ' (worse)' : ' (not distinguishable from zero)'}`;
}

/** The human-readable report (stable lines: tests and cron mail read them). */
export function formatWhatIf(res: DecisionWhatIfResult): string {
  const lines = [`what-if as of ${res.asOf}: ${res.draws} draws, seed ${res.seed}, ${res.flights.length} flight(s), ${(res.elapsedMs / 1000).toFixed(1)} s`];
  for (const f of res.flights) {
    lines.push(`flight ${f.flightId} ${f.origin}-${f.destination} ${f.localDate}: capacity ${f.capacity}, sold now ${f.soldNow}, revenue in hand ${money(f.revenueInHand)} ${f.currency}; decisions ${f.decisionIds.join(', ')}`);
    for (const c of f.changes) lines.push(`  change     ${c}`);
    lines.push(outcomeLines('current', f.current), outcomeLines('proposed', f.proposed), differenceLine(f.revenueDifference, f.currency));
    for (const c of f.cabins) lines.push(`  cabin ${c.cabin}: ${c.rbds.map((x) => `${x.rbd} ${x.sold}/${x.authorised}${x.status === 'closed' ? ' closed' : ''} to come ${x.demandToCome.toFixed(1)}`).join(', ')}; Frat5 ${c.frat5} from ${c.frat5Source}`);
  }
  if (res.total && res.flights.length > 1) {
    lines.push(`total (${res.total.currency}, capacity ${res.total.capacity}):`, outcomeLines('current', res.total.current), outcomeLines('proposed', res.total.proposed), differenceLine(res.total.revenueDifference, res.total.currency));
  }
  for (const n of res.notes) lines.push(`note: ${n}`);
  lines.push('assumptions:', ...res.assumptions.map((a) => `  - ${a}`));
  return `${lines.join('\n')}\n`;
}

export function whatifCommand(ctxOf: (cmd: Command) => CliContext, setExit: (code: number) => void): Command {
  return new Command('whatif')
    .description('simulate decisions before approving them: expected revenue and load factor with the proposed and the current values, over many draws')
    .requiredOption('--decisions <ids>', 'decision ids, separated by commas (1 to 200)')
    .option('--draws <n>', 'draws per flight and control set (1..100000, default 1000)')
    .option('--seed <n>', 'seed of the draws (the same seed gives the same result)')
    .action(async (o: WhatIfOptions, cmd: Command) => {
      const ctx = ctxOf(cmd);
      setExit(await whatif(ctx, o).catch((e) => ctx.fail(e)));
    });
}
