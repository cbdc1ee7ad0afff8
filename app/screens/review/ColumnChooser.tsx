/** Our own column chooser (Community has no columns tool panel): show, hide and reorder the review columns. */
import { useEffect, useState } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { DecisionRow } from '../../../engine/api/contract';
import { REVIEW_COLUMNS, COLUMN_BY_ID } from './columns';

interface Entry { id: string; label: string; visible: boolean }

function entriesOf(api: GridApi<DecisionRow>): Entry[] {
  return api.getColumnState()
    .filter((s) => COLUMN_BY_ID.has(s.colId))
    .map((s) => ({ id: s.colId, label: COLUMN_BY_ID.get(s.colId)!.label, visible: !s.hide }));
}

export function ColumnChooser({ api, onClose }: { api: GridApi<DecisionRow>; onClose: () => void }) {
  const [entries, setEntries] = useState<Entry[]>(() => entriesOf(api));
  useEffect(() => {
    const refresh = () => setEntries(entriesOf(api));
    api.addEventListener('displayedColumnsChanged', refresh);
    api.addEventListener('columnVisible', refresh);
    return () => {
      if (api.isDestroyed()) return;
      api.removeEventListener('displayedColumnsChanged', refresh);
      api.removeEventListener('columnVisible', refresh);
    };
  }, [api]);
  // the box shows the click at once; the grid's events then confirm it. Without this, a render of the
  // chooser before the grid had sent its event (seen in Chromium on a fast machine) put the box back
  // as it was: a hidden column shown as still visible, a click lost
  const toggle = (id: string, visible: boolean) => {
    setEntries((list) => list.map((x) => (x.id === id ? { ...x, visible } : x)));
    api.setColumnsVisible([id], visible);
  };
  const move = (id: string, by: -1 | 1) => {
    const ids = api.getColumnState().map((s) => s.colId);
    const i = ids.indexOf(id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= ids.length || !COLUMN_BY_ID.has(ids[j]!)) return;
    api.moveColumns([id], j);
  };
  return (
    <div className="popover column-chooser" role="dialog" aria-label="Columns" data-testid="column-chooser"
      onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
      <header>
        <strong>Columns</strong>
        <span className="row-actions">
          <button type="button" className="small-button" onClick={() => api.setColumnsVisible(REVIEW_COLUMNS.map((c) => c.id), true)}>Show all</button>
          <button type="button" className="small-button" onClick={() => { api.resetColumnState(); }}>Reset</button>
          <button type="button" className="small-button" onClick={onClose} aria-label="Close">×</button>
        </span>
      </header>
      <ul>
        {entries.map((e, i) => (
          <li key={e.id}>
            <label>
              <input type="checkbox" checked={e.visible} onChange={(ev) => toggle(e.id, ev.target.checked)} data-testid={`column-toggle-${e.id}`} />
              {e.label}
            </label>
            <span className="row-actions">
              <button type="button" className="icon-button" aria-label={`Move ${e.label} up`} disabled={i === 0} onClick={() => move(e.id, -1)}>↑</button>
              <button type="button" className="icon-button" aria-label={`Move ${e.label} down`} disabled={i === entries.length - 1} onClick={() => move(e.id, 1)}>↓</button>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
