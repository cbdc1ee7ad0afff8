/**
 * The store's safety commands:
 *   dfae backup              an online backup now (checked, rotated, with the audit head beside it)
 *   dfae backups             the data folder's backups, newest first
 *   dfae check [--full]      the integrity check (full: PRAGMA integrity_check and foreign_key_check)
 *   dfae restore <backup>    put a backup in place (the workbench must be stopped); the replaced
 *                            database is moved aside under backups/replaced-<time>/, never deleted
 *   dfae archive [--verify]  apply retention now: ended and replaced decisions, long-departed flights' decisions and old audit rows move to
 *                            archive/ (the cycle does it after its proposals); --verify checks the
 *                            audit chain, every audit archive file against its anchors and every
 *                            decision archive file against its record instead
 *   dfae archived [filters]  search what retention archived, newest first: decisions (--id, --text, --origin,
 *                            --destination, --from, --to, --state) or, with --audit, audit rows (--entity,
 *                            --entity-id, --actor, --text); --from-file and --skip go on where a search stopped
 */
import path from 'node:path';
import { Command } from 'commander';
import type { Database } from 'better-sqlite3';
import type { ZodError } from 'zod';
import { openStore, resolveDataDir } from '../../../engine/store/db';
import { backupStore, listBackups, restoreBackup, RestoreRefusedError } from '../../../engine/store/backup';
import { acquireCycleLock, CycleLockHeldError, describeOwner, holderState, readCycleLock, type CycleLock } from '../../../engine/cycle/lock';
import { fixedClock } from '../../../engine/domain/time';
import { AuditLog } from '../../../engine/workflow/audit';
import { auditHeadPath } from '../../../engine/workflow/auditHead';
import { applyRetention, archiveDir, loadRetention, verifyAuditArchive, verifyDecisionArchive, type RetentionSettings } from '../../../engine/workflow/retention';
import { searchArchivedAudit, searchArchivedDecisions, type ArchiveSearchProgress } from '../../../engine/workflow/archiveSearch';
import { archiveContract } from '../../../engine/api/contract/archive';
import { MIN_DEPARTED_DAYS } from '../../../engine/domain/retention';
import { toMajor } from '../../../engine/domain/money';
import type { CliContext } from '../context';
import { EXIT } from '../exitCodes';

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

async function backup(ctx: CliContext): Promise<number> {
  const store = openStore({ dataDir: resolveDataDir(ctx.globals.dataDir, ctx.io.env as NodeJS.ProcessEnv) });
  try {
    const r = await backupStore(store, { reason: 'manual' });
    if (ctx.globals.json) await ctx.out(`${JSON.stringify({ file: r.file, at: r.at, bytes: r.bytes, headFile: r.headFile, ms: Math.round(r.ms), rotatedOut: r.rotatedOut })}\n`);
    else await ctx.out(`backup written: ${r.file} (${mb(r.bytes)}, checked, ${Math.round(r.ms)} ms)${r.rotatedOut.length ? `; ${r.rotatedOut.length} older manual backup(s) rotated out` : ''}\n`);
    return EXIT.success;
  } finally {
    store.close();
  }
}

async function backups(ctx: CliContext): Promise<number> {
  const dataDir = resolveDataDir(ctx.globals.dataDir, ctx.io.env as NodeJS.ProcessEnv);
  const list = listBackups(dataDir);
  if (ctx.globals.json) await ctx.out(`${JSON.stringify(list)}\n`);
  else await ctx.out(list.length ? `${list.map((b) => `${b.at}  ${b.reason.padEnd(16)} ${mb(b.bytes).padStart(9)}  ${b.file}`).join('\n')}\n` : `no backups in ${dataDir}\n`);
  return EXIT.success;
}

async function check(ctx: CliContext, full: boolean): Promise<number> {
  const store = openStore({ dataDir: resolveDataDir(ctx.globals.dataDir, ctx.io.env as NodeJS.ProcessEnv), integrityCheck: 'off' });
  try {
    const r = store.checkIntegrity(full ? 'full' : 'quick');
    if (ctx.globals.json) await ctx.out(`${JSON.stringify(r)}\n`);
    else await ctx.out(r.ok ? `${store.file}: ${full ? 'full' : 'quick'} check ok\n` : `${store.file}: damaged:\n${r.problems.map((p) => `  ${p}`).join('\n')}\n(dfae backups lists the backups; dfae restore <backup> puts one in place)\n`);
    return r.ok ? EXIT.success : EXIT.other;
  } finally {
    store.close();
  }
}

