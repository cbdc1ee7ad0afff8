/**
 * Structured JSON logs (pino): one object per line with level, time (UTC ISO-8601), message and the
 * fields the cycle adds (run id, step, counts, durations). To stderr by default, or appended to a file.
 * On a terminal the progress line is cleared before each log line and drawn again after it.
 */
import pino, { type Logger } from 'pino';
import type { ProgressLine } from './progress';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export function createLogger(o: { level: LogLevel; file?: string; progress?: ProgressLine | null; stderr?: NodeJS.WritableStream }): Logger {
  const options = {
    level: o.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (o.file) return pino(options, pino.destination({ dest: o.file, sync: true, mkdir: true }));
  const err = o.stderr ?? process.stderr;
  const progress = o.progress ?? null;
  return pino(options, {
    write(line: string) {
      progress?.clear();
      err.write(line);
      progress?.redraw();
    },
  });
}

/** The backend's log callback over a pino logger. */
export function backendLog(logger: Logger) {
  return (level: LogLevel, message: string, fields: Record<string, unknown>) => logger[level](fields, message);
}
