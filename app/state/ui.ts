/**
 * UI state (not server state): the current screen, theme, filters, column layout and saved views of
 * the review grid, analyst picks, the detail target; remembered across launches (localStorage).
 * Progress of running feed syncs and pushes lives here too, but is not remembered.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { FeedName } from '../../engine/domain/types';
import type { CycleProgressEvent, DecisionState, DecisionKind, PushProgressEvent } from '../../engine/api/contract';

import { SCREEN_IDS, type ScreenId } from '../../engine/api/contract/screens';

export { SCREEN_IDS, type ScreenId };
export type Theme = 'light' | 'dark';

export interface FeedProgress { feed: FeedName; runId: number; phase: string; recordsIn: number; recordsWritten: number; recordsQuarantined: number; total: number | null }

/** The review filter as the filter bar holds it (mapped to the API's decision filter). */
export interface ReviewFilter {
  origin?: string;
  destination?: string;
  flightId?: string;
  dateFrom?: string;
  dateTo?: string;
  cabin?: string;
  states: DecisionState[];
  kinds: DecisionKind[];
  minAbsChangePct?: number;
  outsideGuardrails?: boolean;
}

export const DEFAULT_REVIEW_FILTER: ReviewFilter = { states: ['proposed'], kinds: ['fare'] };

/** ag-grid column state (id, visibility, width, order, sort), kept as plain data. */
export interface ColumnLayout { colId: string; hide?: boolean | null; width?: number | null; sort?: 'asc' | 'desc' | null; sortIndex?: number | null; pinned?: 'left' | 'right' | boolean | null }

export interface SavedView {
  name: string;
  filter: ReviewFilter;
  columns: ColumnLayout[];
  mode: 'grid' | 'summary';
  savedAt: string;
}

export interface AnalyticsPicks { origin?: string; destination?: string; cabin: string; dateFrom?: string; dateTo?: string; granularity: 'day' | 'week' | 'month' }

interface UiState {
  screen: ScreenId;
  theme: Theme;
  faresFilter: { origin?: string; destination?: string; dateFrom?: string; dateTo?: string };
  reviewFilter: ReviewFilter;
  reviewMode: 'grid' | 'summary';
  reviewColumns: ColumnLayout[] | null;
  savedViews: SavedView[];
  analytics: AnalyticsPicks;
  detail: { decisionId?: number; flightId?: string };
  /** an archived decision asked for from another screen (n: a new ask each time; not kept across reloads) */
  archiveAsk: { decisionId: number; n: number } | null;
  progress: Partial<Record<FeedName, FeedProgress>>;
  push: PushProgressEvent | null;
  /** the cycle running now (any host's), from its progress events */
  cycle: CycleProgressEvent | null;
  setScreen(s: ScreenId): void;
  setTheme(t: Theme): void;
  setFaresFilter(f: UiState['faresFilter']): void;
  setReviewFilter(f: ReviewFilter): void;
  setReviewMode(m: 'grid' | 'summary'): void;
  setReviewColumns(c: ColumnLayout[] | null): void;
  saveView(v: SavedView): void;
  deleteView(name: string): void;
  setAnalytics(p: Partial<AnalyticsPicks>): void;
  openDetail(d: UiState['detail']): void;
  /** opens the Archive screen on an archived decision */
  openArchive(decisionId: number): void;
  setProgress(p: FeedProgress | { feed: FeedName; clear: true }): void;
  setPush(p: PushProgressEvent | null): void;
  setCycle(p: CycleProgressEvent | null): void;
}

export const useUi = create<UiState>()(persist((set) => ({
  screen: 'today',
  theme: 'light',
  faresFilter: {},
  reviewFilter: DEFAULT_REVIEW_FILTER,
  reviewMode: 'grid',
  reviewColumns: null,
  savedViews: [],
  analytics: { cabin: 'Y', granularity: 'week' },
  detail: {},
  archiveAsk: null,
  progress: {},
  push: null,
  cycle: null,
  setScreen: (screen) => set({ screen }),
  setTheme: (theme) => set({ theme }),
  setFaresFilter: (faresFilter) => set({ faresFilter }),
  setReviewFilter: (reviewFilter) => set({ reviewFilter }),
  setReviewMode: (reviewMode) => set({ reviewMode }),
  setReviewColumns: (reviewColumns) => set({ reviewColumns }),
  saveView: (v) => set((s) => ({ savedViews: [...s.savedViews.filter((x) => x.name !== v.name), v].sort((a, b) => a.name.localeCompare(b.name)) })),
  deleteView: (name) => set((s) => ({ savedViews: s.savedViews.filter((x) => x.name !== name) })),
  setAnalytics: (p) => set((s) => ({ analytics: { ...s.analytics, ...p } })),
  openDetail: (detail) => set({ detail, screen: 'detail' }),
  openArchive: (decisionId) => set((s) => ({ archiveAsk: { decisionId, n: (s.archiveAsk?.n ?? 0) + 1 }, screen: 'archive' })),
  setProgress: (p) => set((s) => {
    const next = { ...s.progress };
    if ('clear' in p) delete next[p.feed]; else next[p.feed] = p;
    return { progress: next };
  }),
  setPush: (push) => set({ push }),
  setCycle: (cycle) => set({ cycle }),
}), {
  name: 'dfae-ui',
  version: 2,
  // earlier versions knew fewer screens and no review state: keep what still applies
  migrate: (persisted) => {
    const p = (persisted ?? {}) as Partial<UiState>;
    return { ...p, screen: p.screen && SCREEN_IDS.includes(p.screen) ? p.screen : 'today' } as UiState;
  },
  partialize: (s) => ({
    screen: s.screen, theme: s.theme, faresFilter: s.faresFilter, reviewFilter: s.reviewFilter, reviewMode: s.reviewMode,
    reviewColumns: s.reviewColumns, savedViews: s.savedViews, analytics: s.analytics, detail: s.detail,
  }),
}));
