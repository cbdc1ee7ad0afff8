/** Retention settings: how long the store keeps what engine/workflow/retention.ts moves to archive files. */
export interface RetentionSettings {
  /** audit rows older than this many days move to an archive file (0: keep all) */
  auditDays: number;
  /** decisions that ended unpushed, or were replaced by a newer push (a fare leaves a price_history row), more than this many days ago move to an archive file (0: keep all) */
  decisionsDays: number;
  /** finished decisions (pushed ones too) for departures more than this many days ago move to an archive file (0: keep all; else at least MIN_DEPARTED_DAYS) */
  departedDays: number;
}

/** the elasticity estimates read the pushed prices of departures up to 180 days back (engine/monitoring/elasticity.ts) */
export const MIN_DEPARTED_DAYS = 180;
export const DEFAULT_RETENTION: RetentionSettings = { auditDays: 30, decisionsDays: 30, departedDays: 400 };
