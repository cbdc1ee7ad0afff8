/**
 * Demand influences (the analyst's factor on a market's forecast demand over dates): stored in
 * `demand_influences`, changed with an audit row, and read by the pricing cycle as configured calendar events
 * bound to their origin and destination (forecasting/factors.ts): each departure in range has its demand to come
 * multiplied by the factor, whatever the forecast method and on top of the factors the forecast estimates; the
 * network LP does the same for the connecting journeys whose origin and destination match (cycle/network.ts).
 */
import type { Database } from 'better-sqlite3';
import { influenceChange, influenceScope, type DemandInfluence } from '../api/contract/influences';
import type { CalendarEvent } from '../forecasting/factors';
import type { AuditLog } from '../workflow/audit';
import { WorkflowError } from '../workflow/errors';

interface InfluenceDbRow {
  id: number; name: string; origin: string | null; destination: string | null; cabin: string | null; from_date: string; to_date: string; factor: number; note: string;
  created_by: string; created_at: string; updated_by: string; updated_at: string;
}

function toInfluence(r: InfluenceDbRow): DemandInfluence {
  return {
    id: r.id, name: r.name, origin: r.origin, destination: r.destination, cabin: r.cabin, from: r.from_date, to: r.to_date, factor: r.factor, note: r.note,
    createdBy: r.created_by, createdAt: r.created_at, updatedBy: r.updated_by, updatedAt: r.updated_at,
  };
}

export type InfluenceInput = Omit<DemandInfluence, 'id' | 'createdBy' | 'createdAt' | 'updatedBy' | 'updatedAt'> & { id?: number };

export class DemandInfluences {
  constructor(private readonly db: Database, private readonly now: () => string, private readonly audit: AuditLog) {}

  /**
   * By first date: those ending on or after `today` (all with `includePast`); with a market, those whose
   * origin and destination match its (an unset one matches any).
   */
  list(q: { today: string; includePast?: boolean; origin?: string; destination?: string }): DemandInfluence[] {
    const where: string[] = [];
    const p: Record<string, string> = {};
    if (!q.includePast) { where.push('to_date >= @today'); p.today = q.today; }
    if (q.origin) { where.push('(origin IS NULL OR origin = @origin)'); p.origin = q.origin; }
    if (q.destination) { where.push('(destination IS NULL OR destination = @destination)'); p.destination = q.destination; }
    const sql = `SELECT * FROM demand_influences${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY from_date, to_date, id`;
    return (this.db.prepare(sql).all(p) as InfluenceDbRow[]).map(toInfluence);
  }

  /**
   * Creates (no id) or changes an influence; an airport the store does not know is refused (it would apply to
   * nothing). `dryRun`: checks only, and answers what would be saved (id 0 for a new one).
   */
  save(actor: string, input: InfluenceInput, o: { dryRun?: boolean } = {}): DemandInfluence {
    for (const field of ['origin', 'destination'] as const) {
      const code = input[field];
      if (code !== null && !this.db.prepare('SELECT 1 FROM airports WHERE code = ?').get(code)) {
        throw new WorkflowError('validation', `${field} ${code} is not an airport the workbench knows (the schedule and PSS feeds list them)`, field);
      }
    }
    const at = this.now();
    if (o.dryRun) {
      const before = input.id === undefined ? null : this.db.prepare('SELECT created_by, created_at FROM demand_influences WHERE id = ?').get(input.id) as { created_by: string; created_at: string } | undefined;
      if (before === undefined) throw new WorkflowError('not_found', `demand influence ${input.id} was not found`, 'id');
      const { id, ...rest } = input;
      return { id: id ?? 0, ...rest, createdBy: before?.created_by ?? actor, createdAt: before?.created_at ?? at, updatedBy: actor, updatedAt: at };
    }
    return this.audit.tx(() => {
      const fields = { name: input.name, origin: input.origin, destination: input.destination, cabin: input.cabin, from: input.from, to: input.to, factor: input.factor, note: input.note, actor, at };
      let id = input.id;
      const before = id === undefined ? null : this.db.prepare('SELECT * FROM demand_influences WHERE id = ?').get(id) as InfluenceDbRow | undefined;
      if (id === undefined) {
        id = Number(this.db.prepare(`INSERT INTO demand_influences (name, origin, destination, cabin, from_date, to_date, factor, note, created_by, created_at, updated_by, updated_at)
          VALUES (@name, @origin, @destination, @cabin, @from, @to, @factor, @note, @actor, @at, @actor, @at)`).run(fields).lastInsertRowid);
      } else {
        if (!before) throw new WorkflowError('not_found', `demand influence ${id} was not found`, 'id');
        this.db.prepare(`UPDATE demand_influences SET name = @name, origin = @origin, destination = @destination, cabin = @cabin, from_date = @from, to_date = @to, factor = @factor,
          note = @note, updated_by = @actor, updated_at = @at WHERE id = @id`).run({ ...fields, id });
      }
      const saved = toInfluence(this.db.prepare('SELECT * FROM demand_influences WHERE id = ?').get(id) as InfluenceDbRow);
      this.audit.append([{
        actor, entity: 'demand_influence', entityId: id, from: before ? 'saved' : null, to: 'saved',
        reason: `demand influence "${saved.name}": ${influenceScope(saved)} ${saved.from} to ${saved.to}, forecast demand ${influenceChange(saved.factor)}`
          + (before ? ` (was ${influenceScope(toInfluence(before))} ${before.from_date} to ${before.to_date}, ${influenceChange(before.factor)})` : ''),
        detail: { ...saved },
      }], at);
      return saved;
    });
  }

  delete(actor: string, id: number): void {
    const at = this.now();
    this.audit.tx(() => {
      const r = this.db.prepare('SELECT * FROM demand_influences WHERE id = ?').get(id) as InfluenceDbRow | undefined;
      if (!r) throw new WorkflowError('not_found', `demand influence ${id} was not found`, 'id');
      this.db.prepare('DELETE FROM demand_influences WHERE id = ?').run(id);
      const i = toInfluence(r);
      this.audit.append([{ actor, entity: 'demand_influence', entityId: id, from: 'saved', to: 'deleted',
        reason: `demand influence "${i.name}" deleted: ${influenceScope(i)} ${i.from} to ${i.to}, ${influenceChange(i.factor)}`, detail: { ...i } }], at);
    });
  }
}

/** The influences overlapping [from, to] as the forecast's configured events, bound to their origin, destination and cabin. */
export function influenceEvents(db: Database, from: string, to: string): CalendarEvent[] {
  const rows = db.prepare('SELECT * FROM demand_influences WHERE to_date >= ? AND from_date <= ? ORDER BY from_date, id').all(from, to) as InfluenceDbRow[];
  return rows.map((r) => ({
    name: `demand influence: ${r.name}`, from: r.from_date, to: r.to_date, factor: r.factor,
    ...(r.origin !== null ? { origin: r.origin } : {}), ...(r.destination !== null ? { destination: r.destination } : {}), ...(r.cabin !== null ? { cabin: r.cabin } : {}),
  }));
}
