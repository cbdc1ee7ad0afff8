/**
 * The decision workflow, composed: audit trail, decisions, outbox, push worker and auto-approval over
 * one store. The backend (and the kill-test child, benchmarks and tests) build it with this.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../domain/time';
import type { PssPort } from '../ports/pss';
import type { PushProgressEvent } from '../api/contract/decisions';
import { AuditLog } from './audit';
import { auditHeadPath } from './auditHead';
import { AutoApprovalService } from './autoApproval';
import { DecisionService, type ProposedRow } from './decisions';
import type { DecisionState } from './lifecycle';
import { Outbox } from './outbox';
import { PushWorker } from './pushWorker';
import { DecisionRepository, type PushBatchDbRow } from './repository';
import type { DecisionPayload, Guardrails } from './types';

export interface WorkflowOptions {
  db: Database;
  clock: Clock;
  /** the database file: the audit head file goes beside it (null: no head file) */
  dbFile: string | null;
  pss: PssPort | null;
  batchSize?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  guardrailsFor?: (p: DecisionPayload) => Guardrails | null;
  onChanged?: (ids: number[], to: DecisionState, by: string) => void;
  onProposed?: (rows: ProposedRow[]) => void;
  onPushProgress?: (e: PushProgressEvent) => void;
  onPushAnswered?: (batch: PushBatchDbRow, pushedIds: number[], failedIds: number[]) => void;
  onPushFailed?: (batch: PushBatchDbRow, error: string, failedIds: number[]) => void;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
}

export interface Workflow {
  audit: AuditLog;
  repo: DecisionRepository;
  outbox: Outbox;
  decisions: DecisionService;
  autoApproval: AutoApprovalService;
  worker: PushWorker;
}

export function createWorkflow(o: WorkflowOptions): Workflow {
  const audit = new AuditLog(o.db, o.clock, o.dbFile ? auditHeadPath(o.dbFile) : null);
  const repo = new DecisionRepository(o.db, audit);
  const outbox = new Outbox(o.db, repo, audit, o.batchSize);
  let worker: PushWorker | null = null;
  const decisions = new DecisionService({
    db: o.db, clock: o.clock, audit, repo, outbox, guardrailsFor: o.guardrailsFor, onProposed: o.onProposed,
    onChanged: (ids, to, by) => {
      o.onChanged?.(ids, to, by);
      if (to === 'queued') worker?.kick();
    },
  });
  worker = new PushWorker({
    outbox, pss: o.pss, clock: o.clock, maxAttempts: o.maxAttempts, backoffBaseMs: o.backoffBaseMs, backoffMaxMs: o.backoffMaxMs,
    random: o.random, onProgress: o.onPushProgress, log: o.log,
    onAnswered: (batch, pushed, failed) => {
      if (pushed.length) o.onChanged?.(pushed, 'pushed', 'system:push');
      if (failed.length) o.onChanged?.(failed, 'failed', 'system:push');
      o.onPushAnswered?.(batch, pushed, failed);
    },
    onBatchFailed: (batch, error, failed) => {
      if (failed.length) o.onChanged?.(failed, 'failed', 'system:push');
      o.onPushFailed?.(batch, error, failed);
    },
  });
  const autoApproval = new AutoApprovalService(o.db, o.clock, audit, decisions);
  return { audit, repo, outbox, decisions, autoApproval, worker };
}

export { AuditLog } from './audit';
export { AUTO_APPROVAL_ACTOR } from './autoApproval';
export type { IngestResult } from './decisions';
export { fromPricing, ingestPricingCycle } from './fromPricing';
export type { RecommendationInput, DecisionPayload, Guardrails, DecisionKind } from './types';