async function restore(ctx: CliContext, file: string): Promise<number> {
  const dataDir = resolveDataDir(ctx.globals.dataDir, ctx.io.env as NodeJS.ProcessEnv);
  const holder = readCycleLock(dataDir);
  if (holder && holderState(holder) === 'alive') {
    ctx.io.stderr.write(`dfae restore: a cycle is running on ${dataDir} (${holder.host} ${holder.command}, pid ${holder.pid}); stop it (and the workbench) first. Nothing was changed.\n`);
    return EXIT.lockHeld;
  }
  try {
    const r = await restoreBackup({ dataDir, backup: file });
    if (ctx.globals.json) await ctx.out(`${JSON.stringify(r)}\n`);
    else await ctx.out(`restored ${r.restoredFrom} into ${r.file} (schema ${r.schemaVersion ?? '?'}); the replaced database is in ${r.setAside ?? '(there was none)'}\n`);
    return EXIT.success;
  } catch (e) {
    if (e instanceof RestoreRefusedError) {
      ctx.io.stderr.write(`dfae restore: ${e.message}\n`);
      return EXIT.other;
    }
    throw e;
  }
}

async function archive(ctx: CliContext, o: { verify: boolean; auditDays?: number; decisionsDays?: number; departedDays?: number }): Promise<number> {
  const dataDir = resolveDataDir(ctx.globals.dataDir, ctx.io.env as NodeJS.ProcessEnv);
  // the cycle's lock, held while archiving: a cycle applies retention itself, and two archivers would race
  let lock: CycleLock | null = null;
  if (!o.verify) {
    try {
      lock = acquireCycleLock(dataDir, { host: 'headless', command: 'archive' });
    } catch (e) {
      if (!(e instanceof CycleLockHeldError)) throw e;
      ctx.io.stderr.write(`dfae archive: a cycle is running on ${dataDir} (${describeOwner(e.holder)}); it applies retention itself after its proposals. Nothing was changed.\n`);
      return EXIT.lockHeld;
    }
  }
  const store = openStore({ dataDir });
  try {
    const now = new Date(ctx.globals.now ?? store.now()).toISOString();
    const audit = new AuditLog(store.db, fixedClock(now), auditHeadPath(store.file));
    if (o.verify) {
      const chain = audit.verify();
      const files = store.db.prepare('SELECT DISTINCT file FROM audit_archives ORDER BY file').pluck().all() as string[];
      const decisionFiles = store.db.prepare('SELECT file FROM decision_archives ORDER BY id').pluck().all() as string[];
      const checks = [];
      for (const f of files) checks.push(await verifyAuditArchive(store.db, path.join(archiveDir(dataDir), f)));
      for (const f of decisionFiles) checks.push(await verifyDecisionArchive(store.db, path.join(archiveDir(dataDir), f)));
      const ok = chain.ok && checks.every((c) => c.ok);
      if (ctx.globals.json) await ctx.out(`${JSON.stringify({ ok, chain: { ok: chain.ok, rows: chain.rows, problems: chain.problems }, archives: checks })}\n`);
      else {
        await ctx.out(`audit chain in the store: ${chain.ok ? 'ok' : 'NOT ok'} (${chain.rows.toLocaleString('en-US')} rows)${chain.problems.map((p) => `\n  ${p.message}`).join('')}\n`);
        for (const c of checks) await ctx.out(`${c.file}: ${c.ok ? 'ok' : 'NOT ok'} (${c.rows.toLocaleString('en-US')} rows)${c.problems.map((p) => `\n  ${p}`).join('')}\n`);
        if (files.length === 0) await ctx.out('no audit archive files yet\n');
        if (decisionFiles.length === 0) await ctx.out('no decision archive files yet\n');
      }
      return ok ? EXIT.success : EXIT.other;
    }
    const settings: RetentionSettings = { ...loadRetention(store.db), ...(o.auditDays !== undefined ? { auditDays: o.auditDays } : {}), ...(o.decisionsDays !== undefined ? { decisionsDays: o.decisionsDays } : {}), ...(o.departedDays !== undefined ? { departedDays: o.departedDays } : {}) };
    const r = await applyRetention(store.db, audit, settings, { at: now, dir: archiveDir(dataDir) });
    if (ctx.globals.json) await ctx.out(`${JSON.stringify({ settings, ...r })}\n`);
    else {
      await ctx.out(`retention: audit rows older than ${settings.auditDays || '∞'} days, decisions ended unpushed or replaced by a newer push more than ${settings.decisionsDays || '∞'} days ago or for departures more than ${settings.departedDays ? Math.max(MIN_DEPARTED_DAYS, settings.departedDays) : '∞'} days ago (${Math.round(r.ms)} ms)\n`);
      await ctx.out(r.decisions ? `  ${r.decisions.decisions.toLocaleString('en-US')} decision(s) and ${r.decisions.outboxItems.toLocaleString('en-US')} outbox item(s) → ${r.decisions.file} (${mb(r.decisions.bytes)}); ${r.decisions.priceHistory.toLocaleString('en-US')} replaced fare(s) kept in the price history\n` : '  no decisions past their age\n');
      if (r.resumed) await ctx.out(`  ${r.resumed.toLocaleString('en-US')} decision(s) an interrupted earlier run had archived: deleted from the store\n`);
      if (r.priceHistoryRemoved) await ctx.out(`  price history of departures past their age: ${r.priceHistoryRemoved.toLocaleString('en-US')} row(s) removed (their decisions are in archive files)\n`);
      await ctx.out(r.audit ? `  audit rows ${r.audit.firstSeq}..${r.audit.throughSeq} (${r.audit.rows.toLocaleString('en-US')}) → ${r.audit.file} (${mb(r.audit.bytes)})\n` : '  no audit rows past their age\n');
    }
    return EXIT.success;
  } finally {
    store.close();
    lock?.release();
  }
}

