/**
 * The choice link: shared memory between a simulator (the main thread, which plays the day) and a choice
 * worker (a second thread, which works ahead of it). The worker holds a replica of the simulator built
 * from the same scenario and options, whose legs and fare values are views of the main simulator's
 * shared buffers. For each request of the day, in playing order, it draws the passenger, makes the choice
 * on the legs as they stand, and lists, cheapest generalised cost first, the options the passenger would
 * pick over that choice if they were open (closed when it looked), then the choice itself; with no choice,
 * every option within the passenger's willingness to pay. It draws what the booking needs (cancellation,
 * no-show, the ancillaries bought with its choice) and writes the answer into the request's slot, tagged with
 * the day's epoch.
 *
 * The main thread books the first listed option open for the party on every leg, its fare at least the legs'
 * bid prices: the one choice a single thread makes at the request's turn (the cheapest such option, ties to
 * the first in the choice's order), whatever was booked, cancelled or controlled since the worker looked and
 * even while it looked (every option cheaper than its choice is listed), as long as one listed option still
 * qualifies (or every option was listed). So the market stays byte for byte what one thread plays. Only what
 * changes the options themselves starts a new epoch, so no answer of before counts: a fare change (the fare
 * store's version) and a what-if replay (which plays over the shared legs). The main thread never waits: a
 * request whose answer is not ready, or whose listed options no longer qualify, is played as without a worker.
 *
 * Between answers, the worker also draws the demand of the date whose sale opens tomorrow (it depends on
 * seeds and the schedule only) into a staging buffer, which the main thread then copies into its buckets
 * instead of drawing it (`openDemand`, `takeDemand`).
 *
 * A day's epoch begins once its agenda is built, before the controllers run: meanwhile (phase 0) the main
 * thread plays nothing and the worker answers up to PHASE0_LEADS leads ahead.
 *
 * This module is pure (SharedArrayBuffer and Atomics only); the thread itself is started by the sandbox
 * (connectors/sandbox/choice-worker.ts).
 */
import type { DemandSink } from './arrivals';

/**
 * ctl cells: the epoch (−1: stop), the UTC day, the number of requests, the main thread's position, the lead,
 * the phase, the generation of the buffers last sent
 */
export const CTL_EPOCH = 0;
export const CTL_DAY = 1;
export const CTL_N = 2;
export const CTL_MAIN = 3;
export const CTL_LEAD = 4;
/** 0 while the main thread's controllers re-optimise the day's legs, 1 once they are done */
export const CTL_PHASE = 5;
export const CTL_GEN = 6;
/**
 * The staged demand: its state (DEM_*), the booking day it is drawn for, the number of requests staged, the
 * number of markets drawn so far (in market order), the number of markets
 */
export const CTL_DEM_STATE = 7;
export const CTL_DEM_DAY = 8;
export const CTL_DEM_N = 9;
export const CTL_DEM_NEXT = 10;
export const CTL_DEM_M = 11;
/**
 * No job; open (the worker may draw more markets, or the main thread take what is drawn); the worker drawing
 * a chunk; every market drawn; the main thread draws it (it took the job, or the date did not fit)
 */
export const DEM_NONE = 0;
export const DEM_OPEN = 1;
export const DEM_BUSY = 2;
export const DEM_DONE = 3;
export const DEM_MAIN = 4;
/** int32 per staged request: booking day, market · 256 + demand entry, ms of day, seed */
export const DEM_STRIDE = 4;
/**
 * Markets the worker draws at a time while it waits at its lead (about 0.1 ms on the sandbox network), so
 * that it is soon back to the answers, and the main thread, if it comes for the demand meanwhile, waits for
 * one chunk at most.
 */
const DEM_CHUNK = 64;
/**
 * How long the main thread waits for a chunk before it draws the date itself and stops staging (only a stalled
 * worker takes longer).
 */
