import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFixture, fareRec, FIRST_DAY, type Fixture } from '../workflow/__tests__/fixtures';
import { AlertService } from './alerts';
import type { AlertRow } from '../api/contract/monitoring';
import type { FeedStatus } from '../api/contract/feeds';

let fx: Fixture;
let alerts: AlertService;
let emitted: [string, AlertRow][];
beforeEach(() => {
  fx = makeFixture({ days: 5, workflow: { onProposed: (rows) => alerts.proposed(rows) } });
  emitted = [];
  alerts = new AlertService(fx.store.db, fx.clock, fx.wf.audit, (n, r) => emitted.push([n, r]));
});
afterEach(() => fx.close());

const feed = (state: FeedStatus['state'], ageS: number | null): FeedStatus => ({
  feed: 'competitor', label: 'Competitor prices', state, reason: state === 'down' ? 'breaker open after 5 failures' : 'ok', breaker: state === 'down' ? 'open' : 'closed',
  endpoint: 'http://127.0.0.1:1/v1', lastRun: null, lastSuccessAt: ageS === null ? null : '2026-11-25T05:00:00Z', lastSuccessAgeSeconds: ageS, fallbackAgeSeconds: null, running: false,
});

describe('alerts', () => {
  it('raises feed down and stale alerts once per cause, counts repeats, and resolves them when the feed is back', () => {
    expect(alerts.checkFeed(feed('down', 4 * 3600))).toEqual({ raised: 1, resolved: 0 });
    alerts.checkFeed(feed('down', 4 * 3600));
    let open = alerts.list({ status: 'open', limit: 10, offset: 0 });
    expect(open.rows).toEqual([expect.objectContaining({ kind: 'feed_down', severity: 'critical', occurrences: 2, subject: 'competitor', message: 'Competitor prices is down: breaker open after 5 failures' })]);
    expect(alerts.checkFeed(feed('degraded', 4 * 3600))).toEqual({ raised: 1, resolved: 1 });
    open = alerts.list({ status: 'open', limit: 10, offset: 0 });
    expect(open.rows.map((r) => r.kind)).toEqual(['feed_stale']);
    alerts.checkFeed(feed('ok', 60));
    expect(alerts.list({ status: 'active', limit: 10, offset: 0 }).total).toBe(0);
    expect(emitted.map(([n, r]) => `${n}:${r.kind}:${r.status}`)).toEqual([
      'alert.raised:feed_down:open', 'alert.updated:feed_down:open', 'alert.updated:feed_down:resolved', 'alert.raised:feed_stale:open', 'alert.updated:feed_stale:resolved',
    ]);
  });

  it('flags a competitor undercut beyond the threshold on a market, and clears it', () => {
    const ins = fx.store.db.prepare(`INSERT INTO competitor_fares (carrier, origin, destination, departure_date, cabin, amount_minor, currency, observed_at) VALUES ('XX', 'FRA', 'JFK', ?, 'Y', ?, 'EUR', ?)`);
    // our lowest open Y fare is Q at 400.00; XX at 340.00 is 15 % below, beyond 10 %
    ins.run(FIRST_DAY, 34_000, '2026-11-24T00:00:00Z');
    ins.run('2026-12-02', 39_000, '2026-11-24T00:00:00Z');
    expect(alerts.checkCompetitors()).toEqual({ raised: 1, resolved: 0 });
    const a = alerts.list({ status: 'open', limit: 10, offset: 0 }).rows[0]!;
    expect(a).toMatchObject({ kind: 'competitor_undercut', origin: 'FRA', destination: 'JFK', detail: { departures: [{ flightId: 'DF400/2026-12-01/FRA', own: 40_000, competitor: 34_000, carrier: 'XX', pct: 15 }] } });
    // a newer observation of the same carrier is what counts
    ins.run(FIRST_DAY, 39_500, '2026-11-25T00:00:00Z');
    expect(alerts.checkCompetitors()).toEqual({ raised: 0, resolved: 1 });
  });

  it('raises a large-move alert when a cycle proposes a move beyond the threshold', () => {
    alerts.setThresholds('ada', { largeMovePct: 15 });
    fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 48_000, { guardrails: null }), fareRec(400, FIRST_DAY, 'M', 56_000)]);
    const open = alerts.list({ status: 'open', limit: 10, offset: 0 }).rows;
    expect(open).toEqual([expect.objectContaining({ kind: 'large_move', origin: 'FRA', destination: 'JFK', message: expect.stringMatching(/by \+20\.0 % \(threshold ±15 %\)/) })]);
    fx.wf.decisions.ingest('c2', [fareRec(400, FIRST_DAY, 'Q', 41_000)]);
    expect(alerts.list({ status: 'active', limit: 10, offset: 0 }).total).toBe(0);
    expect(fx.wf.audit.search({ entity: 'rule', limit: 1 })[0]!.reason).toBe('alert thresholds: largeMovePct 25 → 15');
  });

  it('records who acknowledged an alert, in the audit trail', () => {
    const a = alerts.raise({ kind: 'push_failed', severity: 'critical', dedupeKey: 'push_failed:batch:1', message: 'batch 1 failed' });
    expect(alerts.acknowledge('rita', [a.id, 999], 'PSS maintenance window')).toBe(1);
    expect(alerts.get(a.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'rita', acknowledgedAt: '2026-11-25T08:00:00.000Z' });
    expect(alerts.acknowledge('rita', [a.id], null)).toBe(0);
    expect(fx.wf.audit.history('alert', a.id)).toEqual([expect.objectContaining({ actor: 'rita', from: 'open', to: 'acknowledged', reason: 'acknowledged: PSS maintenance window' })]);
    expect(alerts.list({ status: 'open', limit: 10, offset: 0 }).open).toBe(0);
  });
});
