/** Monitoring, composed: alerts, KPIs, override impact and the elasticity feedback over one store. */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../domain/time';
import type { AuditLog } from '../workflow/audit';
import { AlertService, type AlertEmitter } from './alerts';
import { ElasticityFeedback, type ElasticityOptions } from './elasticity';
import { computeKpis, type KpiQuery } from './kpis';
import { overrideImpact } from './overrideImpact';

export interface Monitoring {
  alerts: AlertService;
  elasticity: ElasticityFeedback;
  kpis(q: Omit<KpiQuery, 'now'>): ReturnType<typeof computeKpis>;
  overrideImpact(q: Parameters<typeof overrideImpact>[3]): ReturnType<typeof overrideImpact>;
}

export function createMonitoring(o: { db: Database; clock: Clock; audit: AuditLog; emit?: AlertEmitter; elasticity?: ElasticityOptions }): Monitoring {
  const alerts = new AlertService(o.db, o.clock, o.audit, o.emit);
  const elasticity = new ElasticityFeedback(o.db, o.clock, o.elasticity);
  return {
    alerts,
    elasticity,
    kpis: (q) => computeKpis(o.db, { ...q, now: o.clock.now().toISOString() }),
    overrideImpact: (q) => overrideImpact(o.db, o.clock, elasticity, q),
  };
}

export { DEFAULT_THRESHOLDS } from './alerts';
export type { ElasticitySignal } from './elasticity';
