/**
 * The secret search: every output of a run — process output (logs), every file under a folder (the
 * store's database, WAL, audit head, backups), API answers (what the UI and its exports show) — searched
 * for each secret as text and in the encodings it travels in (Basic authorisation's base64 of
 * "id:secret", URL encoding).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface SecretHit {
  /** which output (a file path relative to the folder searched, or a label) */
  where: string;
  /** which secret, by name (never its value) */
  secret: string;
  encoding: string;
}

export interface NamedSecret {
  name: string;
  value: string;
  /** the client id it is paired with in Basic authorisation, when it is a client secret */
  clientId?: string;
}

function needles(s: NamedSecret): { encoding: string; bytes: Buffer }[] {
  const out = [
    { encoding: 'text', bytes: Buffer.from(s.value, 'utf8') },
    { encoding: 'url-encoded', bytes: Buffer.from(encodeURIComponent(s.value), 'utf8') },
    { encoding: 'base64', bytes: Buffer.from(Buffer.from(s.value).toString('base64').replace(/=+$/, ''), 'utf8') },
  ];
  if (s.clientId) out.push({ encoding: 'basic-auth', bytes: Buffer.from(Buffer.from(`${s.clientId}:${s.value}`).toString('base64').replace(/=+$/, ''), 'utf8') });
  return out.filter((n, i, all) => all.findIndex((m) => m.bytes.equals(n.bytes)) === i);
}

/** Searches one output (bytes or text) for every secret; returns the hits. */
export function searchOutput(where: string, content: Buffer | string, secrets: readonly NamedSecret[]): SecretHit[] {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const hits: SecretHit[] = [];
  for (const s of secrets) for (const n of needles(s)) if (buf.includes(n.bytes)) hits.push({ where, secret: s.name, encoding: n.encoding });
  return hits;
}

/** gzip's magic bytes: backups and archive files are compressed, so they are searched decompressed too */
function isGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Every regular file under `dir` (recursively), searched (a gzip file also decompressed); returns the hits and the bytes searched. */
export function searchFolder(dir: string, secrets: readonly NamedSecret[]): { hits: SecretHit[]; files: number; bytes: number } {
  const hits: SecretHit[] = [];
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const b = fs.readFileSync(p);
        files++;
        bytes += b.length;
        hits.push(...searchOutput(path.relative(dir, p), b, secrets));
        if (isGzip(b)) {
          const inflated = zlib.gunzipSync(b);
          bytes += inflated.length;
          hits.push(...searchOutput(`${path.relative(dir, p)} (decompressed)`, inflated, secrets));
        }
      }
    }
  };
  walk(dir);
  return { hits, files, bytes };
}
