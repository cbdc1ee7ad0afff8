import type { Handlers } from '../dispatch';
import { monitoringContract } from '../contract/monitoring';
import type { Monitoring } from '../../monitoring/index';
import type { FeedStatus } from '../contract/feeds';
import type { DiskSpace } from '../../monitoring/disk';

export function monitoringHandlers(deps: { monitoring: Monitoring; feedStatus: () => FeedStatus[]; diskSpace: () => DiskSpace }): Handlers<typeof monitoringContract> {
  const { monitoring: m } = deps;
  return {
    'monitoring.kpis': (input) => ({ rows: m.kpis(input) }),
    'monitoring.alerts': (input) => m.alerts.list(input),
    'monitoring.acknowledgeAlerts': (input, ctx) => ({ acknowledged: m.alerts.acknowledge(ctx.caller.user, input.ids, input.note ?? null) }),
    'monitoring.checkAlerts'() {
      const all = [...deps.feedStatus().map((s) => m.alerts.checkFeed(s)), m.alerts.checkCompetitors(), m.alerts.checkForecastError(), m.alerts.checkDisk(deps.diskSpace())];
      return { raised: all.reduce((a, r) => a + r.raised, 0), resolved: all.reduce((a, r) => a + r.resolved, 0) };
    },
    'monitoring.thresholds': () => m.alerts.thresholds(),
    'monitoring.setThresholds': (input, ctx) => m.alerts.setThresholds(ctx.caller.user, input),
    'monitoring.overrideImpact': (input) => m.overrideImpact(input),
    'monitoring.elasticities': (input) => m.elasticity.list(input),
    'monitoring.reestimateElasticities': (input) => m.elasticity.reestimate(input),
  };
}
