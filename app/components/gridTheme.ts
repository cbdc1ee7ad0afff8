import { themeQuartz, colorSchemeDark, colorSchemeLight } from 'ag-grid-community';
import type { Theme } from '../state/ui';

const light = themeQuartz.withPart(colorSchemeLight).withParams({ fontSize: 13, rowHeight: 30, headerHeight: 34 });
const dark = themeQuartz.withPart(colorSchemeDark).withParams({ fontSize: 13, rowHeight: 30, headerHeight: 34 });

export function gridTheme(theme: Theme) {
  return theme === 'dark' ? dark : light;
}

/** The page's CSP nonce (served per response by the host), for the style tags ag-grid injects. */
export function cspNonce(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
}
