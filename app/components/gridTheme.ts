import {
  themeQuartz, colorSchemeDark, colorSchemeLight, ModuleRegistry,
  ClientSideRowModelModule, InfiniteRowModelModule, RowSelectionModule, CellStyleModule, RowStyleModule, TooltipModule,
  CustomEditorModule, TextFilterModule, NumberFilterModule, DateFilterModule, ColumnApiModule, RowApiModule, RenderApiModule,
  ScrollApiModule, EventApiModule, CellApiModule, DragAndDropModule, ValidationModule,
} from 'ag-grid-community';
import type { Theme } from '../state/ui';

// every screen with a grid imports this module: ag-grid loads (and registers) with the first of them
ModuleRegistry.registerModules([
  ClientSideRowModelModule, InfiniteRowModelModule, RowSelectionModule, CellStyleModule, RowStyleModule, TooltipModule,
  CustomEditorModule, TextFilterModule, NumberFilterModule, DateFilterModule, ColumnApiModule, RowApiModule, RenderApiModule,
  ScrollApiModule, EventApiModule, CellApiModule, DragAndDropModule, ValidationModule,
]);

const light = themeQuartz.withPart(colorSchemeLight).withParams({ fontSize: 13, rowHeight: 30, headerHeight: 34 });
const dark = themeQuartz.withPart(colorSchemeDark).withParams({ fontSize: 13, rowHeight: 30, headerHeight: 34 });

export function gridTheme(theme: Theme) {
  return theme === 'dark' ? dark : light;
}

/** The page's CSP nonce (served per response by the host), for the style tags ag-grid injects. */
export function cspNonce(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
}
