/**
 * The review grid's selection column: one plain checkbox per row, bound to ag-grid's row selection.
 *
 * ag-grid's own selection checkboxes are a component of eight elements with a label, wrapper, ids and
 * listeners built for every row as it scrolls into view: about 1.3 ms of a 100-px scroll frame's script
 * in the renderer's profile (of 8-10 ms of script and 16-19 ms of main-thread time). This column draws a single
 * `<input type="checkbox">` that mirrors the row's selection. Selection itself stays ag-grid's
 * (Space on any cell, `getSelectedRows`, the `ag-row-selected` class and `aria-selected`); a click
 * toggles the row, and Shift+click selects the range from the last clicked row.
 */
import type { ColDef, GridApi, ICellRendererComp, ICellRendererParams, IRowNode } from 'ag-grid-community';

export const SELECT_COLUMN_ID = 'select';

/** Per grid: the row index last clicked, the anchor of a Shift+click range. */
const anchors = new WeakMap<GridApi, number>();

/** The rows from `from` to `to` (either order) that are displayed and loaded. */
function rowsBetween<T>(api: Pick<GridApi<T>, 'getDisplayedRowAtIndex'>, from: number, to: number): IRowNode<T>[] {
  const nodes: IRowNode<T>[] = [];
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
    const n = api.getDisplayedRowAtIndex(i);
    if (n?.data !== undefined) nodes.push(n);
  }
  return nodes;
}

export class SelectCheckbox<T> implements ICellRendererComp<T> {
  private readonly input = document.createElement('input');
  private node: IRowNode<T> | null = null;
  private readonly sync = () => {
    this.input.checked = Boolean(this.node?.isSelected());
    this.input.disabled = this.node?.data === undefined; // a row still loading cannot be selected
  };

  init(p: ICellRendererParams<T>): void {
    const input = this.input;
    input.type = 'checkbox';
    input.className = 'row-check';
    input.tabIndex = -1; // the grid's cell keeps the focus; Space on any cell selects
    input.setAttribute('aria-label', 'Select row');
    input.addEventListener('click', (e) => {
      const node = this.node;
      if (!node || node.rowIndex === null || node.data === undefined) { e.preventDefault(); return; }
      const last = anchors.get(p.api);
      if (e.shiftKey && last !== undefined) {
        p.api.setNodesSelected({ nodes: rowsBetween(p.api, last, node.rowIndex), newValue: input.checked, source: 'checkboxSelected' });
      } else {
        node.setSelected(input.checked, false, 'checkboxSelected');
      }
      anchors.set(p.api, node.rowIndex);
    });
    this.bind(p.node);
  }

  getGui(): HTMLElement {
    return this.input;
  }

  refresh(p: ICellRendererParams<T>): boolean {
    if (p.node !== this.node) this.bind(p.node);
    else this.sync();
    return true;
  }

  destroy(): void {
    this.node?.removeEventListener('rowSelected', this.sync);
    this.node = null;
  }

  private bind(node: IRowNode<T>): void {
    this.node?.removeEventListener('rowSelected', this.sync);
    this.node = node;
    node.addEventListener('rowSelected', this.sync);
    this.sync();
  }
}

/** The column: first, fixed, not sortable, not in the column chooser nor in exports. */
export function selectColumnDef<T>(): ColDef<T> {
  return {
    colId: SELECT_COLUMN_ID, headerName: '', headerTooltip: 'Select rows: click, Shift+click for a range, or Space on a row',
    width: 44, minWidth: 44, maxWidth: 44, resizable: false, sortable: false, lockPosition: 'left', suppressMovable: true,
    cellRenderer: SelectCheckbox, cellClass: 'select-cell', valueGetter: () => null,
  };
}
