import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeFixture, fareRec, FIRST_DAY, type Fixture } from '../workflow/__tests__/fixtures';
import os from 'node:os';
import { AlertService } from './alerts';
import { diskSpaceOf } from './disk';
import type { AlertRow } from '../api/contract/monitoring';
import type { FeedStatus } from '../api/contract/feeds';

let fx: Fixture;
let alerts: AlertService;
let emitted: [string, AlertRow][];
beforeEach(() => {
  fx = makeFixture({ days: 5, workflow: { onProposed: (rows) => alerts.proposed(rows), onChanged: (_ids, to) => { if (to !== 'proposed') alerts.decided(); } } });
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

  it('warns when the data folder\'s disk runs short of space, critical under a fifth of the threshold, and resolves when space is back', () => {
    const space = (freeGb: number) => ({ path: '/data/dfae', freeBytes: freeGb * 1e9, totalBytes: 500e9 });
    expect(alerts.checkDisk(space(120))).toEqual({ raised: 0, resolved: 0 });
    expect(alerts.checkDisk(space(7.46))).toEqual({ raised: 1, resolved: 0 }); // under the default 10 GB
    let open = alerts.list({ status: 'open', limit: 10, offset: 0 }).rows;
    expect(open).toEqual([expect.objectContaining({ kind: 'disk_low', severity: 'warning', subject: '/data/dfae', detail: { path: '/data/dfae', freeBytes: 7.46e9, totalBytes: 500e9, thresholdGb: 10 } })]);
    expect(open[0]!.message).toMatch(/^The disk of the data folder \/data\/dfae has 7\.5 GB free of 500 GB \(threshold 10 GB\)\. .*free space or move the data folder$/);
    alerts.checkDisk(space(1.5)); // under 2 GB: the same alert, now critical
    open = alerts.list({ status: 'open', limit: 10, offset: 0 }).rows;
    expect(open).toEqual([expect.objectContaining({ kind: 'disk_low', severity: 'critical', occurrences: 2 })]);
    expect(alerts.checkDisk(space(40))).toEqual({ raised: 0, resolved: 1 });
    expect(alerts.list({ status: 'active', limit: 10, offset: 0 }).total).toBe(0);
    // the threshold is a setting
    alerts.setThresholds('ada', { diskFreeMinGb: 50 });
    expect(alerts.checkDisk(space(40))).toEqual({ raised: 1, resolved: 0 });
  });

  it('measures the free space of a real folder', () => {
    const s = diskSpaceOf(os.tmpdir());
    expect(s.path).toBe(os.tmpdir());
    expect(s.totalBytes).toBeGreaterThan(0);
    expect(s.freeBytes).toBeGreaterThanOrEqual(0);
    expect(s.freeBytes).toBeLessThanOrEqual(s.totalBytes);
  });

  it('flags a competitor undercut beyond the threshold on a market, and clears it', () => {
    const ins = fx.store.db.prepare(`INSERT INTO competitor_fares (carrier, origin, destination, departure_date, cabin, amount_minor, currency, observed_at) VALUES ('XX', 'FRA', 'JFK', ?, 'Y', ?, 'EUR', ?)`);
    // our lowest open Y fare is Q at 400.00; XX at 340.00 is 15 % below, beyond 10 %
    ins.run(FIRST_DAY, 34_000, '2026-11-24T00:00:00Z');
    ins.run('2026-12-02', 39_000, '2026-11-24T00:00:00Z');
    expect(alerts.checkCompetitors()).toEqual({ raised: 1, resolved: 0 });
    const a = alerts.list({ status: 'open', limit: 10, offset: 0 }).rows[0]!;
    expect(a).toMatchObject({ kind: 'competitor_undercut', origin: 'FRA', destination: 'JFK', detail: { departures: [{ flightId: 'DF400/2026-12-01/FRA', own: 40_000, competitor: 34_000, currency: 'EUR', carrier: 'XX', pct: 15 }] } });
    // money in the fare's currency, not minor units
    expect(a.message).toBe('XX undercuts us on FRA-JFK on 1 departure(s) by more than 10 %; worst DF400/2026-12-01/FRA: 340.00 EUR against our 400.00 EUR (15.0 % below)');
    // a newer observation of the same carrier is what counts
    ins.run(FIRST_DAY, 39_500, '2026-11-25T00:00:00Z');
    expect(alerts.checkCompetitors()).toEqual({ raised: 0, resolved: 1 });
  });

  it('raises one large-move alert per market for pending fare moves beyond the threshold, and resolves it when none is left', () => {
    alerts.setThresholds('ada', { largeMovePct: 15 });
    // Q +20 % and B −20 % are large, M +1.8 % is not; closing Q by authorisation (−100 %) is no fare move
    const closeQ = { kind: 'authorisation' as const, control: { flightId: `DF400/${FIRST_DAY}/FRA`, rbd: 'Q', cabin: 'Y', authorised: 0, status: 'closed' as const, bidPriceMinor: null, currency: null } };
    fx.wf.decisions.ingest('c1', [fareRec(400, FIRST_DAY, 'Q', 48_000, { guardrails: null }), fareRec(400, FIRST_DAY, 'B', 56_000, { guardrails: null }), fareRec(400, FIRST_DAY, 'M', 56_000), closeQ]);
    let open = alerts.list({ status: 'open', limit: 10, offset: 0 }).rows;
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ kind: 'large_move', origin: 'FRA', destination: 'JFK', subject: 'FRA-JFK', detail: { count: 2, up: 1, down: 1, largest: { changePct: 20 } } });
    expect(open[0]!.message).toMatch(/^2 pending fare proposal\(s\) for FRA-JFK move beyond ±15 % \(1 up, 1 down\); the largest, decision \d+ \(DF400\/2026-12-01\/FRA [QB]\), by [+-]20\.0 %$/);
    // a new, smaller Q supersedes the large one: B is left
    fx.wf.decisions.ingest('c2', [fareRec(400, FIRST_DAY, 'Q', 41_000)]);
    open = alerts.list({ status: 'open', limit: 10, offset: 0 }).rows;
    expect(open.map((a) => a.detail)).toEqual([expect.objectContaining({ count: 1, up: 0, down: 1 })]);
    // approving B leaves no large move pending
    const b = fx.store.db.prepare("SELECT id FROM decisions WHERE rbd = 'B' AND kind = 'fare' AND state = 'proposed'").pluck().get() as number;
    fx.wf.decisions.approve('rita', { ids: [b] }, null);
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
