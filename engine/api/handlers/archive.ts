import fs from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../dispatch';
import { archiveContract, type ArchiveFileRow } from '../contract/archive';
import type { Store } from '../../store/db';
import { archiveDir } from '../../workflow/retention';
import { searchArchivedAudit, searchArchivedDecisions } from '../../workflow/archiveSearch';

export function archiveHandlers(deps: { store: Store }): Handlers<typeof archiveContract> {
  const { store } = deps;
  const dir = () => archiveDir(store.dataDir);
  return {
    'archive.files'() {
      const stat = (file: string) => { try { return fs.statSync(path.join(dir(), file)).size; } catch { return null; } };
      const files: ArchiveFileRow[] = [];
      for (const r of store.db.prepare('SELECT id, file, archived_at, decisions, outbox_items, ended_before, departed_before FROM decision_archives').all() as
        { id: number; file: string; archived_at: string; decisions: number; outbox_items: number; ended_before: string | null; departed_before: string | null }[]) {
        const cuts = [r.ended_before && `ended unpushed or replaced before ${r.ended_before.slice(0, 10)}`, r.departed_before && `departed before ${r.departed_before.slice(0, 10)}`].filter(Boolean).join('; ');
        const bytes = stat(r.file);
        files.push({ kind: 'decisions', id: r.id, file: r.file, archivedAt: r.archived_at, rows: r.decisions, detail: `${cuts}${cuts ? '; ' : ''}${r.outbox_items} outbox item(s)`, present: bytes !== null, bytes });
      }
      for (const r of store.db.prepare('SELECT id, file, archived_at, first_seq, through_seq FROM audit_archives').all() as { id: number; file: string; archived_at: string; first_seq: number; through_seq: number }[]) {
        const bytes = stat(r.file);
        files.push({ kind: 'audit', id: r.id, file: r.file, archivedAt: r.archived_at, rows: r.through_seq - r.first_seq + 1, detail: `audit rows ${r.first_seq}–${r.through_seq}`, present: bytes !== null, bytes });
      }
      files.sort((a, b) => b.archivedAt.localeCompare(a.archivedAt) || (a.kind === b.kind ? b.id - a.id : a.kind.localeCompare(b.kind)));
      return { files, decisions: files.reduce((n, f) => n + (f.kind === 'decisions' ? f.rows : 0), 0), auditRows: files.reduce((n, f) => n + (f.kind === 'audit' ? f.rows : 0), 0) };
    },
    'archive.decisions': ({ limit, fromFile, skip, budgetMs, ...q }, ctx) => searchArchivedDecisions(store.db, dir(), q, { limit, fromFile, skip, budgetMs, signal: ctx.signal }),
    'archive.audit': ({ limit, fromFile, skip, budgetMs, ...q }, ctx) => searchArchivedAudit(store.db, dir(), q, { limit, fromFile, skip, budgetMs, signal: ctx.signal }),
  };
}
