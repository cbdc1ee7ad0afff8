/**
 * A watched drop folder for CSV batch files.
 *
 * - Watching: fs.watch on the folder triggers a scan; a poll timer scans too (fs.watch misses events on
 *   network shares and some platforms).
 * - Completeness: files named as in progress (".tmp", ".part", ".partial", ".crdownload", ".filepart",
 *   a leading "." or "~") are left alone until renamed; any other file is taken once its size and
 *   modification time have not changed for `stableMs` (0: at once, for writers that rename).
 * - Routing: the first route whose spec's file-name pattern matches takes the file; a file no route
 *   matches is rejected.
 * - Applying: the file is read against its spec (csv-read.ts) and its valid rows and quarantined rows go
 *   to the route's sink in one call that the sink runs as one transaction; then the file is moved to
 *   `archive/` with a time stamp. A file whose content was applied before (same SHA-256, recorded by the
 *   sink in that transaction) is archived without applying it again, so a crash between the commit and
 *   the move neither loses nor duplicates anything.
 * - Rejecting: an unreadable file (see csv-read.ts) or one the sink refuses is moved to `rejected/` with
 *   a `<name>.reason.txt` beside it; nothing of it is applied. A sink may throw RetryLaterError (e.g. the
 *   database is busy): the file then stays in place for the next scan.
 * Files are processed one at a time, oldest first.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../../engine/domain/time';
import type { QuarantinedRecord } from '../../engine/ports/feed-sync';
import type { FileSpec, RowOf } from './column-spec';
import { readCsv, type CsvRow } from './csv-read';

/** What a sink receives: one file's valid rows and quarantined rows. */
export interface CsvBatch<Row> {
  kind: string;
  file: string;
  sha256: string;
  rows: CsvRow<Row>[];
  quarantined: QuarantinedRecord[];
}

export interface CsvSink<Row> {
  /** true when a file with this content was applied before (it is then archived, not applied again) */
  alreadyApplied(sha256: string): boolean | Promise<boolean>;
  /**
   * Applies the rows and records the quarantined rows and the file's sha256, all in ONE transaction.
   * Throwing refuses the file: nothing may have been applied (RetryLaterError: try again later).
   */
  apply(batch: CsvBatch<Row>): void | Promise<void>;
}

/** Thrown by a sink when the failure is temporary: the file stays in the folder for the next scan. */
export class RetryLaterError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryLaterError';
  }
}

/** A file kind and where its rows go; build with `route(spec, sink)`. */
export interface Route {
  readonly kind: string;
  matches(fileName: string): boolean;
  /** reads and applies one file; never moves it */
  ingest(bytes: Buffer, fileName: string): Promise<IngestResult>;
}

export type IngestResult =
  | { status: 'applied'; kind: string; sha256: string; rowsIn: number; rowsApplied: number; quarantined: number; unknownColumns: string[] }
  | { status: 'duplicate'; kind: string; sha256: string }
  | { status: 'rejected'; kind: string; sha256: string; reason: string; details: string[] }
  | { status: 'retry_later'; kind: string; reason: string };

export function route<S extends FileSpec>(spec: S, sink: CsvSink<RowOf<S>>): Route {
  return {
    kind: spec.kind,
    matches: (name) => spec.fileNamePattern.test(name),
    async ingest(bytes, fileName) {
      const read = readCsv(bytes, fileName, spec);
      if (!read.ok) return { status: 'rejected', kind: spec.kind, sha256: read.sha256, reason: read.reason, details: read.details };
      const c = read.content;
      try {
        if (await sink.alreadyApplied(c.sha256)) return { status: 'duplicate', kind: spec.kind, sha256: c.sha256 };
        await sink.apply({ kind: c.kind, file: c.file, sha256: c.sha256, rows: c.rows, quarantined: c.quarantined });
      } catch (e) {
        if (e instanceof RetryLaterError) return { status: 'retry_later', kind: spec.kind, reason: e.message };
        return { status: 'rejected', kind: spec.kind, sha256: c.sha256, reason: `refused when applying: ${(e as Error).message}`, details: [] };
      }
      return { status: 'applied', kind: spec.kind, sha256: c.sha256, rowsIn: c.rowsIn, rowsApplied: c.rows.length, quarantined: c.quarantined.length, unknownColumns: c.unknownColumns };
    },
  };
}

/** What happened to one file, with where it went. */
export type DropOutcome = IngestResult & { file: string; movedTo: string | null; at: string };

export interface DropFolderOptions {
  /** the incoming folder; archive/ and rejected/ are made inside it */
  dir: string;
  routes: readonly Route[];
  clock?: Clock;
  /** unchanged size and mtime for this long before a file is taken (default 2 000 ms; 0: at once) */
  stableMs?: number;
  /** scan interval besides fs.watch (default 5 000 ms) */
  pollIntervalMs?: number;
  /** use fs.watch besides polling (default true) */
  watch?: boolean;
  onOutcome?(outcome: DropOutcome): void;
  /** a failure of the watcher or of a scan (the folder keeps being polled) */
  onError?(error: Error): void;
}

const IN_PROGRESS_RE = /(\.(tmp|part|partial|crdownload|filepart)$)|^[.~]/i;

