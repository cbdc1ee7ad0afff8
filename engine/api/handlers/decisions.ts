import type { Handlers } from '../dispatch';
import { decisionsContract, type AuditStatus, type DrainResult } from '../contract/decisions';
import { ApiError, notFound } from '../errors';
import type { Workflow } from '../../workflow/index';
import type { AuditVerification } from '../../workflow/audit';
import { WorkflowError } from '../../workflow/errors';
import { TransitionError } from '../../workflow/lifecycle';
import { StaleStateError, toOutboxItemRow, toPushBatchRow, type PushBatchDbRow } from '../../workflow/repository';
import type { DecisionPayload } from '../../workflow/types';
import { decisionWhatIf, WhatIfCancelledError, WhatIfInputError } from '../../whatif/decisionWhatIf';

/** Runs `fn`, turning the workflow's refusals into API errors with their field. */
export async function mapped<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof WorkflowError) throw new ApiError(e.code, e.message, { field: e.field });
    if (e instanceof TransitionError || e instanceof StaleStateError) throw new ApiError('conflict', e.message, { field: 'id' });
    throw e;
  }
}

export function auditStatusOf(v: AuditVerification): AuditStatus {
  return { ok: v.ok, rows: v.rows, archivedRows: v.archivedRows, headSeq: v.head?.seq ?? null, fileHeadSeq: v.fileHead?.seq ?? null, problems: v.problems, checkedAt: v.checkedAt, ms: Math.round(v.ms) };
}

export function decisionsHandlers(deps: { wf: Workflow; verifyAudit: () => Promise<AuditStatus>; lastAudit: () => AuditStatus | null }): Handlers<typeof decisionsContract> {
  const { wf } = deps;
  const { decisions, worker, outbox, audit, autoApproval } = wf;
  const db = wf.repo.db;
  return {
    'decisions.list': (input) => decisions.list(input.filter, input.sort, input.limit, input.offset),
    'decisions.grid': (input) => decisions.grid(input.filter, input.sort, input.limit, input.offset),
    'decisions.get': (input) => mapped(() => decisions.get(input.id)),
    'decisions.propose'(input, ctx) {
      const payload: DecisionPayload = input.kind === 'fare' ? { kind: 'fare', fare: input.fare! } : { kind: input.kind, control: input.control! };
      if (payload.kind === 'authorisation' && payload.control.authorised === null) throw new ApiError('validation', 'an authorisation decision needs control.authorised', { field: 'control.authorised' });
      if (payload.kind === 'bid_price' && (payload.control.bidPriceMinor === null || payload.control.currency === null)) {
        throw new ApiError('validation', 'a bid-price decision needs control.bidPriceMinor and control.currency', { field: 'control.bidPriceMinor' });
      }
      return mapped(() => decisions.propose(ctx.caller.user, { payload, reason: input.reason, confirmOutsideGuardrails: input.confirmOutsideGuardrails }));
    },
    'decisions.override': (input, ctx) => mapped(() => decisions.override(ctx.caller.user, input)),
    'decisions.approve': (input, ctx) => mapped(() => decisions.approveInSlices(ctx.caller.user, input.ids ? { ids: input.ids } : { filter: input.filter! }, input.note ?? null)),
    'decisions.reject': (input, ctx) => mapped(() => decisions.rejectInSlices(ctx.caller.user, input.ids ? { ids: input.ids } : { filter: input.filter! }, input.reason)),
    'decisions.requeue': (input, ctx) => mapped(() => decisions.requeue(ctx.caller.user, input)),
    async 'decisions.pushNow'(input, ctx) {
      if (!worker.configured) throw new ApiError('unavailable', 'no PSS is configured for pushes: configure the PSS connection (or run on the sandbox) and push again');
      const run = worker.drain({ signal: input.wait ? ctx.signal : undefined });
      if (input.wait) return run;
      run.catch(() => undefined);
      const idle: DrainResult = { batches: 0, accepted: 0, rejected: 0, retrying: 0, failed: 0, replayed: 0, cancelled: false, queue: worker.queue() };
      return idle;
    },
    'decisions.cancelPush': () => ({ cancelled: worker.cancel() }),
    async 'decisions.whatIf'(input, ctx) {
      try {
        return await decisionWhatIf(db, { decisionIds: input.ids, draws: input.draws, seed: input.seed, asOf: input.asOf, signal: ctx.signal });
      } catch (e) {
        if (e instanceof WhatIfInputError) throw new ApiError(e.code, e.message, { field: e.field === 'decisionIds' ? 'ids' : e.field });
        if (e instanceof WhatIfCancelledError) throw new ApiError('cancelled', e.message);
        throw e;
      }
    },
    'decisions.history'(input) {
      if (!wf.repo.get(input.id)) throw notFound(`Decision ${input.id}`, 'id');
      return audit.history('decision', input.id);
    },
    'decisions.batches'(input) {
      const where = input.status ? 'WHERE status = ?' : '';
      const args = input.status ? [input.status] : [];
      const total = db.prepare(`SELECT count(*) FROM push_batches ${where}`).pluck().get(...args) as number;
      const rows = db.prepare(`SELECT * FROM push_batches ${where} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...args, input.limit, input.offset) as PushBatchDbRow[];
      return { rows: rows.map(toPushBatchRow), total, queue: worker.queue() };
    },
    'decisions.batch'(input) {
      const b = outbox.batch(input.id);
      if (!b) throw notFound(`Push batch ${input.id}`, 'id');
      return { batch: toPushBatchRow(b), items: outbox.items(input.id).map(toOutboxItemRow) };
    },
    'decisions.rules': () => autoApproval.list(),
    'decisions.saveRule': (input, ctx) => mapped(() => autoApproval.save(ctx.caller.user, { ...input, origin: input.origin ?? null, destination: input.destination ?? null })),
    'decisions.deleteRule': (input, ctx) => ({ deleted: autoApproval.delete(ctx.caller.user, input.id) }),
    'decisions.autoApprove': (input) => mapped(() => autoApproval.run({ dryRun: input.dryRun, filter: input.filter })),
    'audit.search': (input) => {
      const rows = audit.search({ entity: input.entity, actor: input.actor, text: input.text, fromSeq: input.before, limit: input.limit });
      // what each decision row is about (its kind, flight and class), from the store; an archived decision is found on the Archive screen
      const ids = [...new Set(rows.filter((r) => r.entity === 'decision').map((r) => Number(r.entityId)).filter(Number.isSafeInteger))];
      const about = new Map((ids.length ? db.prepare(`SELECT id, kind, carrier, origin, destination, nullif(flight_id, '') AS flight_id, travel_date, cabin, rbd FROM decisions
          WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as { id: number; kind: string; carrier: string; origin: string; destination: string; flight_id: string | null; travel_date: string; cabin: string; rbd: string }[] : [])
        .map((d) => [String(d.id), `${d.kind.replace('_', ' ')} ${d.flight_id ? d.flight_id.split('/')[0] : d.carrier} ${d.origin}-${d.destination} ${d.travel_date} ${d.kind === 'bid_price' ? d.cabin : `${d.cabin}/${d.rbd}`}`]));
      return rows.map((r) => (r.entity === 'decision' ? { ...r, about: about.get(r.entityId) ?? null } : r));
    },
    'audit.verify': () => deps.verifyAudit(),
    'audit.status': () => deps.lastAudit(),
  };
}
