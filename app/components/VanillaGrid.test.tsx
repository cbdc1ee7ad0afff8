// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { ICellEditorParams } from 'ag-grid-community';
import { changedOptions, reactPopupEditor } from './VanillaGrid';

describe('changedOptions', () => {
  it('hands the grid only the options whose value changed, and removed ones as undefined', () => {
    const defs = [{ field: 'a' }];
    const prev = { columnDefs: defs, rowHeight: 30, tooltipShowDelay: 400, onGridReady: () => undefined };
    const next = { columnDefs: defs, rowHeight: 32, onGridReady: () => undefined, animateRows: false };
    expect(changedOptions(prev, next)).toEqual({ rowHeight: 32, animateRows: false, tooltipShowDelay: undefined });
  });

  it('never hands over event handlers (the grid keeps a stable one calling the latest)', () => {
    expect(changedOptions({ onCellKeyDown: () => 1 }, { onCellKeyDown: () => 2 })).toEqual({});
    expect(changedOptions({ onCellKeyDown: () => 1 }, {})).toEqual({});
  });

  it('compares by identity: an equal but new object is a change', () => {
    expect(changedOptions({ rowSelection: { mode: 'multiRow' } }, { rowSelection: { mode: 'multiRow' } })).toHaveProperty('rowSelection');
  });
});

describe('reactPopupEditor', () => {
  function Editor(p: ICellEditorParams & { label: string }) {
    return <button type="button" data-testid="editor">{p.label} {String(p.value)}</button>;
  }

  it('mounts the component when the grid attaches the popup, keeps the value, and unmounts on destroy', async () => {
    const Popup = reactPopupEditor<{ label: string }>(Editor, 'under');
    const editor = new Popup();
    editor.init!({ value: 416, label: 'Override' } as unknown as ICellEditorParams & { label: string });
    const gui = editor.getGui();
    document.body.append(gui);
    expect(gui.textContent).toBe('');
    editor.afterGuiAttached!();
    expect(gui.querySelector('[data-testid="editor"]')?.textContent).toBe('Override 416');
    expect(editor.isPopup!()).toBe(true);
    expect(editor.getPopupPosition!()).toBe('under');
    expect(editor.getValue()).toBe(416);
    editor.destroy!();
    await Promise.resolve();
    expect(gui.textContent).toBe('');
    gui.remove();
  });
});
