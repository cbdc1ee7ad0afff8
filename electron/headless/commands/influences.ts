/**
 * `dfae influences`: the demand influences (an analyst's change of a market's forecast demand over departure
 * dates) from a shell, through the same API as the Analyst charts screen:
 *
 *   dfae influences [list] [--all] [--market FRA-CDG] [--json]  list (not yet over; --all: every one)
 *   dfae influences add --name "Strike" --market FRA-CDG --from 2026-12-03 --to 2026-12-05 --change -30 [--cabin J] [--note …]
 *   dfae influences delete <id>
 *   dfae influences import <file.csv>                           name,origin,destination,from,to,change_pct[,note,cabin]
 *
 * --market takes "FRA-CDG", "FRA-*" (every market from FRA), "*-CDG" or "*" (the network). An import saves
 * every row or none: each row is checked first, and a file with a bad row saves nothing and names each bad
 * row's line, column and reason.
 * Each change is audited as `headless:<user>` (--by to name someone else).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { createBackend } from '../../../engine/backend';
import { resolveDataDir } from '../../../engine/store/db';
import { influenceChange, influenceFactor, influenceScope, type DemandInfluence } from '../../../engine/api/contract/influences';
import type { Caller } from '../../../engine/api/dispatch';
import { packageVersion } from '../../backend/host';
import { UsageError, type CliContext } from '../context';
import { EXIT } from '../exitCodes';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const IMPORT_COLUMNS = ['name', 'origin', 'destination', 'from', 'to', 'change_pct', 'note', 'cabin'] as const;
/** columns an import file may leave out */
const OPTIONAL_COLUMNS: readonly string[] = ['note', 'cabin'];

/** "FRA-CDG" | "FRA-*" | "*-CDG" | "*" → origin and destination (null: any). */
export function parseMarket(v: string): { origin: string | null; destination: string | null } {
  if (v.trim() === '*') return { origin: null, destination: null };
  const m = /^(\*|[A-Z]{3})-(\*|[A-Z]{3})$/.exec(v.trim().toUpperCase());
  if (!m) throw new UsageError(`--market must be like FRA-CDG, FRA-*, *-CDG or * (the network), got "${v}"`);
  return { origin: m[1] === '*' ? null : m[1]!, destination: m[2] === '*' ? null : m[2]! };
}

function changeFactor(v: string, where: string): number {
  const f = influenceFactor(v);
  if (f === null) throw new UsageError(`${where} must be a change in per cent, e.g. -30 or 15, got "${v}"`);
  return f;
}

/** One row of an import file, as the API's input (errors name the line and column). */
export interface ImportRow { line: number; input: { name: string; origin: string | null; destination: string | null; cabin: string | null; from: string; to: string; factor: number; note: string } }

/** The rows of an import file, or every problem found (line, column, reason). */
export function parseImport(text: string): { rows: ImportRow[]; problems: string[] } {
  const problems: string[] = [];
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (e) {
    return { rows: [], problems: [`the file is not CSV: ${(e as Error).message}`] };
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const missing = IMPORT_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.includes(c) && !header.includes(c));
  if (missing.length) return { rows: [], problems: [`line 1: the header lacks ${missing.join(', ')} (expected ${IMPORT_COLUMNS.join(',')})`] };
  const col = (r: string[], c: (typeof IMPORT_COLUMNS)[number]) => (header.indexOf(c) >= 0 ? (r[header.indexOf(c)] ?? '') : '');
  const rows: ImportRow[] = [];
  records.slice(1).forEach((r, i) => {
    const line = i + 2;
    const factor = influenceFactor(col(r, 'change_pct'));
    if (factor === null) { problems.push(`line ${line}, change_pct: a change in per cent, e.g. -30 or 15, got "${col(r, 'change_pct')}"`); return; }
    const airport = (c: 'origin' | 'destination') => { const v = col(r, c).toUpperCase(); return v === '' || v === '*' ? null : v; };
    rows.push({ line, input: { name: col(r, 'name'), origin: airport('origin'), destination: airport('destination'), cabin: col(r, 'cabin').toUpperCase() || null, from: col(r, 'from'), to: col(r, 'to'), factor, note: col(r, 'note') } });
  });
  return { rows, problems };
}

function formatList(rows: readonly DemandInfluence[]): string {
  if (rows.length === 0) return 'no demand influence\n';
  return rows.map((i) => `${String(i.id).padStart(5)}  ${influenceScope(i).padEnd(17)} ${i.from} to ${i.to}  ${influenceChange(i.factor).padStart(8)}  ${i.name}${i.note ? ` (${i.note})` : ''}  by ${i.updatedBy}`).join('\n') + '\n';
}

async function withApi<T>(ctx: CliContext, by: string | undefined, fn: (call: (method: string, input: unknown) => Promise<unknown>) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDir(ctx.globals.dataDir, ctx.io.env as NodeJS.ProcessEnv);
  const backend = createBackend({ dataDir, connectors: [], mode: 'live', host: 'headless', version: packageVersion(ROOT), backup: false, checkpoints: false, decisions: { autoPush: false } });
  const caller: Caller = { user: by ?? `headless:${os.userInfo().username}`, role: 'analyst' };
  const call = async (method: string, input: unknown) => {
    const r = await backend.dispatcher.call(method, input, { caller, transport: 'inproc' });
    if (!r.ok) {
      const where = r.error.issues?.length ? r.error.issues.map((x) => `${x.field}: ${x.message}`).join('; ') : `${r.error.field ? `${r.error.field}: ` : ''}${r.error.message}`;
      if (r.error.code === 'validation' || r.error.code === 'not_found') throw new UsageError(where);
      throw new Error(where);
    }
    return r.result;
  };
  try {
    return await fn(call);
  } finally {
    await backend.close();
  }
}

