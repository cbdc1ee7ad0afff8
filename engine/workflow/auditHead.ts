/**
 * The audit chain's head kept outside the database: a small JSON file beside it (and copied into each
 * backup), replaced atomically (write a temporary file, fsync, rename). If rows at the end of the chain
 * are deleted, or the chain is rewritten, the database no longer reaches this head.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface AuditHead {
  seq: number;
  hash: string;
  at: string;
}

const headSchema = z.object({
  version: z.literal(1),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
}).strict();

export const AUDIT_HEAD_SUFFIX = '.audit-head.json';

/** The head file of a database file: `<db>.audit-head.json` in the same folder. */
export function auditHeadPath(dbFile: string): string {
  return `${dbFile}${AUDIT_HEAD_SUFFIX}`;
}

export type HeadRead = { status: 'missing' } | { status: 'unreadable'; error: string } | { status: 'ok'; head: AuditHead };

export function readAuditHead(file: string): HeadRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'unreadable', error: (e as Error).message };
  }
  try {
    const v = headSchema.parse(JSON.parse(text));
    return { status: 'ok', head: { seq: v.seq, hash: v.hash, at: v.at } };
  } catch (e) {
    return { status: 'unreadable', error: `not a valid audit head file: ${(e as Error).message.slice(0, 200)}` };
  }
}

/** Writes the head atomically: a reader sees the old file or the new one, never a torn one. */
export function writeAuditHead(file: string, head: AuditHead): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify({ version: 1, ...head })}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
