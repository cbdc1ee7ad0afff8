/**
 * An ag-grid (Community) drawn by ag-grid's own DOM renderer, for the grids people scroll through
 * fast and far (the review grid's 100,000 rows).
 *
 * `AgGridReact` draws every row and cell as React components, each mounted through a synchronous
 * React render (flushSync) as it scrolls into view. Scrolling the review grid at 100 px a frame, that
 * was 11-12 ms of script in every 16.7 ms frame on this 2-core machine, before style, layout and paint;
 * ag-grid's own renderer creates the same rows in about 7 ms (traced, 200 frames each way), and frames
 * that missed the display's refresh went from 12-27 % to 8-13 % in alternating runs.
 *
 * The grid is created once, on mount, from the options given; options that change between renders are
 * passed on with `updateGridOptions` (what `AgGridReact` does with changed props), and the grid is
 * destroyed on unmount. Cell renderers and editors here are ag-grid component classes
 * (`ICellRendererComp`, `ICellEditorComp`), not React components: one that needs React mounts its
 * own root (see OverrideEditor's `OverrideCellEditorComp`). Screens with small grids keep `AgGridReact`.
 */
import { useEffect, useRef } from 'react';
import { createGrid, type GridApi, type GridOptions } from 'ag-grid-community';

export function DomGrid<T>(options: GridOptions<T>) {
  const host = useRef<HTMLDivElement>(null);
  const api = useRef<GridApi<T> | null>(null);
  const applied = useRef<GridOptions<T>>(options);

  useEffect(() => {
    applied.current = options;
    api.current = createGrid(host.current!, { ...options });
    return () => {
      api.current?.destroy();
      api.current = null;
    };
    // created once: later changes of the options go through updateGridOptions below
  }, []);

  useEffect(() => {
    const grid = api.current;
    const before = applied.current;
    if (!grid || grid.isDestroyed() || before === options) return;
    applied.current = options;
    const changed = changedOptions(before, options);
    if (changed) grid.updateGridOptions(changed);
  });

  return <div ref={host} className="dom-grid" />;
}

/** The options whose value differs between two sets (a key no longer given is unset). */
export function changedOptions<T>(before: GridOptions<T>, after: GridOptions<T>): GridOptions<T> | null {
  const changed: Record<string, unknown> = {};
  let any = false;
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof GridOptions<T>>) {
    if (before[key] !== after[key]) { changed[key] = after[key]; any = true; }
  }
  return any ? (changed as GridOptions<T>) : null;
}
