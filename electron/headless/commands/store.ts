/**
 * The store's safety commands:
 *   dfae backup              an online backup now (checked, rotated, with the audit head beside it)
 *   dfae backups             the data folder's backups, newest first
 *   dfae check [--full]      the integrity check (full: PRAGMA integrity_check and foreign_key_check)
 *   dfae restore <backup>    put a backup in place (the workbench must be stopped); the replaced
 *                            database is moved aside under backups/replaced-<time>/, never deleted
 */
import { Command } from 'commander';
import { openStore, resolveDataDir } from '../../../engine/store/db';
import { backupStore, listBackups, restoreBackup, RestoreRefusedError } from '../../../engine/store/backup';
import { holderState, readCycleLock } from '../../../engine/cycle/lock';
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
    const r = restoreBackup({ dataDir, backup: file });
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
  ];
}