interface ArchivedOptions {
  audit: boolean; id?: string; text?: string; origin?: string; destination?: string; from?: string; to?: string; state?: string;
  entity?: string; entityId?: string; actor?: string; limit: string; fromFile: string; skip: string;
}

/** How far an archive search got, in a line (and where to go on). */
function progressLine(p: ArchiveSearchProgress, found: number): string {
  const why = { done: 'every file read', limit: 'stopped at the limit', time: 'stopped at the time budget', cancelled: 'cancelled' }[p.stoppedBy];
  return `${found.toLocaleString('en-US')} found; ${p.filesRead} of ${p.filesTotal} file(s) read (${p.linesRead.toLocaleString('en-US')} line${p.linesRead === 1 ? '' : 's'}, ${p.ms} ms), ${why}`
    + `${p.nextFile !== null ? `; go on with --from-file ${p.nextFile} --skip ${p.nextSkip}` : ''}\n`;
}

/** An archive search ready to run, its input checked as the API checks it; or the first problem. */
type ArchivedSearch = { error: { path: string; message: string } } | { run: (db: Database, dir: string) => Promise<{ json: unknown; lines: string[]; progress: ArchiveSearchProgress }> };

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const firstIssue = (e: ZodError) => ({ path: String(e.issues[0]!.path[0] ?? ''), message: e.issues[0]!.message });

function decisionsSearch(o: ArchivedOptions, paging: object): ArchivedSearch {
  const v = archiveContract['archive.decisions'].input.safeParse({ id: num(o.id), text: o.text, origin: o.origin, destination: o.destination, travelFrom: o.from, travelTo: o.to, state: o.state, ...paging });
  if (!v.success) return { error: firstIssue(v.error) };
  const { limit, fromFile, skip, budgetMs, ...q } = v.data;
  return {
    run: async (db, dir) => {
      const r = await searchArchivedDecisions(db, dir, q, { limit, fromFile, skip, budgetMs });
      const lines = r.rows.map((d) => `${d.id}  ${d.state}  ${d.kind} ${d.origin}-${d.destination} ${d.flightId ?? `${d.travelDate}..${d.travelDateTo}`} ${d.rbd}  ${d.currency ? `${toMajor(d.proposedValue, d.currency)} ${d.currency}` : `${d.proposedValue} seats`}`
        + `  decided by ${d.decidedBy ?? '—'}${d.decisionNote ? `: ${d.decisionNote}` : ''}${d.pssReference ? `  PSS ${d.pssReference}` : ''}  [${d.file}]`);
      return { json: r, lines, progress: r.progress };
    },
  };
}

function auditSearch(o: ArchivedOptions, paging: object): ArchivedSearch {
  const v = archiveContract['archive.audit'].input.safeParse({ entity: o.entity, entityId: o.entityId, actor: o.actor, text: o.text, ...paging });
  if (!v.success) return { error: firstIssue(v.error) };
  const { limit, fromFile, skip, budgetMs, ...q } = v.data;
  return {
    run: async (db, dir) => {
      const r = await searchArchivedAudit(db, dir, q, { limit, fromFile, skip, budgetMs });
      const lines = r.rows.map((a) => `${a.seq}  ${a.at}  ${a.actor}  ${a.entity} ${a.entityId}  ${a.from ?? '—'} → ${a.to}  ${a.reason}  [${a.file}]`);
      return { json: r, lines, progress: r.progress };
    },
  };
}