const DEM_PATIENCE_MS = 2000;
/**
 * One answer per request, 128 bytes (two cache lines; the main thread reads the second only past the ninth
 * option), as int32 cells:
 * - the epoch it was made in (its tag);
 * - the number of options ranked · 2, + 1 when they are every option the passenger would take (the worker
 *   found none open), or −1: not answered (the main thread plays it); beyond A_OPTIONS_MAX, only the first
 *   A_OPTIONS_MAX are listed;
 * - the party, point of sale, channel, segment and no-show, packed (`packPassenger`);
 * - the cancellation day (−1: none) and ms of day;
 * - the kind of the worker's choice, cabin · 2 + (two flights), if it is logged (else −1), and the ancillaries
 *   bought with it (a mask: they depend on the kind);
 * - the options, path · 64 + marketing class, in rank order.
 */
export const ANSWER_INTS = 32;
export const A_TAG = 0;
export const A_COUNT = 1;
export const A_PASSENGER = 2;
export const A_CANCEL_DAY = 3;
export const A_CANCEL_MS = 4;
export const A_MASK_KIND = 5;
export const A_MASK = 6;
export const A_OPTIONS = 7;
export const A_OPTIONS_MAX = ANSWER_INTS - A_OPTIONS;

/** Party (1–15), point of sale (< 256), channel (< 16), segment (< 256) and no-show (0/1) in one int32 cell. */
export function packPassenger(party: number, pos: number, channel: number, segment: number, noShow: number): number {
  return party | (pos << 4) | (channel << 12) | (segment << 16) | (noShow << 24);
}
export const passengerParty = (v: number): number => v & 15;
export const passengerPos = (v: number): number => (v >> 4) & 255;
export const passengerChannel = (v: number): number => (v >> 12) & 15;
export const passengerSegment = (v: number): number => (v >> 16) & 255;
export const passengerNoShow = (v: number): number => (v >> 24) & 1;

/**
 * How far (requests) the worker may run ahead of the main thread by default. Further, more of the worker's
 * picks are full before their turn (the answer is then played again); nearer, the worker banks fewer answers
 * while the main thread departs legs and begins days.
 */
export const CHOICE_LEAD = 2048;
/** While the controllers run (phase 0) the main thread plays nothing: the worker may bank this many leads. */
const PHASE0_LEADS = 3;

/** The buffers, as sent to the worker (at start and whenever one is replaced, numbered by generation). */
export interface ChoiceBuffers {
  generation: number;
  legs: SharedArrayBuffer;
  nDays: number;
  quick: SharedArrayBuffer;
  answers: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  req: SharedArrayBuffer;
  demand: SharedArrayBuffer;
}

/** What the main thread counts. */
export interface ChoiceStats {
  /** requests played with the worker's answer */
  taken: number;
  /** requests whose answer was not ready when their turn came (or that the worker could not answer) */
  notReady: number;
  /** answers whose listed options were all taken by their turn, with more options unlisted (played again) */
  stale: number;
  /** markets whose demand for the date opening for sale the worker drew (the main thread drew the others) */
  demandStaged: number;
}

export class ChoiceLink {
  /** the epoch the holder works in (main: the current one; worker: the one it answers for) */
  epoch = 0;
  /** the answers (ANSWER_INTS cells each) */
  answers: Int32Array;
  readonly ctl: Int32Array;
  req: Int32Array;
  /** the staged demand (DEM_STRIDE int32 per request; fixed size: a date that does not fit is drawn by the main thread) */
  readonly demand: Int32Array;
  /** main side: the fare store's version the epoch's answers were made with */
  faresVersion = -1;
  /** main side: answers of the current epoch are void (a what-if replay is running over the shared legs) */
  held = false;
  /** main side: wait for every answer (tests: every request then goes through the checks) */
  strict = false;
  /** main side: no more demand jobs (the worker stalled in one: it must not find the next one in its buffer) */
  private demandOff = false;
  readonly stats: ChoiceStats = { taken: 0, notReady: 0, stale: 0, demandStaged: 0 };
  /** main side: delivers replaced buffers to the worker */
  send: (b: ChoiceBuffers) => void = () => {};
  legsBuffer: SharedArrayBuffer;
  quickBuffer: SharedArrayBuffer;
  nDays: number;
  /** the buffers' generation (main: last sent; worker: adopted) */
  generation: number;

