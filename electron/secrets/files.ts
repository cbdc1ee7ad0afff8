/**
 * File helpers for secret files: atomic owner-only writes, and reads that refuse a file other users
 * could read. Errors name the file and the fix; they never include the file's content.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretStoreError } from '../../engine/ports/secrets';

const OWNER_ONLY = 0o600;

/**
 * Writes `data` to `file` so that a crash leaves either the old or the new content, never a mix:
 * a temporary file (mode 0600, created exclusively) in the same folder is written, flushed and renamed.
 */
export function writeFileAtomic(file: string, data: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', OWNER_ONLY);
  try {
    fs.writeFileSync(fd, data, 'utf8');
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  // The rename is durable once the folder entry is flushed; folders cannot be opened for fsync on Windows.
  if (process.platform !== 'win32') {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  }
}

export interface OwnerOnlyReadOptions {
  /** process.platform; on Windows POSIX modes mean nothing, so the mode check is skipped there */
  platform?: NodeJS.Platform;
}

/**
 * Reads a file that must be readable only by its owner. Returns undefined when it does not exist.
 * The mode is checked on the opened descriptor, so the file cannot be swapped between check and read.
 */
export function readOwnerOnlyFile(file: string, opts: OwnerOnlyReadOptions = {}): string | undefined {
  const platform = opts.platform ?? process.platform;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretStoreError(`cannot open secrets file ${file}: ${(err as Error).message}`, 'unavailable');
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new SecretStoreError(`secrets file ${file} is not a regular file`, 'insecure');
    if (platform !== 'win32' && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
      throw new SecretStoreError(
        `refusing to read secrets file ${file}: its mode ${mode} lets group or other users access it; ` +
          `make it readable by its owner only with: chmod 600 ${shellQuote(file)}`,
        'insecure',
      );
    }
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function shellQuote(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/**
 * JSON.parse whose failure message does not quote the input (V8's SyntaxError includes a snippet of the
 * text, which here would be secret material).
 */
export function parseJsonWithoutEcho(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SecretStoreError(`secrets file ${file} is not valid JSON; fix or recreate it (its content is not shown because it holds secrets)`, 'corrupt');
  }
}

/** Runs tasks one after another (read-modify-write of a secrets file must not interleave). */
export function serialQueue(): <T>(task: () => T | Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** A record with its keys sorted, so rewritten files diff cleanly. */
export function sortedRecord<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** zod issues as "path: message; …" (zod does not echo the received value in its messages). */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(top level)'}: ${i.message}`).join('; ');
}
