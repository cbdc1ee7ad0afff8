import { describe, expect, it } from 'vitest';
import type { AlertRow, CycleRunRow, FeedStatus, ReviewSummaryRow } from '../../engine/api/contract';
import { attentionOf, waitingByMarket } from './today';

const feed = (feed: FeedStatus['feed'], state: FeedStatus['state'], reason = '', running = false) => ({ feed, label: `${feed} feed`, state, reason, running }) as FeedStatus;
const run = (o: Partial<CycleRunRow>) => ({ id: 7, status: 'ok', startedAt: '2026-11-27T05:00:00.000Z', error: null, ...o }) as CycleRunRow;
const NOW = '2026-11-28T04:00:00.000Z';

describe('what needs attention today', () => {
  it('names each feed not OK (not while it syncs), a failed or old cycle, and failed pushes, with where to act', () => {
    const a = attentionOf({
      now: NOW, feeds: [feed('pss', 'ok'), feed('pros', 'down', 'breaker open after 3 failures.'), feed('competitor', 'never', 'no run yet'), feed('schedule', 'degraded', 'retrying', true)],
      lastRun: run({ status: 'failed', error: 'the PSS answered 503' }), failedPushes: 3,
    });
    expect(a).toEqual([
      { text: 'pros feed is down: breaker open after 3 failures.', screen: 'feeds', action: 'feeds' },
      { text: 'competitor feed is not synced yet: no run yet.', screen: 'feeds', action: 'feeds' },
      { text: 'The last cycle (run 7, 2026-11-27 05:00 UTC) failed: the PSS answered 503.', screen: 'runs', action: 'run history' },
      { text: '3 decision(s) failed at the PSS and are not in force.', screen: 'approvals', action: 're-queue' },
    ]);
  });

  it('says when no cycle ran yet or none for more than a day, and nothing when all is well or not loaded', () => {
    expect(attentionOf({ now: NOW, feeds: null, lastRun: null, failedPushes: null }).map((x) => x.text)).toEqual(['No pricing cycle has run yet.']);
    expect(attentionOf({ now: NOW, feeds: null, lastRun: run({ startedAt: '2026-11-27T01:00:00.000Z' }), failedPushes: 0 }).map((x) => x.text))
      .toEqual(['No cycle has run for 27 hours: the proposals are priced on older data.']);
    expect(attentionOf({ now: NOW, feeds: null, lastRun: run({ startedAt: '2026-11-24T01:00:00.000Z' }), failedPushes: 0 })[0]!.text).toContain('for 4 days');
    expect(attentionOf({ now: NOW, feeds: [feed('pss', 'ok')], lastRun: run({}), failedPushes: 0 })).toEqual([]);
    expect(attentionOf({ now: NOW, feeds: null, lastRun: undefined, failedPushes: null })).toEqual([]);
    expect(attentionOf({ now: NOW, feeds: null, lastRun: run({ status: 'running', startedAt: '2026-11-20T01:00:00.000Z' }), failedPushes: null })).toEqual([]);
  });
});

describe('the markets waiting for a decision', () => {
  const row = (key: string, decisions: number, outsideGuardrails = 0, o: Partial<ReviewSummaryRow> = {}) =>
    ({ key, origin: key.slice(0, 3), destination: key.slice(4), decisions, outsideGuardrails, flights: 10, firstDate: '2026-12-01', lastDate: '2026-12-31', minChangePct: -5, maxChangePct: 8, ...o }) as ReviewSummaryRow;
  const alert = (origin: string | null, destination: string | null, status: AlertRow['status'] = 'open') => ({ origin, destination, status }) as AlertRow;
  it('puts fares and inventory controls of a market side by side, most first, with its open alerts and the totals', () => {
    const w = waitingByMarket(
      [row('AMS-FRA', 40, 2), row('FRA-LHR', 120), row('BCN-FRA', 40, 1), row('FRA-JFK', 0)],
      [row('FRA-LHR', 90, 1, { flights: 12, lastDate: '2027-01-10', minChangePct: -100, maxChangePct: 9000 }), row('CDG-FRA', 300, 0, { firstDate: '2026-11-28' })],
      [alert('FRA', 'LHR'), alert('FRA', 'LHR'), alert('AMS', 'FRA', 'acknowledged'), alert(null, null)]);
    expect(w.rows.map((r) => [r.key, r.decisions, r.controls, r.openAlerts])).toEqual([
      ['CDG-FRA', 0, 300, 0], ['FRA-LHR', 120, 90, 2], ['AMS-FRA', 40, 0, 0], ['BCN-FRA', 40, 0, 0],
    ]);
    // a market's fare moves stay the fares' (the controls' moves are in seats); its dates and flights cover both
    expect(w.rows[1]).toMatchObject({ minChangePct: -5, maxChangePct: 8, outsideGuardrails: 1, flights: 12, firstDate: '2026-12-01', lastDate: '2027-01-10' });
    expect(w.rows[0]).toMatchObject({ minChangePct: null, maxChangePct: null });
    expect(w).toMatchObject({ total: 590, outside: 4 });
  });
});