  constructor(b: ChoiceBuffers) {
    this.generation = b.generation;
    this.legsBuffer = b.legs;
    this.quickBuffer = b.quick;
    this.nDays = b.nDays;
    this.answers = new Int32Array(b.answers);
    this.ctl = new Int32Array(b.ctl);
    this.req = new Int32Array(b.req);
    this.demand = new Int32Array(b.demand);
  }

  /** Main side: a link for days of up to `requests` requests (it grows). */
  static allocate(legs: SharedArrayBuffer, nDays: number, quick: SharedArrayBuffer, requests: number, demandRequests: number): ChoiceLink {
    const r = Math.max(1024, requests);
    const link = new ChoiceLink({
      generation: 0, legs, nDays, quick, answers: new SharedArrayBuffer(r * ANSWER_INTS * 4), ctl: new SharedArrayBuffer(64), req: new SharedArrayBuffer(r * 16),
      demand: new SharedArrayBuffer(Math.max(1, demandRequests) * DEM_STRIDE * 4),
    });
    link.ctl[CTL_LEAD] = CHOICE_LEAD;
    return link;
  }

  buffers(): ChoiceBuffers {
    return {
      generation: this.generation, legs: this.legsBuffer, nDays: this.nDays, quick: this.quickBuffer, answers: this.answers.buffer as SharedArrayBuffer,
      ctl: this.ctl.buffer as SharedArrayBuffer, req: this.req.buffer as SharedArrayBuffer, demand: this.demand.buffer as SharedArrayBuffer,
    };
  }

  /** Worker side: takes over replaced buffers. */
  adopt(b: ChoiceBuffers): void {
    this.generation = b.generation;
    this.legsBuffer = b.legs;
    this.quickBuffer = b.quick;
    this.nDays = b.nDays;
    if (b.answers !== this.answers.buffer) this.answers = new Int32Array(b.answers);
    if (b.req !== this.req.buffer) this.req = new Int32Array(b.req);
  }

  /**
   * Main side, at the start of a day's play (or again after a fare change or a what-if): the day's
   * requests in playing order (`stride` int32 each) and the buffers they need. `dayStart`: the controllers
   * are about to run (phase 0, until `controlsDone`).
   */
  begin(day: number, requests: Int32Array, n: number, stride: number, legs: SharedArrayBuffer, nDays: number, quick: SharedArrayBuffer, from: number, dayStart: boolean): void {
    let replaced = legs !== this.legsBuffer || nDays !== this.nDays || quick !== this.quickBuffer;
    this.legsBuffer = legs;
    this.nDays = nDays;
    this.quickBuffer = quick;
    if (n * ANSWER_INTS > this.answers.length) {
      const r = Math.max(n, (this.answers.length / ANSWER_INTS) * 2);
      this.answers = new Int32Array(new SharedArrayBuffer(r * ANSWER_INTS * 4));
      this.req = new Int32Array(new SharedArrayBuffer(r * stride * 4));
      replaced = true;
    }
    if (replaced) {
      // numbered, so that the worker takes them over before it reads anything of this epoch
      this.generation++;
      this.send(this.buffers());
      Atomics.store(this.ctl, CTL_GEN, this.generation);
    }
    this.req.set(requests.subarray(0, n * stride));
    this.epoch++;
    this.held = false;
    const ctl = this.ctl;
    ctl[CTL_DAY] = day;
    ctl[CTL_N] = n;
    ctl[CTL_PHASE] = dayStart ? 0 : 1;
    Atomics.store(ctl, CTL_MAIN, from);
    Atomics.store(ctl, CTL_EPOCH, this.epoch);
    Atomics.notify(ctl, CTL_EPOCH);
  }

  /** Main side: the controllers are done; the main thread plays the day. */
  controlsDone(): void {
    Atomics.store(this.ctl, CTL_PHASE, 1);
    Atomics.notify(this.ctl, CTL_PHASE);
  }