export function influencesCommand(ctxOf: (cmd: Command) => CliContext, setExit: (code: number) => void): Command {
  const run = (fn: (ctx: CliContext) => Promise<number>) => async (...args: unknown[]) => {
    const cmd = args.at(-1) as Command;
    const ctx = ctxOf(cmd);
    try {
      setExit(await fn(ctx));
    } catch (e) {
      if (e instanceof UsageError) { ctx.io.stderr.write(`dfae influences: ${e.message}\n`); setExit(EXIT.config); return; }
      throw e;
    }
  };
  const influences = new Command('influences')
    .description('demand influences: an analyst\'s change of a market\'s forecast demand over departure dates (list, add, delete, import)');
  influences.command('list', { isDefault: true })
    .description('the influences not yet over, by first date')
    .option('--all', 'also those already over', false)
    .option('--market <market>', 'those applying to a market: FRA-CDG')
    .action(run(async (ctx) => {
      const o = influences.commands.find((c) => c.name() === 'list')!.opts<{ all: boolean; market?: string }>();
      const m = o.market ? parseMarket(o.market) : null;
      if (m && (m.origin === null || m.destination === null)) throw new UsageError('--market for a list names one market, e.g. FRA-CDG');
      const { rows } = await withApi(ctx, undefined, (call) => call('influences.list', { includePast: o.all, ...(m ? { origin: m.origin, destination: m.destination } : {}) })) as { rows: DemandInfluence[] };
      await ctx.out(ctx.globals.json ? `${JSON.stringify(rows)}\n` : formatList(rows));
      return EXIT.success;
    }));
  influences.command('add')
    .description('add a demand influence; the next pricing cycle applies it')
    .requiredOption('--name <name>', 'what it is, e.g. "Strike at CDG"')
    .requiredOption('--market <market>', 'FRA-CDG, FRA-* (every market from FRA), *-CDG or * (the network)')
    .requiredOption('--from <date>', 'first departure date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last departure date, YYYY-MM-DD')
    .requiredOption('--change <pct>', 'the change of the forecast demand in per cent, -80 to 400 (e.g. -30)')
    .option('--cabin <cabin>', 'one cabin\'s demand only, e.g. J (default: every cabin)')
    .option('--note <text>', 'why, and where it was read', '')
    .option('--by <name>', 'who the audit log names (default: headless:<user>)')
    .action(run(async (ctx) => {
      const o = influences.commands.find((c) => c.name() === 'add')!.opts<{ name: string; market: string; cabin?: string; from: string; to: string; change: string; note: string; by?: string }>();
      const input = { name: o.name, ...parseMarket(o.market), cabin: o.cabin ? o.cabin.toUpperCase() : null, from: o.from, to: o.to, factor: changeFactor(o.change, '--change'), note: o.note };
      const saved = await withApi(ctx, o.by, (call) => call('influences.save', input)) as DemandInfluence;
      ctx.logger.info({ id: saved.id, market: influenceScope(saved), from: saved.from, to: saved.to, factor: saved.factor }, 'demand influence added');
      await ctx.out(ctx.globals.json ? `${JSON.stringify(saved)}\n` : `added ${formatList([saved])}`);
      return EXIT.success;
    }));
  influences.command('delete')
    .description('delete a demand influence by its id')
    .argument('<id>', 'the influence\'s id (dfae influences lists them)')
    .option('--by <name>', 'who the audit log names (default: headless:<user>)')
    .action(run(async (ctx) => {
      const cmd = influences.commands.find((c) => c.name() === 'delete')!;
      const raw = cmd.args[0] ?? '';
      if (!/^[1-9]\d{0,14}$/.test(raw)) throw new UsageError(`the id must be a whole number, got "${raw}"`);
      await withApi(ctx, cmd.opts<{ by?: string }>().by, (call) => call('influences.delete', { id: Number(raw) }));
      await ctx.out(ctx.globals.json ? `${JSON.stringify({ deleted: Number(raw) })}\n` : `deleted demand influence ${raw}\n`);
      return EXIT.success;
    }));
  influences.command('import')
    .description(`add the influences of a CSV file (header ${IMPORT_COLUMNS.join(',')}, the last two optional; empty or * origin/destination, empty cabin: any): every row or, if one is bad, none`)
    .argument('<file>', 'the CSV file')
    .option('--by <name>', 'who the audit log names (default: headless:<user>)')
    .action(run(async (ctx) => {
      const cmd = influences.commands.find((c) => c.name() === 'import')!;
      const file = cmd.args[0]!;
      let text: string;
      try { text = fs.readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`${file}: ${(e as Error).message}`); }
      const { rows, problems } = parseImport(text);
      const saved = await withApi(ctx, cmd.opts<{ by?: string }>().by, async (call) => {
        // every row checked by the API first (dryRun), then saved only if none is bad
        for (const r of rows) {
          try { await call('influences.save', { ...r.input, dryRun: true }); } catch (e) { problems.push(`line ${r.line}: ${(e as Error).message}`); }
        }
        const out: DemandInfluence[] = [];
        if (problems.length === 0) for (const r of rows) out.push(await call('influences.save', r.input) as DemandInfluence);
        return out;
      });
      if (problems.length) {
        ctx.io.stderr.write(`dfae influences import: ${file}: nothing saved, ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
        return EXIT.config;
      }
      ctx.logger.info({ file, added: saved.length }, 'demand influences imported');
      await ctx.out(ctx.globals.json ? `${JSON.stringify(saved)}\n` : `imported ${saved.length} demand influence(s) from ${file}\n${formatList(saved)}`);
      return EXIT.success;
    }));
  return influences;
}
