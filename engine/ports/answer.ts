/**
 * The answer of a real-time port query: the data plus where they came from. Engines must treat
 * anything but `source: 'live'` as flagged data (shown with its age, never silently as current).
 */
import type { FallbackSource } from './feed-sync';

export interface PortAnswer<T> {
  data: T;
  /** 'live': fetched now; otherwise the fallback that answered */
  source: 'live' | FallbackSource;
  /** true when the data are not from this request */
  stale: boolean;
  /** the instant the data were current (UTC ISO-8601) */
  asOf: string;
  /** age at answer time, 0 for live data */
  ageMs: number;
  /** why a fallback answered (redacted), null for live data */
  reason: string | null;
}