  /** Main side: voids the current epoch's answers and idles the worker (a what-if replay over the shared legs). */
  hold(): void {
    this.held = true;
    this.epoch++;
    this.ctl[CTL_N] = 0;
    Atomics.store(this.ctl, CTL_EPOCH, this.epoch);
    Atomics.notify(this.ctl, CTL_EPOCH);
  }

  /**
   * Main side: the worker may draw the demand of the date whose sale opens on booking day `day` (`markets`
   * markets). There is one job at a time: the next is opened once the previous one is taken.
   */
  openDemand(day: number, markets: number): void {
    if (this.demandOff) return;
    const ctl = this.ctl;
    ctl[CTL_DEM_DAY] = day;
    ctl[CTL_DEM_N] = 0;
    ctl[CTL_DEM_NEXT] = 0;
    ctl[CTL_DEM_M] = markets;
    Atomics.store(ctl, CTL_DEM_STATE, DEM_OPEN);
  }

  /**
   * Main side: copies the demand the worker drew for booking day `day` (journey date `jday`) into `sink`, in
   * the order it was drawn, and returns the number of markets it covers (the first ones); the main thread
   * draws the others. 0 when there is no job for that day, or the date did not fit the staging buffer.
   */
  takeDemand(day: number, jday: number, sink: DemandSink): number {
    const ctl = this.ctl;
    if (ctl[CTL_DEM_DAY] !== day) return 0;
    let s = Atomics.compareExchange(ctl, CTL_DEM_STATE, DEM_OPEN, DEM_MAIN);
    if (s === DEM_BUSY) {
      // a chunk being drawn: wait for it, then take the job
      const until = performance.now() + DEM_PATIENCE_MS;
      do {
        Atomics.wait(ctl, CTL_DEM_STATE, DEM_BUSY, 50);
        s = Atomics.compareExchange(ctl, CTL_DEM_STATE, DEM_OPEN, DEM_MAIN);
      } while (s === DEM_BUSY && performance.now() < until);
      if (s === DEM_BUSY) {
        this.demandOff = true;
        return 0;
      }
    }
    if (s !== DEM_OPEN && s !== DEM_DONE) return 0;
    const n = ctl[CTL_DEM_N]!;
    const rec = this.demand;
    for (let i = 0; i < n; i++) {
      const o = i * DEM_STRIDE;
      const me = rec[o + 1]!;
      sink.push(rec[o]!, me >> 8, me & 255, jday, rec[o + 2]!, rec[o + 3]!);
    }
    const drawn = ctl[CTL_DEM_NEXT]!;
    ctl[CTL_DEM_STATE] = DEM_NONE;
    this.stats.demandStaged += drawn;
    return drawn;
  }

  /** Main side: stops the worker's loop. */
  stop(): void {
    Atomics.store(this.ctl, CTL_EPOCH, -1);
    Atomics.notify(this.ctl, CTL_EPOCH);
  }
}

/** What the worker's replica of the simulator does (MarketSimulator implements it). */
export interface ChoiceReplica {
  adoptShared(b: ChoiceBuffers): void;
  /** Answers request k of the link's requests on day `day` and tags it (count −1 when it could not, e.g. a narrower fare to resolve). */
  answerChoice(link: ChoiceLink, k: number, day: number): void;
  /**
   * Draws the demand of markets [from, to) for the date whose sale opens on booking day `day` into `sink`
   * (MarketSimulator.generateDemand).
   */
  drawOpeningDemand(day: number, from: number, to: number, sink: DemandSink): void;
}

/** The worker's side of the staged demand: the link's staging buffer as a demand sink. */
export class DemandStaging implements DemandSink {
  n = 0;
  overflow = false;
  constructor(private readonly rec: Int32Array) {}
  push(day: number, market: number, entry: number, _jday: number, msOfDay: number, seed: number): void {
    const o = this.n * DEM_STRIDE;
    if (o + DEM_STRIDE > this.rec.length) { this.overflow = true; return; }
    this.rec[o] = day;
    this.rec[o + 1] = market * 256 + entry;
    this.rec[o + 2] = msOfDay;
    this.rec[o + 3] = seed;
    this.n++;
  }
}

