/**
 * The staged demand of the choice link, with the worker's side played in this thread between days (the real
 * thread is tested in connectors/sandbox/choice-worker.test.ts): whatever part of a date the worker drew
 * (nothing, one chunk, two, all of it, or a date too large for the staging buffer), the main thread takes
 * it and draws the rest, and the market is byte for byte the one drawn by the main thread alone; a worker
 * that stalls in a job costs the main thread its patience once, and gets no more jobs.
 */
import { describe, expect, it } from 'vitest';
import { CTL_DEM_STATE, DEM_BUSY, DEM_OPEN, DemandStaging, stageDemand } from './choice-link';
import { MarketSimulator } from './simulator';
import { smallSandbox } from './testing';

/** The requests waiting in every bucket, the booking log and the leg blocks. */
function fingerprint(sim: MarketSimulator): string {
  const parts: string[] = [];
  for (let b = 0; b < sim.arrivals.size; b++) parts.push(Buffer.from(sim.arrivals.rec[b]!.buffer, 0, sim.arrivals.n[b]! * 16).toString('base64'));
  const lg = sim.log;
  for (const c of [lg.market, lg.leg0, lg.cls, lg.amountMinor, lg.bookedMs]) parts.push(Buffer.from(c.buffer, 0, c.BYTES_PER_ELEMENT * lg.n).toString('base64'));
  parts.push(Buffer.from(lg.events.flat(lg.nEvents).buffer).toString('base64'));
  parts.push(Buffer.from(sim.legs.buf, 0, sim.legs.nLegs * sim.legs.B).toString('base64'));
  return parts.join('|');
}

/**
 * Plays `chunks.length` days, the worker drawing chunks[d] chunks of the next date between days (-1: all of it;
 * 'stall': it takes the job and never finishes it).
 */
function playStaged(chunks: (number | 'stall')[], stagingRequests?: number): { sim: MarketSimulator; staged: number; open: boolean } {
  const sim = smallSandbox(5).sim;
  const link = sim.shareWithChoiceWorker(stagingRequests);
  const replica = new MarketSimulator(sim.spec, sim.replicaOptions());
  replica.adoptShared(link.buffers());
  const staging = new DemandStaging(link.demand);
  sim.advanceDays(1);
  let open = false;
  for (const n of chunks) {
    if (n === 'stall') Atomics.compareExchange(link.ctl, CTL_DEM_STATE, DEM_OPEN, DEM_BUSY);
    else if (n < 0) stageDemand(link, replica, staging, true);
    else for (let i = 0; i < n; i++) stageDemand(link, replica, staging, false);
    sim.advanceDays(1);
    open = Atomics.load(link.ctl, CTL_DEM_STATE) === DEM_OPEN;
  }
  const staged = link.stats.demandStaged;
  sim.dropChoiceWorker();
  return { sim, staged, open };
}

describe('choice link: the staged demand of the date opening for sale', () => {
  const days = [0, 1, -1, 2, -1];
  const alone = smallSandbox(5).sim;
  alone.advanceDays(days.length + 1);

  it('taken whole, in part or not at all, gives the market drawn without it', () => {
    const markets = alone.net.markets.n;
    expect(markets).toBeGreaterThan(128); // so that one and two chunks are parts of a date
    const { sim, staged } = playStaged(days);
    expect(staged).toBe(64 + markets + 128 + markets);
    expect(sim.log.n).toBe(alone.log.n);
    expect(fingerprint(sim)).toBe(fingerprint(alone));
  }, 60_000);

  it('a worker that stalls in a job: the main thread draws the date itself (after its patience) and opens no more jobs', () => {
    const { sim, staged, open } = playStaged([0, -1, 'stall', -1, 1]);
    expect(staged).toBe(alone.net.markets.n);
    expect(open).toBe(false);
    expect(fingerprint(sim)).toBe(fingerprint(alone));
  }, 60_000);

  it('a date that does not fit the staging buffer is drawn by the main thread', () => {
    const { sim, staged } = playStaged(days, 16);
    expect(staged).toBe(0);
    expect(fingerprint(sim)).toBe(fingerprint(alone));
  }, 60_000);
});
