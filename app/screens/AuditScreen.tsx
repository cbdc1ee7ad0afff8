/** The audit log: every transition and change, newest first; search by text, actor and entity; page back; chain status. */
import { useState } from 'react';
import type { AuditRowOut } from '../../engine/api/contract';
import type { AuditEntity } from '../../engine/domain/audit';
import { useApi, useApiMutation } from '../api/hooks';
import { useSession } from '../api/session';
import { useUi } from '../state/ui';
import { Empty, ErrorNote, QueryState } from '../components/States';
import { formatCount, formatInstant, viewerZone } from '../components/format';

type Entity = AuditEntity;
const PAGE = 200;

export function AuditScreen() {
  const session = useSession();
  const openDetail = useUi((s) => s.openDetail);
  const setScreen = useUi((s) => s.setScreen);
  const [text, setText] = useState('');
  const [actor, setActor] = useState('');
  const [entity, setEntity] = useState<Entity | ''>('');
  const [query, setQuery] = useState<{ text?: string; actor?: string; entity?: Entity }>({});
  const [pages, setPages] = useState<number[]>([]);
  const before = pages.at(-1);
  const q = useApi('audit.search', { ...query, before, limit: PAGE }, { placeholderData: (p) => p });
  const status = useApi('audit.status', {});
  const verify = useApiMutation('audit.verify');
  const search = () => { setPages([]); setQuery({ text: text.trim() || undefined, actor: actor.trim() || undefined, entity: entity || undefined }); };
  const chain = verify.data ?? status.data;
  return (
    <div className="screen" data-testid="audit-screen">
      <div className="screen-head">
        <h1>Audit log</h1>
        {chain && <span className={`pill ${chain.ok ? 'state-ok' : 'state-down'}`} data-testid="audit-chain" title={chain.problems.map((p) => p.message).join('\n')}>
          chain {chain.ok ? 'verified' : 'BROKEN'} at {formatInstant(chain.checkedAt, viewerZone())}: {formatCount(chain.rows)} rows then{chain.archivedRows > 0 ? `, after ${formatCount(chain.archivedRows)} archived` : ''}
        </span>}
        {!chain && status.isSuccess && <span className="pill" data-testid="audit-chain">verifying the chain…</span>}
        {chain && chain.archivedRows > 0 && <button type="button" className="link" onClick={() => setScreen('archive')} data-testid="audit-archive-link">Search the archived rows</button>}
        {session.isAdmin && <button type="button" className="small-button" disabled={verify.isPending} onClick={() => verify.mutate({})}>Verify now</button>}
      </div>
      {verify.error && <ErrorNote error={verify.error} />}
      <form className="filter-bar" onSubmit={(e) => { e.preventDefault(); search(); }} aria-label="Search the audit log">
        <input placeholder="Text (reason, ids…)" value={text} onChange={(e) => setText(e.target.value)} data-testid="audit-text" />
        <input placeholder="Actor" value={actor} onChange={(e) => setActor(e.target.value)} data-testid="audit-actor" />
        <select value={entity} onChange={(e) => setEntity(e.target.value as Entity | '')} aria-label="Entity" data-testid="audit-entity">
          <option value="">Any entity</option><option value="decision">Decisions</option><option value="batch">Push batches</option><option value="user">Users</option><option value="rule">Rules and settings</option><option value="alert">Alerts</option><option value="archive">Archives</option><option value="demand_influence">Demand influences</option>
        </select>
        <button type="submit" data-testid="audit-search">Search</button>
      </form>
      <QueryState q={q} what="the audit log">
        {(rows) => rows.length === 0 ? <Empty>No audit rows match.</Empty> : (
          <>
            <div className="table-wrap fill">
              <table className="table compact" data-testid="audit-table">
                <thead><tr><th className="num">Seq</th><th>When</th><th>Actor</th><th>Entity</th><th>From</th><th>To</th><th>Why</th></tr></thead>
                <tbody>{rows.map((r: AuditRowOut) => (
                  <tr key={r.seq}>
                    <td className="num">{r.seq}</td><td>{formatInstant(r.at, viewerZone())}</td><td>{r.actor}</td>
                    <td>{r.entity === 'decision' ? <><button type="button" className="link" onClick={() => openDetail({ decisionId: Number(r.entityId) })}>decision {r.entityId}</button>
                      {r.about !== undefined && <div className="small muted" data-testid="audit-about">{r.about ?? 'no longer in the store: see the Archive'}</div>}</> : `${r.entity.replace('_', ' ')} ${r.entityId}`}</td>
                    <td>{r.from ?? '—'}</td><td>{r.to}</td><td>{r.reason}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
            <div className="pager">
              <button type="button" disabled={pages.length === 0} onClick={() => setPages(pages.slice(0, -1))}>Newer</button>
              <button type="button" disabled={rows.length < PAGE} onClick={() => setPages([...pages, rows.at(-1)!.seq])}>Older</button>
            </div>
          </>
        )}
      </QueryState>
    </div>
  );
}
