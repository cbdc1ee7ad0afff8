/**
 * Auto-approval for headless runs. A proposed engine decision is approved by the actor
 * `system:auto-approval` when an enabled rule covers its kind and market, its change is within the
 * rule's ±x %, it is inside its guardrails, and no unacknowledged alert is open on its market (or
 * network-wide on the data feeds or the audit trail). Everything else waits for a person, counted by why.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../domain/time';
import type { AutoApprovalResult, AutoApprovalRule, DecisionFilter } from '../api/contract/decisions';
import type { AuditLog } from './audit';
import type { DecisionService } from './decisions';
import { WorkflowError } from './errors';
import { filterSql } from './filter';
import { guardrailBreaches } from './guardrails';
import type { DecisionDbRow } from './repository';
import { SliceSizer, yieldToLoop } from './slices';
import type { DecisionKind } from './types';

export const AUTO_APPROVAL_ACTOR = 'system:auto-approval';
/** Network-wide alert kinds that stop auto-approval everywhere while unacknowledged. */
const NETWORK_BLOCKERS = ['feed_down', 'feed_stale', 'audit_tampered'];

interface RuleDbRow {
  id: number; name: string; enabled: number; kinds: string; origin: string | null; destination: string | null;
  max_change_pct: number; created_by: string; created_at: string; updated_at: string;
}

