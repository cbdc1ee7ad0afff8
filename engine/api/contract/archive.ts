/**
 * The archive: what retention moved out of the store into `<data folder>/archive/` (the decisions with their
 * outbox items, and the audit rows), searched in its files newest first (engine/workflow/archiveSearch.ts).
 * A search stops at its limit or its time budget and says where to go on (`fromFile`).
 */
import { z } from 'zod';
import { method } from './define';
import { iataAirport, isoDate, limit } from './common';
import { DECISION_STATES, type DecisionState } from '../../workflow/lifecycle';
import { DECISION_KINDS, type DecisionKind } from '../../workflow/types';
import { AUDIT_ENTITIES } from '../../domain/audit';
import type { ArchivedAuditRow, ArchivedDecision, ArchiveSearchProgress } from '../../workflow/archiveSearch';

export type { ArchivedAuditRow, ArchivedDecision, ArchiveSearchProgress } from '../../workflow/archiveSearch';

const budget = {
  limit: limit(1_000, 200),
  /** where to start: a search's progress.nextFile and nextSkip, to go on (default: the newest match) */
  fromFile: z.number().int().min(0).default(0),
  skip: z.number().int().min(0).default(0),
  /** how long the search may read files (it stops at the end of a file) */
  budgetMs: z.number().int().min(500).max(120_000).default(15_000),
};

/** An archive file retention wrote, as recorded in the store (its SHA-256 pins it; `dfae archive --verify` checks it). */
export interface ArchiveFileRow {
  kind: 'decisions' | 'audit';
  id: number;
  file: string;
  archivedAt: string;
  /** decisions (with their outbox items) or audit rows in the file */
  rows: number;
  /** decisions: the cuts it applied; audit: the sequence numbers it holds */
  detail: string;
  /** the file is where the record says (false: moved or deleted, so its rows cannot be searched) */
  present: boolean;
  bytes: number | null;
}

export const archiveContract = {
  'archive.files': method<{ files: ArchiveFileRow[]; decisions: number; auditRows: number }>()({
    description: 'The archive files retention wrote, newest first, with what each holds and whether it is in the data folder; and the totals.',
    access: 'read',
    input: z.object({}).strict(),
  }),
  'archive.decisions': method<{ rows: ArchivedDecision[]; progress: ArchiveSearchProgress }>()({
    description: 'Decisions retention moved to archive files (with their outbox items), newest first, matching every filter given.',
    access: 'read',
    input: z.object({
      id: z.number().int().positive().optional(),
      text: z.string().trim().min(1).max(200).optional(),
      origin: iataAirport.optional(),
      destination: iataAirport.optional(),
      travelFrom: isoDate.optional(),
      travelTo: isoDate.optional(),
      state: z.enum(DECISION_STATES as unknown as [DecisionState, ...DecisionState[]]).optional(),
      kind: z.enum(DECISION_KINDS as unknown as [DecisionKind, ...DecisionKind[]]).optional(),
      ...budget,
    }).strict().refine((v) => !v.travelFrom || !v.travelTo || v.travelFrom <= v.travelTo, { message: 'travelFrom is after travelTo', path: ['travelFrom'] }),
  }),
  'archive.audit': method<{ rows: ArchivedAuditRow[]; progress: ArchiveSearchProgress }>()({
    description: 'Audit rows retention moved to archive files, newest first, matching every filter given.',
    access: 'read',
    input: z.object({
      entity: z.enum(AUDIT_ENTITIES).optional(),
      entityId: z.string().trim().min(1).max(200).optional(),
      actor: z.string().trim().min(1).max(100).optional(),
      text: z.string().trim().min(1).max(200).optional(),
      ...budget,
    }).strict(),
  }),
};
