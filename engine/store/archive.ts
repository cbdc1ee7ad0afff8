/**
 * Archive files: JSON lines, gzip-compressed, for rows that retention moves out of the database
 * (engine/workflow/retention.ts). A file is written under a temporary name, compressed a few megabytes
 * at a time (each chunk one gzip member: `gunzip`, `zcat` and Node's zlib read the concatenation as one
 * stream), flushed to disk and renamed into place, so a file under its final name is always whole. The
 * SHA-256 of the compressed bytes is returned for the database to record beside the rows' removal.
 * Chunks are compressed on libuv's thread pool, not on the caller's thread (a 4 MB chunk of audit rows
 * took 60–90 ms, which the host's event loop felt), and written in order; `drain` keeps at most two in
 * flight.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';

export interface ArchiveFile {
  file: string;
  sha256: string;
  lines: number;
  bytes: number;
}

/** Uncompressed bytes gathered before a chunk is compressed and written. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** Chunks being compressed or written at most, past which `drain` waits. */
const MAX_IN_FLIGHT = 2;

export class ArchiveWriter {
  private readonly temp: string;
  private fd: number;
  private parts: string[] = [];
  private pending = 0;
  private lines = 0;
  private bytes = 0;
  private readonly hash = createHash('sha256');
  /** the chunks' writes, in order; the number not yet written; the first failure */
  private written: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private failure: Error | null = null;

  readonly file: string;

  /** `wanted`: the file's name; an archive is never overwritten, so a name taken already gets -2, -3, … before its extension */
  constructor(wanted: string) {
    fs.mkdirSync(path.dirname(wanted), { recursive: true });
    const m = /^(.*?)((?:\.[a-z]+)*)$/.exec(path.basename(wanted))!;
    let file = wanted;
    for (let n = 2; fs.existsSync(file); n++) file = path.join(path.dirname(wanted), `${m[1]}-${n}${m[2]}`);
    this.file = file;
    this.temp = `${file}.partial`;
    this.fd = fs.openSync(this.temp, 'w');
  }

  /** Adds one line (a JSON text without newlines). */
  add(json: string): void {
    this.parts.push(json);
    this.pending += json.length + 1;
    this.lines++;
    if (this.pending >= CHUNK_BYTES) this.flushChunk();
  }

  private flushChunk(): void {
    if (this.parts.length === 0) return;
    const text = `${this.parts.join('\n')}\n`;
    this.parts = [];
    this.pending = 0;
    this.inFlight++;
    // compressed on the thread pool now; written after the chunks before it
    const gz = new Promise<Buffer>((resolve, reject) => zlib.gzip(text, { level: 6 }, (e, out) => (e ? reject(e) : resolve(out))));
    gz.catch(() => {}); // a failure is taken in the write chain below
    this.written = this.written.then(async () => {
      try {
        const out = await gz;
        if (this.failure) return;
        fs.writeSync(this.fd, out);
        this.hash.update(out);
        this.bytes += out.length;
      } catch (e) {
        this.failure ??= e as Error;
      } finally {
        this.inFlight--;
      }
    });
  }

  /** Waits while more than two chunks are being compressed or written (call it between pages of `add`). */
  async drain(): Promise<void> {
    if (this.inFlight > MAX_IN_FLIGHT) await this.written;
    if (this.failure) throw this.failure;
  }

  /** Writes what is left, flushes the file to disk and renames it into place. */
  async finish(): Promise<ArchiveFile> {
    this.flushChunk();
    await this.written;
    if (this.failure) throw this.failure;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = -1;
    fs.renameSync(this.temp, this.file);
    return { file: this.file, sha256: this.hash.digest('hex'), lines: this.lines, bytes: this.bytes };
  }

  /** Gives up: the temporary file goes (once the chunks in flight are done), nothing is left under the final name. */
  async abort(): Promise<void> {
    this.failure ??= new Error('archive abandoned');
    await this.written;
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    fs.rmSync(this.temp, { force: true });
  }
}

/** The SHA-256 of a file's bytes. */
export function fileSha256(file: string): string {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

/**
 * The lines of an archive file, in order. Split here from the decompressed chunks (readline took twice as
 * long: a search reads a day's 280,000 decisions in about a second).
 */
export async function* readArchiveLines(file: string): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(zlib.createGunzip({ chunkSize: 1 << 20 }))) {
    const text = rest + decoder.write(chunk as Buffer);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      if (nl > from) yield text.slice(from, nl);
      from = nl + 1;
    }
    rest = text.slice(from);
  }
  rest += decoder.end();
  if (rest.length > 0) yield rest;
}
