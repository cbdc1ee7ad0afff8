/**
 * The short ingestion fuzz and load test (`npm run soak -- --only fuzz,load` with small sizes): the four
 * ingestion paths with hostile input into a real store (every record written or quarantined with its
 * field, the valid ones of each batch landed, no crash), and a sandbox feeding 20,000 generated bookings
 * and 1,000 fare changes (none lost, the push queue drained, memory and the event loop measured). The
 * full campaigns (300 cases per path and method, 1,000,000 bookings, 100,000 fare changes) are `npm run soak`.
 */
import { describe, expect, it } from 'vitest';
import { runSoakJson } from './soakRun';

describe('ingestion fuzz and load (short)', () => {
  it('quarantines hostile records with their field, lands the valid ones, streams the bookings and drains the push queue', async () => {
    const r = await runSoakJson(['--only', 'fuzz,load', '--fuzz-runs', '8', '--bookings', '20000', '--fare-changes', '1000', '--seed', '7'], 200_000);
    const f = r.fuzz!;
    expect(f.ingest.failures).toEqual([]);
    expect(f.ingest.crashes).toBe(0);
    for (const [p, x] of Object.entries(f.ingest.paths)) {
      expect(x.cases, p).toBe(8);
      expect(x.written + x.quarantined, p).toBe(x.received);
      expect(x.quarantined, `${p}: hostile records were generated and quarantined`).toBeGreaterThan(0);
      expect(x.validLanded, p).toBeGreaterThan(0);
    }
    expect(f.api.failures).toEqual([]);
    const l = r.load!;
    expect(l.problems).toEqual([]);
    expect(l.sync.generatedStored).toBe(20_000);
    expect(l.lost).toBe(0);
    expect(l.push.queued).toBe(1_000);
    expect(l.push.accepted + l.push.rejected).toBe(1_000);
    expect(l.undrained).toBe(0);
    expect(l.sync.rssPeakMb).toBeGreaterThan(0);
    expect(r.ok).toBe(true);
  }, 240_000);
});