function toRule(r: RuleDbRow): AutoApprovalRule {
  return {
    id: r.id, name: r.name, enabled: r.enabled === 1, kinds: JSON.parse(r.kinds) as DecisionKind[], origin: r.origin, destination: r.destination,
    maxChangePct: r.max_change_pct, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** The decisions each rule approved (or would approve, in a dry run). */
export interface ApprovedByRule { rule: AutoApprovalRule; ids: number[] }

export type WaitReason = 'not_engine' | 'no_current_value' | 'outside_guardrails' | 'open_alert' | 'no_rule' | 'change_too_large';

/** The columns of a decision that auto-approval reads. */
const EVALUATED = ['id', 'kind', 'source', 'origin', 'destination', 'outside_guardrails', 'guard_floor', 'guard_ceiling', 'guard_max_change_pct', 'proposed_value', 'current_value', 'change_pct'] as const;
type EvaluatedRow = Pick<DecisionDbRow, (typeof EVALUATED)[number]>;

/** Which rule approves a decision, or why it waits (pure: the caller supplies rules and blocked markets). */
export function evaluate(d: EvaluatedRow, rules: readonly AutoApprovalRule[], alertBlocked: boolean): { rule: AutoApprovalRule } | { wait: WaitReason } {
  if (d.source !== 'engine') return { wait: 'not_engine' };
  if (d.outside_guardrails === 1) return { wait: 'outside_guardrails' };
  const g = { floor: d.guard_floor, ceiling: d.guard_ceiling, maxChangePct: d.guard_max_change_pct };
  if (guardrailBreaches(d.proposed_value, d.current_value, g).length) return { wait: 'outside_guardrails' };
  if (alertBlocked) return { wait: 'open_alert' };
  const covering = rules.filter((r) => r.enabled && r.kinds.includes(d.kind) && (r.origin === null || r.origin === d.origin) && (r.destination === null || r.destination === d.destination));
  if (covering.length === 0) return { wait: 'no_rule' };
  if (d.change_pct === null) return d.current_value === d.proposed_value ? { rule: covering[0]! } : { wait: 'no_current_value' };
  const rule = covering.find((r) => Math.abs(d.change_pct!) <= r.maxChangePct + 1e-9);
  return rule ? { rule } : { wait: 'change_too_large' };
}

export class AutoApprovalService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly decisions: DecisionService,
  ) {}

  list(): AutoApprovalRule[] {
    return (this.db.prepare('SELECT * FROM auto_approval_rules ORDER BY id').all() as RuleDbRow[]).map(toRule);
  }

  save(actor: string, input: { id?: number; name: string; enabled: boolean; kinds: DecisionKind[]; origin: string | null; destination: string | null; maxChangePct: number }): AutoApprovalRule {
    const at = this.clock.now().toISOString();
    return this.audit.tx(() => {
      let id = input.id;
      const fields = { name: input.name, enabled: input.enabled ? 1 : 0, kinds: JSON.stringify([...new Set(input.kinds)]), origin: input.origin, destination: input.destination, max: input.maxChangePct, at, actor };
      if (id === undefined) {
        id = Number(this.db.prepare(`INSERT INTO auto_approval_rules (name, enabled, kinds, origin, destination, max_change_pct, created_by, created_at, updated_at)
          VALUES (@name, @enabled, @kinds, @origin, @destination, @max, @actor, @at, @at)`).run(fields).lastInsertRowid);
      } else {
        const r = this.db.prepare(`UPDATE auto_approval_rules SET name = @name, enabled = @enabled, kinds = @kinds, origin = @origin, destination = @destination,
          max_change_pct = @max, updated_at = @at WHERE id = @id`).run({ ...fields, id });
        if (r.changes === 0) throw new WorkflowError('not_found', `auto-approval rule ${id} was not found`, 'id');
      }
      const rule = toRule(this.db.prepare('SELECT * FROM auto_approval_rules WHERE id = ?').get(id) as RuleDbRow);
      const market = rule.origin || rule.destination ? `${rule.origin ?? '*'}-${rule.destination ?? '*'}` : 'all markets';
      this.audit.append([{ actor, entity: 'rule', entityId: id, from: input.id === undefined ? null : 'saved', to: rule.enabled ? 'enabled' : 'disabled',
        reason: `rule "${rule.name}": ${rule.kinds.join('/')} on ${market}, change within ±${rule.maxChangePct} %`, detail: { ...rule } }], at);
      return rule;
    });
  }

  delete(actor: string, id: number): boolean {
    const at = this.clock.now().toISOString();
    return this.audit.tx(() => {
      const r = this.db.prepare('DELETE FROM auto_approval_rules WHERE id = ?').run(id);
      if (r.changes) this.audit.append([{ actor, entity: 'rule', entityId: id, from: 'saved', to: 'deleted', reason: 'rule deleted' }], at);
      return r.changes > 0;
    });
  }

  /** Markets with an unacknowledged open alert ("ORIGIN-DEST"), and whether a network-wide blocker is open. */
  private blocked(): { markets: Set<string>; network: boolean } {
    const rows = this.db.prepare(`SELECT kind, origin, destination FROM alerts WHERE resolved_at IS NULL AND acknowledged_at IS NULL`).all() as { kind: string; origin: string | null; destination: string | null }[];
    const markets = new Set<string>();
    let network = false;
    for (const r of rows) {
      if (r.origin && r.destination) markets.add(`${r.origin}-${r.destination}`);
      else if (NETWORK_BLOCKERS.includes(r.kind)) network = true;
    }
    return { markets, network };
  }

  /** Approves what the rules allow, in short transactions (DecisionService.approveInSlices). */
  async run(opts: { dryRun: boolean; filter?: DecisionFilter }): Promise<AutoApprovalResult> {
    return (await this.runByRule(opts)).result;
  }

  /**
   * `run`, answering also the ids each rule approved (the cycle's report counts them, and a dry run names
   * the rule of each). The proposals are read and evaluated a page at a time, each page sized by the
   * slices' time budget (slices.ts), with a turn of the event loop between pages: a cycle's 380,000
   * proposals in one read held the host's loop for 1.8 s.
   */
  async runByRule(opts: {
    dryRun: boolean; filter?: DecisionFilter;
    /** only these decisions (those of them still proposed and matching the filter): a cycle's standing proposals */
    ids?: readonly number[];
    /** a fixed number of proposals per page (tests) */ page?: number;
  }): Promise<{ result: AutoApprovalResult; byRule: ApprovedByRule[] }> {
    const sizer = new SliceSizer(opts.page ? { first: opts.page, max: opts.page } : { first: 1_000, max: 50_000 });
    this.decisions.expireDue();
    const rules = this.list();
    const { where, params } = filterSql({ ...(opts.filter ?? {}), states: ['proposed'] });
    // only the columns evaluated (a proposal's context and explanation are kilobytes), by id from where the last
    // page ended; with ids, a page is the next run of them
    const cols = EVALUATED.map((c) => `d.${c}`).join(', ');
    const page = this.db.prepare(`SELECT ${cols} FROM decisions d ${where ? `${where} AND` : 'WHERE'} d.id > @after ORDER BY d.id LIMIT @limit`);
    const byIds = this.db.prepare(`SELECT ${cols} FROM decisions d ${where ? `${where} AND` : 'WHERE'} d.id IN (SELECT value FROM json_each(@ids)) ORDER BY d.id`);
    const ids = opts.ids ? [...opts.ids].sort((x, y) => x - y) : null;
    const blocked = this.blocked();
    const waiting: Record<string, number> = {};
    const candidates = new Map<number, ApprovedByRule>();
    let considered = 0;
    for (let after = 0, next = 0; ;) {
      const limit = sizer.next();
      const t0 = performance.now();
      const rows = (ids ? byIds.all({ ...params, ids: JSON.stringify(ids.slice(next, (next += limit))) }) : page.all({ ...params, after, limit })) as EvaluatedRow[];
      for (const d of rows) {
        const v = evaluate(d, rules, blocked.network || blocked.markets.has(`${d.origin}-${d.destination}`));
        if ('wait' in v) { waiting[v.wait] = (waiting[v.wait] ?? 0) + 1; continue; }
        const g = candidates.get(v.rule.id) ?? { rule: v.rule, ids: [] };
        g.ids.push(d.id);
        candidates.set(v.rule.id, g);
      }
      considered += rows.length;
      sizer.took(rows.length, performance.now() - t0);
      if (ids ? next >= ids.length : rows.length < limit) break;
      if (!ids) after = rows[rows.length - 1]!.id;
      await yieldToLoop();
    }
    const approvedIds: number[] = [];
    const byRule: ApprovedByRule[] = [];
    for (const { rule, ids } of candidates.values()) {
      // one push at a time: a cycle's proposals can be hundreds of thousands, more arguments than a call takes
      if (opts.dryRun) { for (const id of ids) approvedIds.push(id); byRule.push({ rule, ids }); continue; }
      const r = await this.decisions.approveInSlices(AUTO_APPROVAL_ACTOR, { ids }, null, {
        id: rule.id,
        why: (d) => `rule ${rule.id} "${rule.name}": change ${d.change_pct === null ? 'none' : `${d.change_pct >= 0 ? '+' : ''}${d.change_pct.toFixed(1)} %`} within ±${rule.maxChangePct} %, inside guardrails, no open alert on ${d.origin}-${d.destination}`,
      });
      for (const id of r.ids) approvedIds.push(id);
      byRule.push({ rule, ids: r.ids });
      for (const s of r.skipped) waiting[`skipped: ${s.reason}`] = (waiting[`skipped: ${s.reason}`] ?? 0) + 1;
    }
    return { result: { considered, approved: approvedIds.length, waiting, approvedIds, dryRun: opts.dryRun }, byRule };
  }
}
