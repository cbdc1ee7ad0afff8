/** Saved views of the review: filter, columns (order, width, visibility, sort) and mode, by name. */
import { useState } from 'react';
import { useUi, type SavedView } from '../../state/ui';
import { describeFilter } from './filter';

export function SavedViews({ current, onApply, onClose }: { current: () => Omit<SavedView, 'name' | 'savedAt'>; onApply: (v: SavedView) => void; onClose: () => void }) {
  const views = useUi((s) => s.savedViews);
  const saveView = useUi((s) => s.saveView);
  const deleteView = useUi((s) => s.deleteView);
  const [name, setName] = useState('');
  const exists = views.some((v) => v.name === name.trim());
  return (
    <div className="popover saved-views" role="dialog" aria-label="Saved views" data-testid="saved-views" onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
      <header><strong>Saved views</strong><button type="button" className="small-button" onClick={onClose} aria-label="Close">×</button></header>
      {views.length === 0 ? <p className="muted small">No saved views yet. Set the filter and columns as you like, then save them under a name.</p> : (
        <ul>
          {views.map((v) => (
            <li key={v.name}>
              <button type="button" className="link" onClick={() => { onApply(v); onClose(); }} data-testid={`view-apply-${v.name}`}>{v.name}</button>
              <span className="muted small">{describeFilter(v.filter)} · {v.mode}</span>
              <button type="button" className="icon-button" aria-label={`Delete view ${v.name}`} onClick={() => deleteView(v.name)}>×</button>
            </li>
          ))}
        </ul>
      )}
      <form className="form-row" onSubmit={(e) => { e.preventDefault(); if (!name.trim()) return; saveView({ ...current(), name: name.trim(), savedAt: new Date().toISOString() }); setName(''); }}>
        <input placeholder="View name" value={name} onChange={(e) => setName(e.target.value)} aria-label="View name" data-testid="view-name" maxLength={60} />
        <button type="submit" disabled={!name.trim()} data-testid="view-save">{exists ? 'Replace' : 'Save current'}</button>
      </form>
    </div>
  );
}
