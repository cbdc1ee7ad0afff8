/**
 * `dfae`: DFAE Workbench without a display — the pricing cycle on a server, once or on a schedule.
 *
 *   dfae run --once [--dry-run] [--markets LHR-JFK,FRA-JFK]
 *   dfae run --schedule "0 5 * * *" --tz Europe/Berlin
 *   dfae run --saved-schedules
 *   dfae sync | price | push [--dry-run] | status
 *   dfae backup | backups | check [--full] | restore <backup>
 *   dfae influences [add | delete | import]
 *   global: --config <file> --data-dir <dir> --json --log-file <file> --log-level <level> --now <instant>
 *
 * Subcommands are registered in COMMANDS below; each gets the shared CliContext (options, output,
 * logger, exit codes). Results go to stdout, JSON logs to stderr (or --log-file), progress to stderr
 * only on a terminal. Exit codes: exitCodes.ts.
 */
import { Command, CommanderError } from 'commander';
import { CliContext, processIO, UsageError, type CliIO, type GlobalOptions } from './context';
import { EXIT, EXIT_CODES_HELP } from './exitCodes';
import { cycleCommands } from './commands/cycle';
import { statusCommand } from './commands/status';
import { storeCommands } from './commands/store';
import { whatifCommand } from './commands/whatif';
import { influencesCommand } from './commands/influences';

type Register = (ctxOf: (cmd: Command) => CliContext, setExit: (code: number) => void) => Command | Command[];

/** The subcommands; a new one (e.g. the what-if of issue 10) adds its factory here. */
export const COMMANDS: readonly Register[] = [cycleCommands, statusCommand, storeCommands, whatifCommand, influencesCommand];

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('dfae')
    .description('DFAE Workbench headless: sync, forecast, price, auto-approve and push on a server with no display')
    .option('--config <file>', 'configuration file (default: <data-dir>/config.json, else the built-in sandbox)')
    .option('--data-dir <dir>', 'data folder (default: DFAE_DATA_DIR, else the user data folder)')
    .option('--json', 'machine-readable results on stdout', false)
    .option('--log-file <file>', 'append the JSON logs to this file instead of stderr')
    .option('--log-level <level>', 'debug, info, warn or error', 'info')
    .option('--now <instant>', 'price as of this UTC instant (replays, tests); default: the current time')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\nSecrets: DFAE_SECRET_<NAME> environment variables, or an owner-only secrets file (DFAE_SECRETS_FILE, else <data-dir>/secrets.json).\n`)
    .showHelpAfterError('(dfae --help lists the options)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const ctxOf = (cmd: Command) => new CliContext(io, cmd.optsWithGlobals<GlobalOptions>());
  for (const register of COMMANDS) {
    const made = register((cmd) => {
      try {
        return ctxOf(cmd);
      } catch (e) {
        if (e instanceof UsageError) throw new CommanderError(EXIT.config, 'dfae.usage', `error: ${e.message}`);
        throw e;
      }
    }, setExit);
    // a command's own subcommands (dfae influences add) answer through the same output and exit codes
    const prepared = (c: Command): Command => {
      for (const sub of c.commands) prepared(sub);
      return c.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }).showHelpAfterError('(dfae --help lists the options)');
    };
    for (const c of Array.isArray(made) ? made : [made]) program.addCommand(prepared(c));
  }
  return program;
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[] = process.argv.slice(2), io: CliIO = processIO): Promise<number> {
  let code: number = EXIT.success;
  const program = buildProgram(io, (c) => { code = c; });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.success;
      if (e.code === 'dfae.usage') io.stderr.write(`${e.message}\n`);
      return EXIT.config;
    }
    io.stderr.write(`dfae: ${(e as Error).stack ?? e}\n`);
    return EXIT.other;
  }
  return code;
}
