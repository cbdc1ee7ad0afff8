/**
 * An ag-grid drawn by ag-grid's own DOM code (`createGrid`) inside a React element, instead of by
 * ag-grid-react, which draws every row and cell as React components: scrolling the review grid's
 * 100,000 rows spent about half of each frame's script in React's render and commit of the rows
 * entering the view. Options are plain grid options; a re-render hands ag-grid only the options whose
 * value changed (by identity), and event handlers (`on…`) may be new functions at every render:
 * the grid keeps one stable handler per event that calls the latest render's.
 */
import { useEffect, useRef, type ComponentType } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { createGrid, type GridApi, type GridOptions, type ICellEditorComp, type ICellEditorParams } from 'ag-grid-community';

type Options<T> = GridOptions<T> & Record<string, unknown>;

const isHandler = (key: string, value: unknown): value is (...args: unknown[]) => unknown => /^on[A-Z]/.test(key) && typeof value === 'function';

/** The options of `next` whose value differs from `prev` (handlers excepted: they are proxied). */
export function changedOptions(prev: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) if (!isHandler(k, v) && prev[k] !== v) out[k] = v;
  for (const k of Object.keys(prev)) if (!(k in next) && !isHandler(k, prev[k])) out[k] = undefined;
  return out;
}

/**
 * The grid. Options read only at creation (e.g. `rowModelType`) must not change; a handler absent
 * at creation is not registered later (pass it from the first render).
 */
export function VanillaGrid<T>({ options }: { options: GridOptions<T> }) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef(options as Options<T>);
  latest.current = options as Options<T>;
  const api = useRef<GridApi<T> | null>(null);
  const applied = useRef<Options<T>>({} as Options<T>);

  useEffect(() => {
    const initial = latest.current;
    const opts: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(initial)) {
      opts[k] = isHandler(k, v) ? (...args: unknown[]) => { const h = latest.current[k]; return typeof h === 'function' ? (h as (...a: unknown[]) => unknown)(...args) : undefined; } : v;
    }
    applied.current = initial;
    const grid = createGrid<T>(host.current!, opts as GridOptions<T>);
    api.current = grid;
    return () => { api.current = null; grid.destroy(); };
  }, []);

  useEffect(() => {
    const grid = api.current;
    if (!grid || grid.isDestroyed()) return;
    const changed = changedOptions(applied.current, options as Options<T>);
    applied.current = options as Options<T>;
    if (Object.keys(changed).length) grid.updateGridOptions(changed as GridOptions<T>);
  });

  return <div ref={host} style={{ height: '100%', width: '100%' }} />;
}

/**
 * A React component as a popup cell editor of a VanillaGrid: mounted in its own root when the grid
 * has attached the popup (so its autofocus lands), unmounted when the edit ends. The grid's value is
 * left as it was (the component saves through the API).
 */
export function reactPopupEditor<P extends object>(Component: ComponentType<ICellEditorParams & P>, position: 'over' | 'under' = 'under'): new () => ICellEditorComp {
  return class ReactPopupEditor implements ICellEditorComp {
    private readonly gui = document.createElement('div');
    private root: Root | null = null;
    private params: (ICellEditorParams & P) | null = null;
    init(params: ICellEditorParams & P) { this.params = params; }
    getGui() { return this.gui; }
    afterGuiAttached() {
      if (this.root || !this.params) return;
      const root = createRoot(this.gui);
      this.root = root;
      const params = this.params;
      flushSync(() => root.render(<Component {...params} />));
    }
    getValue() { return this.params?.value; }
    isPopup() { return true; }
    getPopupPosition() { return position; }
    destroy() {
      const root = this.root;
      this.root = null;
      // the edit may end inside the component's own event handler: unmount after it
      if (root) queueMicrotask(() => root.unmount());
    }
  };
}
