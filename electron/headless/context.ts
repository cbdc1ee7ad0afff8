/**
 * What every `dfae` subcommand shares: the global options, stdout/stderr, the logger and progress line,
 * signal handling, and the mapping of startup errors to exit codes. A new subcommand (e.g. the what-if of
 * issue 10) registers itself in cli.ts with these.
 */
import type { Logger } from 'pino';
import { ConfigError } from '../backend/config';
import { SecretStoreError } from '../../engine/ports/secrets';
import { CycleLockHeldError } from '../../engine/cycle/lock';
import { MarketsError } from '../../engine/cycle/markets';
import { createLogger, LOG_LEVELS, type LogLevel } from './logger';
import { ProgressLine } from './progress';
import { EXIT } from './exitCodes';
import { ScheduleError } from './schedule';

export interface GlobalOptions {
  config?: string;
  dataDir?: string;
  json: boolean;
  logFile?: string;
  logLevel: LogLevel;
  now?: string;
}

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
  /** registers a handler for SIGINT/SIGTERM; returns the remover (tests inject their own) */
  onSignal(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void;
}

export const processIO: CliIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onSignal(handler) {
    const a = () => handler('SIGINT');
    const b = () => handler('SIGTERM');
    process.on('SIGINT', a);
    process.on('SIGTERM', b);
    return () => { process.off('SIGINT', a); process.off('SIGTERM', b); };
  },
};

/** A usage or configuration problem: exit code 2, with the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class CliContext {
  private loggerCache: Logger | null = null;
  readonly progress: ProgressLine | null;

  constructor(readonly io: CliIO, readonly globals: GlobalOptions) {
    if (!LOG_LEVELS.includes(globals.logLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
    if (globals.now !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(globals.now)) {
      throw new UsageError(`--now must be a UTC instant like 2026-03-01T06:00:00Z, got "${globals.now}"`);
    }
    this.progress = io.stderr === process.stderr ? ProgressLine.forStderr() : null;
  }

  get logger(): Logger {
    this.loggerCache ??= createLogger({ level: this.globals.logLevel, file: this.globals.logFile, progress: this.progress, stderr: this.io.stderr });
    return this.loggerCache;
  }

  /** Writes to stdout and resolves once written (so an exit right after loses nothing on a pipe). */
  out(text: string): Promise<void> {
    return new Promise((resolve) => { this.io.stdout.write(text, () => resolve()); });
  }

  /** A one-line human message on stderr (beside the JSON logs), e.g. for cron's mail. */
  say(text: string): void {
    this.progress?.clear();
    this.io.stderr.write(`dfae: ${text}\n`);
    this.progress?.redraw();
  }

  /** The exit code for an error that stopped a command before or outside a run, after saying why. */
  fail(e: unknown): number {
    if (e instanceof ConfigError || e instanceof UsageError || e instanceof MarketsError || e instanceof ScheduleError || e instanceof SecretStoreError) {
      this.logger.error({ code: EXIT.config, issues: e instanceof ConfigError ? e.issues : undefined }, e.message);
      this.say(`configuration error: ${e.message}`);
      return EXIT.config;
    }
    if (e instanceof CycleLockHeldError) {
      this.logger.error({ code: EXIT.lockHeld, holder: e.holder, file: e.file }, e.message);
      this.say(e.message);
      return EXIT.lockHeld;
    }
    const err = e as Error;
    this.logger.error({ code: EXIT.other, error: err?.stack ?? String(e) }, err?.message ?? String(e));
    this.say(`error: ${err?.message ?? String(e)}`);
    return EXIT.other;
  }
}
