/** The review filter as SQL over `decisions d`: shared by the list and by bulk approve / reject. */
import type { DecisionFilter } from '../api/contract/decisions';

export function filterSql(f: DecisionFilter): { where: string; params: Record<string, unknown> } {
  const w: string[] = [];
  const p: Record<string, unknown> = {};
  const eq = (col: string, name: string, v: unknown) => { if (v !== undefined) { w.push(`d.${col} = @${name}`); p[name] = v; } };
  eq('origin', 'f_origin', f.origin);
  eq('destination', 'f_destination', f.destination);
  eq('carrier', 'f_carrier', f.carrier);
  eq('flight_id', 'f_flight', f.flightId);
  eq('cabin', 'f_cabin', f.cabin);
  eq('rbd', 'f_rbd', f.rbd);
  eq('source', 'f_source', f.source);
  eq('cycle_id', 'f_cycle', f.cycleId);
  // a decision matches a date range when its travel dates overlap it
  if (f.dateFrom) { w.push('d.travel_date_to >= @f_from'); p.f_from = f.dateFrom; }
  if (f.dateTo) { w.push('d.travel_date <= @f_to'); p.f_to = f.dateTo; }
  // one value is an equality, so the review indexes (state, …) both filter and order (a list is an IN)
  const oneOf = (col: string, name: string, vs: readonly string[] | undefined) => {
    if (!vs) return;
    if (vs.length === 1) { w.push(`d.${col} = @${name}`); p[name] = vs[0]; } else { w.push(`d.${col} IN (SELECT value FROM json_each(@${name}))`); p[name] = JSON.stringify(vs); }
  };
  oneOf('kind', 'f_kinds', f.kinds);
  oneOf('state', 'f_states', f.states);
  if (f.minAbsChangePct !== undefined) { w.push('abs(d.change_pct) >= @f_change'); p.f_change = f.minAbsChangePct; }
  if (f.outsideGuardrails !== undefined) { w.push('d.outside_guardrails = @f_outside'); p.f_outside = f.outsideGuardrails ? 1 : 0; }
  return { where: w.length ? `WHERE ${w.join(' AND ')}` : '', params: p };
}