/**
 * Worker side: draws the next chunk of the open demand job (`whole`: all of it), if there is one and the main
 * thread has not taken it. A date that does not fit the buffer is left to the main thread.
 */
export function stageDemand(link: ChoiceLink, replica: ChoiceReplica, sink: DemandStaging, whole: boolean): void {
  const ctl = link.ctl;
  if (Atomics.load(ctl, CTL_DEM_STATE) !== DEM_OPEN || Atomics.compareExchange(ctl, CTL_DEM_STATE, DEM_OPEN, DEM_BUSY) !== DEM_OPEN) return;
  const m = ctl[CTL_DEM_M]!;
  let next = ctl[CTL_DEM_NEXT]!;
  sink.n = ctl[CTL_DEM_N]!;
  sink.overflow = false;
  do {
    const to = Math.min(m, next + DEM_CHUNK);
    replica.drawOpeningDemand(ctl[CTL_DEM_DAY]!, next, to, sink);
    next = to;
  } while (whole && next < m && !sink.overflow);
  ctl[CTL_DEM_N] = sink.n;
  ctl[CTL_DEM_NEXT] = next;
  Atomics.compareExchange(ctl, CTL_DEM_STATE, DEM_BUSY, sink.overflow ? DEM_MAIN : next >= m ? DEM_DONE : DEM_OPEN);
  Atomics.notify(ctl, CTL_DEM_STATE);
}

/**
 * The worker's loop: waits for a day, answers its requests in order, at most the lead ahead of the main
 * thread (PHASE0_LEADS leads while the controllers run; skipping past the main thread when behind), until the
 * epoch changes; returns when stopped. `receive` gives the buffers the main thread replaced since (in order),
 * or undefined.
 */
export function serveChoices(link: ChoiceLink, replica: ChoiceReplica, receive: () => ChoiceBuffers | undefined): void {
  const ctl = link.ctl;
  const staging = new DemandStaging(link.demand);
  let seen = 0;
  for (;;) {
    // the day's requests answered: the time until the next day begins is the staged demand's
    stageDemand(link, replica, staging, true);
    Atomics.wait(ctl, CTL_EPOCH, seen);
    const e = Atomics.load(ctl, CTL_EPOCH);
    if (e < 0) return;
    seen = e;
    // the buffers sent before this epoch began (the epoch's cell can be seen before the message is)
    for (const gen = Atomics.load(ctl, CTL_GEN); link.generation < gen;) {
      const b = receive();
      if (!b) continue;
      link.adopt(b);
      replica.adoptShared(b);
    }
    link.epoch = e;
    const day = ctl[CTL_DAY]!;
    const n = ctl[CTL_N]!;
    const lead = ctl[CTL_LEAD]!;
    for (let k = Atomics.load(ctl, CTL_MAIN); k < n; k++) {
      if ((k & 15) === 0) {
        if (Atomics.load(ctl, CTL_EPOCH) !== e) break;
        let main = Atomics.load(ctl, CTL_MAIN);
        if (k < main) k = main + 32;
        // ahead enough: draw a chunk of the staged demand if it is open, else spin a little, then sleep in short
        // waits (the main thread may be serving, not playing)
        let limit = Atomics.load(ctl, CTL_PHASE) === 0 ? lead * PHASE0_LEADS : lead;
        if (k > main + limit) stageDemand(link, replica, staging, false);
        for (let spins = 0; k > main + limit && Atomics.load(ctl, CTL_EPOCH) === e; spins++) {
          if (spins > 4000) Atomics.wait(ctl, CTL_MAIN, main, spins > 40_000 ? 20 : 1);
          main = Atomics.load(ctl, CTL_MAIN);
          limit = Atomics.load(ctl, CTL_PHASE) === 0 ? lead * PHASE0_LEADS : lead;
        }
        if (k >= n || Atomics.load(ctl, CTL_EPOCH) !== e) break;
      }
      replica.answerChoice(link, k, day);
    }
  }
}
