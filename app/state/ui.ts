/** UI state (not server state): current screen, theme, per-screen choices; remembered across launches. */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { FeedName } from '../../engine/domain/types';

export type ScreenId = 'feeds' | 'fares';
export type Theme = 'light' | 'dark';

export interface FeedProgress { feed: FeedName; runId: number; phase: string; recordsIn: number; recordsWritten: number; recordsQuarantined: number; total: number | null }

interface UiState {
  screen: ScreenId;
  theme: Theme;
  faresFilter: { origin?: string; destination?: string; dateFrom?: string; dateTo?: string };
  progress: Partial<Record<FeedName, FeedProgress>>;
  setScreen(s: ScreenId): void;
  setTheme(t: Theme): void;
  setFaresFilter(f: UiState['faresFilter']): void;
  setProgress(p: FeedProgress | { feed: FeedName; clear: true }): void;
}

export const useUi = create<UiState>()(persist((set) => ({
  screen: 'feeds',
  theme: 'light',
  faresFilter: {},
  progress: {},
  setScreen: (screen) => set({ screen }),
  setTheme: (theme) => set({ theme }),
  setFaresFilter: (faresFilter) => set({ faresFilter }),
  setProgress: (p) => set((s) => {
    const next = { ...s.progress };
    if ('clear' in p) delete next[p.feed]; else next[p.feed] = p;
    return { progress: next };
  }),
}), {
  name: 'dfae-ui',
  partialize: (s) => ({ screen: s.screen, theme: s.theme, faresFilter: s.faresFilter }),
}));
