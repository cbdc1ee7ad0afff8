/** Concrete chart colours per theme (charts exported as PNG carry no stylesheet). */
import type { Theme } from '../state/ui';

export interface Palette {
  background: string; text: string; muted: string; grid: string;
  own: string; band: string; min: string; forecast: string; actual: string; unconstrained: string; lastYear: string;
  positive: string; negative: string; total: string; bar: string; line: string;
  series: readonly string[];
}

const LIGHT: Palette = {
  background: '#ffffff', text: '#1b1f24', muted: '#5f6b7a', grid: '#e3e7ed',
  own: '#1d5fd1', band: '#c7d7f5', min: '#c53030', forecast: '#6b46c1', actual: '#1d5fd1', unconstrained: '#2f855a', lastYear: '#a0aec0',
  positive: '#2f855a', negative: '#c53030', total: '#1d5fd1', bar: '#7aa7ef', line: '#b7791f',
  series: ['#dd6b20', '#319795', '#805ad5', '#d53f8c', '#718096', '#38a169', '#e53e3e', '#3182ce'],
};

const DARK: Palette = {
  background: '#1d2128', text: '#e6e9ee', muted: '#9aa5b4', grid: '#333a45',
  own: '#6ea8ff', band: '#2c3e5c', min: '#fc8181', forecast: '#b794f4', actual: '#6ea8ff', unconstrained: '#68d391', lastYear: '#718096',
  positive: '#68d391', negative: '#fc8181', total: '#6ea8ff', bar: '#4a74b5', line: '#ecc94b',
  series: ['#f6ad55', '#4fd1c5', '#b794f4', '#f687b3', '#a0aec0', '#9ae6b4', '#feb2b2', '#90cdf4'],
};

export function palette(theme: Theme): Palette {
  return theme === 'dark' ? DARK : LIGHT;
}
