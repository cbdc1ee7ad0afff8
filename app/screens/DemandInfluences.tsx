/**
 * Demand influences of the analyst's market: the factors on its forecast demand over dates (its own, its
 * origin's or destination's, network-wide ones), and a form to add or change one. The next pricing cycle
 * multiplies the forecast of each departure in range by the factor; protection levels, bid prices and fares follow.
 */
import { useState } from 'react';
import { influenceChange, influenceFactor, influenceScope, influencesCovering, INFLUENCE_FACTOR_MAX, INFLUENCE_FACTOR_MIN, type DemandInfluence } from '../../engine/api/contract';
import { useApi, useApiMutation } from '../api/hooks';
import { ErrorNote, QueryState } from '../components/States';

interface Draft { id?: number; name: string; origin: string; destination: string; cabin: string; from: string; to: string; change: string; note: string }

export function DemandInfluences({ origin, destination, from, to, cabins }: { origin: string; destination: string; from: string; to: string; /** the market's cabins */ cabins: readonly string[] }) {
  const q = useApi('influences.list', { origin, destination });
  const save = useApiMutation('influences.save');
  const del = useApiMutation('influences.delete');
  const [draft, setDraft] = useState<Draft | null>(null);
  const start = (i?: DemandInfluence) => {
    save.reset();
    setDraft(i
      ? { id: i.id, name: i.name, origin: i.origin ?? '', destination: i.destination ?? '', cabin: i.cabin ?? '', from: i.from, to: i.to, change: String(Math.round((i.factor - 1) * 1000) / 10), note: i.note }
      : { name: '', origin, destination, cabin: '', from, to, change: '', note: '' });
  };
  const factor = draft ? influenceFactor(draft.change) : null;
  const factorProblem = draft && draft.change.trim() !== '' && (factor === null ? 'a change in per cent, e.g. −20 or 15'
    : factor < INFLUENCE_FACTOR_MIN || factor > INFLUENCE_FACTOR_MAX ? `between ${influenceChange(INFLUENCE_FACTOR_MIN)} and ${influenceChange(INFLUENCE_FACTOR_MAX)}` : null);
  return (
    <section className="card" aria-label="Demand influences" data-testid="influences">
      <header>
        <strong>Demand influences</strong>
        <button type="button" className="small-button" onClick={() => start()} data-testid="influence-new">New influence</button>
      </header>
      <p className="muted small">
        Your knowledge of what the history cannot show (a strike, an event, a competitor leaving): the next pricing cycle multiplies
        the forecast demand of {origin}-{destination}&apos;s departures in the dates by the factor, and the protection levels, bid prices and fares follow.
      </p>
      <QueryState q={q} what="demand influences">
        {({ rows }) => (
          <table className="table compact" data-testid="influences-table">
            <thead><tr><th>Influence</th><th>Applies to</th><th>Departures</th><th className="num">Demand</th><th>Note</th><th>By</th><th /></tr></thead>
            <tbody>{rows.length === 0 ? <tr><td colSpan={7} className="muted">None on this market: the forecast rests on the history alone.</td></tr> : rows.map((i) => (
              <tr key={i.id} data-testid={`influence-${i.id}`}>
                <td>{i.name}</td><td>{influenceScope(i)}</td><td>{i.from === i.to ? i.from : `${i.from} – ${i.to}`}</td>
                <td className="num">{influenceChange(i.factor)}</td><td>{i.note}</td><td title={`changed ${i.updatedAt.slice(0, 16).replace('T', ' ')} UTC`}>{i.updatedBy}</td>
                <td className="row-actions">
                  <button type="button" className="small-button" onClick={() => start(i)}>Edit</button>
                  <button type="button" className="small-button" onClick={() => { if (window.confirm(`Delete the influence "${i.name}"? The next cycle forecasts these departures without it.`)) del.mutate({ id: i.id }); }}
                    data-testid={`influence-delete-${i.id}`}>Delete</button>
                </td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </QueryState>
      {del.error && <ErrorNote error={del.error} compact />}
      {draft && (
        <form className="form-grid" aria-label="Demand influence" onSubmit={(e) => {
          e.preventDefault();
          if (factor === null || factorProblem) return;
          save.mutate({
            ...(draft.id ? { id: draft.id } : {}), name: draft.name, origin: draft.origin || null, destination: draft.destination || null, cabin: draft.cabin || null,
            from: draft.from, to: draft.to, factor, note: draft.note,
          }, { onSuccess: () => setDraft(null) });
        }}>
          <label>Name<input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required maxLength={120} placeholder="e.g. Strike at CDG" data-testid="influence-name" /></label>
          <div className="row-actions">
            <label>Origin (empty: any)<input className="narrow" maxLength={3} value={draft.origin} onChange={(e) => setDraft({ ...draft, origin: e.target.value.toUpperCase() })} data-testid="influence-origin" /></label>
            <label>Destination (empty: any)<input className="narrow" maxLength={3} value={draft.destination} onChange={(e) => setDraft({ ...draft, destination: e.target.value.toUpperCase() })} data-testid="influence-destination" /></label>
            <label>Cabin<select value={draft.cabin} onChange={(e) => setDraft({ ...draft, cabin: e.target.value })} data-testid="influence-cabin">
              <option value="">every cabin</option>
              {[...new Set([...cabins, ...(draft.cabin ? [draft.cabin] : [])])].map((c) => <option key={c} value={c}>{c}</option>)}
            </select></label>
            <label>First departure<input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} required data-testid="influence-from" /></label>
            <label>Last departure<input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} required data-testid="influence-to" /></label>
            <label>Demand change (%)<input className="narrow" value={draft.change} onChange={(e) => setDraft({ ...draft, change: e.target.value })} required placeholder="−20" aria-invalid={Boolean(factorProblem)} data-testid="influence-change" /></label>
          </div>
          {factorProblem && <span className="hint" role="alert" data-testid="influence-change-problem">The change must be {factorProblem}.</span>}
          <label>Note<input value={draft.note} onChange={(e) => setDraft({ ...draft, note: e.target.value })} maxLength={500} placeholder="why, and where you read it" /></label>
          {save.error && <ErrorNote error={save.error} compact />}
          <div className="row-actions">
            <button type="button" onClick={() => setDraft(null)}>Cancel</button>
            <button type="submit" className="primary" disabled={save.isPending || Boolean(factorProblem)} data-testid="influence-save">{draft.id ? 'Save influence' : 'Add influence'}</button>
          </div>
        </form>
      )}
    </section>
  );
}

/** The demand influences on a departure, for its detail: name and change each (pricing cycles since they were set carry them). */
export function DepartureInfluences({ origin, destination, cabin, date }: { origin: string; destination: string; cabin: string; date: string }) {
  const q = useApi('influences.list', { origin, destination });
  const rows = influencesCovering(q.data?.rows ?? [], date).filter((i) => i.cabin === null || i.cabin === cabin);
  if (rows.length === 0) return null;
  return (
    <>
      <dt>Demand influences</dt>
      <dd data-testid="detail-influences">{rows.map((i) => `${i.name} ${influenceChange(i.factor)} (set ${i.updatedAt.slice(0, 16).replace('T', ' ')} UTC)`).join('; ')}</dd>
    </>
  );
}