/** Searches the archive files (the API's archive.decisions / archive.audit, with its validation). */
async function archived(ctx: CliContext, o: ArchivedOptions): Promise<number> {
  const dataDir = resolveDataDir(ctx.globals.dataDir, ctx.io.env as NodeJS.ProcessEnv);
  const paging = { limit: num(o.limit), fromFile: num(o.fromFile), skip: num(o.skip), budgetMs: 120_000 };
  const search = o.audit ? auditSearch(o, paging) : decisionsSearch(o, paging);
  if ('error' in search) {
    const flag: Record<string, string> = { travelFrom: 'from', travelTo: 'to', entityId: 'entity-id', fromFile: 'from-file' };
    ctx.io.stderr.write(`dfae archived: --${flag[search.error.path] ?? search.error.path}: ${search.error.message}\n`);
    return EXIT.config;
  }
  const store = openStore({ dataDir });
  try {
    const r = await search.run(store.db, archiveDir(dataDir));
    const p = r.progress;
    if (ctx.globals.json) await ctx.out(`${JSON.stringify(r.json)}\n`);
    else await ctx.out(`${r.lines.map((l) => `${l}\n`).join('')}${progressLine(p, r.lines.length)}`);
    for (const m of p.missing) ctx.io.stderr.write(`dfae archived: ${m} is listed in the store but not in ${archiveDir(dataDir)}\n`);
    for (const u of p.unreadable) ctx.io.stderr.write(`dfae archived: ${u}\n`);
    return p.missing.length || p.unreadable.length ? EXIT.other : EXIT.success;
  } finally {
    store.close();
  }
}

const days = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 36_500) throw new Error(`expected a whole number of days (0: keep all), got "${v}"`);
  return n;
};

export function storeCommands(ctxOf: (cmd: Command) => CliContext, setExit: (code: number) => void): Command[] {
  const run = (cmd: Command, f: (ctx: CliContext) => Promise<number>) => {
    const ctx = ctxOf(cmd);
    return f(ctx).catch((e) => ctx.fail(e)).then(setExit);
  };
  return [
    new Command('backup').description('take an online backup of the store now (checked, rotated, with the audit head beside it)')
      .action((_o: unknown, cmd: Command) => run(cmd, backup)),
    new Command('backups').description("list the data folder's backups, newest first")
      .action((_o: unknown, cmd: Command) => run(cmd, backups)),
    new Command('check').description("check the store's integrity (quick; --full adds integrity_check and foreign keys)")
      .option('--full', 'the full check', false)
      .action((o: { full: boolean }, cmd: Command) => run(cmd, (ctx) => check(ctx, o.full))),
    new Command('restore').description('put a backup in place (stop the workbench first); the replaced database is set aside, never deleted')
      .argument('<backup>', 'the backup file (see dfae backups)')
      .action((file: string, _o: unknown, cmd: Command) => run(cmd, (ctx) => restore(ctx, file))),
    new Command('archive').description('apply retention now: ended and replaced decisions, the decisions of departed flights and old audit rows move to archive files in the data folder (--verify: check them)')
      .option('--verify', 'check the audit chain and every audit archive file instead', false)
      .option('--audit-days <n>', 'this time, archive audit rows older than n days (default: the retention setting)', days)
      .option('--decisions-days <n>', 'this time, archive decisions that ended unpushed, or were replaced by a newer push, more than n days ago (default: the retention setting)', days)
      .option('--departed-days <n>', `this time, archive the finished decisions of departures more than n days ago (at least ${MIN_DEPARTED_DAYS}; default: the retention setting)`, days)
      .action((o: { verify: boolean; auditDays?: number; decisionsDays?: number; departedDays?: number }, cmd: Command) => run(cmd, (ctx) => archive(ctx, o))),
    new Command('archived').description('search what retention moved to the archive files, newest first: decisions, or audit rows with --audit (exit 1 when a listed file is missing or damaged)')
      .option('--audit', 'search the archived audit rows instead of the decisions', false)
      .option('--id <n>', 'a decision id')
      .option('--text <text>', "text in a decision's key, flight, RBD, users, notes and reasons, or in an audit row's reason")
      .option('--origin <iata>', "the decision's origin").option('--destination <iata>', "the decision's destination")
      .option('--from <date>', 'travel dates from (YYYY-MM-DD)').option('--to <date>', 'travel dates to (YYYY-MM-DD)')
      .option('--state <state>', "the decision's state (superseded, rejected, expired, pushed, failed)")
      .option('--entity <entity>', 'audit rows: decision, batch, user, rule, alert or archive').option('--entity-id <id>', "audit rows: the entity's id")
      .option('--actor <who>', 'audit rows: who')
      .option('--limit <n>', 'at most this many (up to 1,000)', '50')
      .option('--from-file <n>', 'go on from this file (what the last search printed)', '0').option('--skip <n>', "and after this many of its matches", '0')
      .action((o: ArchivedOptions, cmd: Command) => run(cmd, (ctx) => archived(ctx, o))),
  ];
}
