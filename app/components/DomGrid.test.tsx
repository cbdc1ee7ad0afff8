// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { cleanup, render } from '@testing-library/react';
import type { GridApi } from 'ag-grid-community';
import './gridTheme'; // registers the grid modules, as every screen with a grid does
import { DomGrid, changedOptions } from './DomGrid';

afterEach(cleanup);

interface Row { id: number; market: string }
const columnDefs = [{ field: 'id' as const }, { field: 'market' as const }];

describe('DomGrid', () => {
  it('creates the grid once, passes changed options on, and destroys it on unmount', async () => {
    let api: GridApi<Row> | null = null;
    const onGridReady = vi.fn((e: { api: GridApi<Row> }) => { api = e.api; });
    const first: Row[] = [{ id: 1, market: 'FRA-JFK' }];
    const { rerender, unmount, container } = render(<DomGrid<Row> rowData={first} columnDefs={columnDefs} onGridReady={onGridReady} />);
    await vi.waitFor(() => expect(api).not.toBeNull());
    const grid = api!;
    expect(container.querySelector('.dom-grid .ag-root-wrapper')).not.toBeNull();
    expect(grid.getDisplayedRowCount()).toBe(1);

    const second: Row[] = [{ id: 2, market: 'AMS-FRA' }, { id: 3, market: 'FRA-LHR' }];
    await act(async () => rerender(<DomGrid<Row> rowData={second} columnDefs={columnDefs} onGridReady={onGridReady} />));
    expect(grid.getDisplayedRowCount()).toBe(2);
    expect(grid.getDisplayedRowAtIndex(1)?.data?.market).toBe('FRA-LHR');
    expect(onGridReady).toHaveBeenCalledTimes(1); // the same grid, not a new one

    unmount();
    expect(grid.isDestroyed()).toBe(true);
  });

  it('finds the options that changed, and unsets those no longer given', () => {
    const onCellKeyDown = () => undefined;
    expect(changedOptions({ rowHeight: 30, onCellKeyDown }, { rowHeight: 30, onCellKeyDown })).toBeNull();
    expect(changedOptions({ rowHeight: 30, animateRows: false }, { rowHeight: 32 })).toEqual({ rowHeight: 32, animateRows: undefined });
  });
});