export class DropFolder {
  readonly dir: string;
  readonly archiveDir: string;
  readonly rejectedDir: string;
  private readonly opts: DropFolderOptions;
  private readonly clock: Clock;
  private readonly stableMs: number;
  private readonly seen = new Map<string, { size: number; mtimeMs: number; since: number }>();
  private watcher: fs.FSWatcher | null = null;
  private poll: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private running: Promise<DropOutcome[]> | null = null;
  private again = false;
  /** not watching or polling (scan() still works: tests and "ingest now") */
  private stopped = true;
  private stopRequested = false;

  constructor(opts: DropFolderOptions) {
    this.opts = opts;
    this.dir = path.resolve(opts.dir);
    this.archiveDir = path.join(this.dir, 'archive');
    this.rejectedDir = path.join(this.dir, 'rejected');
    this.clock = opts.clock ?? systemClock;
    this.stableMs = opts.stableMs ?? 2_000;
  }

  /** Creates the folders, starts watching and polling, and scans once. */
  async start(): Promise<void> {
    await fsp.mkdir(this.archiveDir, { recursive: true });
    await fsp.mkdir(this.rejectedDir, { recursive: true });
    this.stopped = false;
    this.stopRequested = false;
    if (this.opts.watch ?? true) {
      try {
        this.watcher = fs.watch(this.dir, { persistent: false }, () => this.trigger());
        this.watcher.on('error', (e) => this.opts.onError?.(e));
      } catch (e) {
        this.opts.onError?.(new Error(`watching ${this.dir} failed (${(e as Error).message}); polling only`));
      }
    }
    this.poll = setInterval(() => this.trigger(), this.opts.pollIntervalMs ?? 5_000);
    this.poll.unref();
    this.trigger();
  }

  /** Stops watching and polling, and waits for the file in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.poll) clearInterval(this.poll);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.poll = this.settleTimer = null;
    await this.running?.catch(() => undefined);
  }

  /** One pass over the folder; resolves with what happened to each file taken. Passes never overlap. */
  scan(): Promise<DropOutcome[]> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.scanOnce().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.trigger();
      }
    });
    return this.running;
  }

  private trigger(): void {
    if (this.stopped) return;
    this.scan().catch((e: unknown) => this.opts.onError?.(e as Error));
  }

  private async scanOnce(): Promise<DropOutcome[]> {
    const now = this.clock.now().getTime();
    const entries = await fsp.readdir(this.dir, { withFileTypes: true });
    const ready: { name: string; mtimeMs: number }[] = [];
    const present = new Set<string>();
    let waiting = false;
    for (const e of entries) {
      if (!e.isFile() || IN_PROGRESS_RE.test(e.name)) continue;
      present.add(e.name);
      let st: fs.Stats;
      try {
        st = await fsp.stat(path.join(this.dir, e.name));
      } catch {
        continue; // moved away meanwhile
      }
      const prev = this.seen.get(e.name);
      if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
        this.seen.set(e.name, { size: st.size, mtimeMs: st.mtimeMs, since: now });
        if (this.stableMs === 0) ready.push({ name: e.name, mtimeMs: st.mtimeMs });
        else waiting = true;
      } else if (now - prev.since >= this.stableMs) ready.push({ name: e.name, mtimeMs: st.mtimeMs });
      else waiting = true;
    }
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
    if (waiting && !this.stopped && !this.settleTimer) {
      this.settleTimer = setTimeout(() => { this.settleTimer = null; this.trigger(); }, this.stableMs);
      this.settleTimer.unref();
    }
    ready.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
    const outcomes: DropOutcome[] = [];
    for (const { name } of ready) {
      if (this.stopRequested) break; // the rest waits for the next start
      const o = await this.take(name);
      if (!o) continue;
      outcomes.push(o);
      try {
        this.opts.onOutcome?.(o);
      } catch (e) {
        this.opts.onError?.(e as Error);
      }
    }
    return outcomes;
  }

  private async take(name: string): Promise<DropOutcome | null> {
    const file = path.join(this.dir, name);
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(file);
    } catch {
      return null; // moved away meanwhile
    }
    const r = this.opts.routes.find((x) => x.matches(name));
    const at = this.clock.now().toISOString();
    const result: IngestResult = r
      ? await r.ingest(bytes, name)
      : { status: 'rejected', kind: 'unknown', sha256: '', reason: `no column specification matches the file name "${name}"; known kinds: ${this.opts.routes.map((x) => x.kind).join(', ')}`, details: [] };
    // a file left in place (retry later) is looked at afresh, stability wait included
    this.seen.delete(name);
    if (result.status === 'retry_later') return { ...result, file: name, movedTo: null, at };
    const stamp = at.replace(/[:.]/g, '-');
    if (result.status === 'rejected') {
      const target = await freeName(this.rejectedDir, `${stamp}_${name}`);
      await fsp.rename(file, target);
      const note = [`${name} was rejected at ${at}`, `kind: ${result.kind}`, `reason: ${result.reason}`, ...(result.details.length ? ['', ...result.details] : []), ''].join('\n');
      await fsp.writeFile(`${target}.reason.txt`, note);
      return { ...result, file: name, movedTo: target, at };
    }
    const target = await freeName(this.archiveDir, `${stamp}_${name}`);
    await fsp.rename(file, target);
    return { ...result, file: name, movedTo: target, at };
  }
}

/** A path in `dir` named `name`, or `name` with "-1", "-2"… before its extension when taken. */
async function freeName(dir: string, name: string): Promise<string> {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 0; ; i++) {
    const candidate = path.join(dir, i === 0 ? name : `${stem}-${i}${ext}`);
    try {
      await fsp.access(candidate);
    } catch {
      return candidate;
    }
  }
}
