/**
 * Batch files inside a sync run: the adapter's drop folder (connectors/files DropFolder) is scanned once
 * per run; each file's records, quarantined rows and its content hash are committed as ONE page (stream
 * `file:<sha256>`, cursor = the file name), so a file is applied whole or not at all, and a file applied
 * before (same content) is only archived. Rejected files are recorded as a quarantine entry.
 */
import fsp from 'node:fs/promises';
import type { QuarantinedRecord, SyncContext } from '../../engine/ports/feed-sync';
import type { FeedRecordBatch } from '../../engine/ports/records';
import { DropFolder, type DropOutcome, type Route } from '../files/drop-folder';
import type { SyncTally } from './sync-kit';

/** The run a sink commits into; set for the duration of a scan. */
export interface RunRef {
  ctx: SyncContext | null;
  tally: SyncTally | null;
}

export interface DropFolderSettings {
  /** the incoming folder (archive/ and rejected/ are made inside it) */
  path: string;
  /** unchanged size and mtime for this long before a file is taken (default 2 000 ms; 0 for writers that rename) */
  stableMs?: number;
}

/** The stream a file's page is committed under. */
export const fileStream = (sha256: string) => `file:${sha256}`;

/** Commits one file's content as one page; returns nothing, throws to refuse the file. */
export async function commitFile(run: RunRef, file: string, sha256: string, records: FeedRecordBatch, quarantined: QuarantinedRecord[], rowsIn: number): Promise<void> {
  if (!run.ctx || !run.tally) throw new Error(`file ${file} was offered outside a sync run`);
  await run.tally.commit(run.ctx, { stream: fileStream(sha256), records, quarantined, cursor: file }, rowsIn);
}

export class RunDropFolder {
  readonly run: RunRef = { ctx: null, tally: null };
  private readonly folder: DropFolder;

  constructor(settings: DropFolderSettings, routes: (run: RunRef) => Route[]) {
    this.folder = new DropFolder({ dir: settings.path, routes: routes(this.run), stableMs: settings.stableMs ?? 2_000, watch: false });
  }

  get dir(): string {
    return this.folder.dir;
  }

  /** Whether a file with this content was applied (its page committed) before. */
  applied(ctx: SyncContext, sha256: string): boolean {
    return ctx.getCursor(fileStream(sha256)) !== undefined;
  }

  /** Takes every complete file once; rejected files become quarantine entries of the run. */
  async scan(ctx: SyncContext, tally: SyncTally, emptyBatch: FeedRecordBatch): Promise<DropOutcome[]> {
    await fsp.mkdir(this.folder.archiveDir, { recursive: true });
    await fsp.mkdir(this.folder.rejectedDir, { recursive: true });
    this.run.ctx = ctx;
    this.run.tally = tally;
    try {
      const outcomes = await this.folder.scan();
      for (const o of outcomes) {
        if (o.status !== 'rejected') continue;
        await tally.commit(ctx, {
          stream: `file-rejected:${o.file}`, records: emptyBatch,
          quarantined: [{ source: `file ${o.file}`, location: 'whole file', field: '(file)', reason: `file rejected, nothing applied: ${o.reason}`, payload: { movedTo: o.movedTo, details: o.details.slice(0, 20) } }],
        }, 0);
      }
      return outcomes;
    } finally {
      this.run.ctx = null;
      this.run.tally = null;
    }
  }
}
