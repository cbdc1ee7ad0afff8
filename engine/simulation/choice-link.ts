/**
 * The choice link: shared memory between a simulator (the main thread, which plays the day) and a choice
 * worker (a second thread, which works ahead of it). The worker holds a replica of the simulator built
 * from the same scenario and options, whose legs and fare values are views of the main simulator's
 * shared buffers. For each request of the day, in playing order, it draws the passenger, makes the
 * choice on the legs as they stand, and draws what the booking needs (cancellation, no-show, ancillaries),
 * writing the answer into the request's slot and tagging it with the day's epoch.
 *
 * The main thread takes an answer only when it is still exact, so the market stays byte for byte what
 * one thread plays:
 * - between the worker's read and the request's turn, the legs of the market's paths may only have lost
 *   availability (bookings, departures): a rise (a cancellation, a control or bid price applied) adds to
 *   the leg's raise counter, and the worker's answer carries the sum of the counters it saw first; and
 * - the chosen option must still be open for the party. Options only closed since, so the cheapest
 *   option of the worker's larger set, still open, is the cheapest of the smaller one (and none stays none).
 * A fare change (the fare store's version) or a what-if replay (which plays over the shared legs) starts a
 * new epoch, so no answer of before counts. The main thread never waits: a request whose answer is not
 * ready or not exact is played as without a worker.
 *
 * This module is pure (SharedArrayBuffer and Atomics only); the thread itself is started by the sandbox
 * (connectors/sandbox/choice-worker.ts).
 */

/** ctl cells: the epoch (−1: stop), the UTC day, the number of requests, the main thread's position, the lead */
export const CTL_EPOCH = 0;
export const CTL_DAY = 1;
export const CTL_N = 2;
export const CTL_MAIN = 3;
export const CTL_LEAD = 4;
/** per request: path (−1: no option; −2: not answered, the main thread plays it), marketing class, fare value */
export const RES_STRIDE = 3;
/** per request: party, point of sale, channel, segment, no-show, cancel day, cancel ms of day, ancillary mask */
export const IRES_STRIDE = 8;
/**
 * How far (requests) the worker may run ahead of the main thread by default. Further, more answers go stale
 * before their turn; nearer, the worker banks fewer answers while the main thread departs legs and begins
 * days. On the sandbox network (60 days, leg departures/s): 256 → 6,800, 512 → 7,800, 2,048 → 8,000–8,100,
 * 4,096 → 7,600, a whole day → 6,900–7,600.
 */
export const CHOICE_LEAD = 2048;

/** The buffers, as sent to the worker (at start and whenever one is replaced). */
export interface ChoiceBuffers {
  legs: SharedArrayBuffer;
  nDays: number;
  quick: SharedArrayBuffer;
  raise: SharedArrayBuffer;
  res: SharedArrayBuffer;
  ires: SharedArrayBuffer;
  sums: SharedArrayBuffer;
  tag: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  req: SharedArrayBuffer;
}

/** What the worker reports and the main thread counts. */
export interface ChoiceStats {
  /** requests played with the worker's answer */
  taken: number;
  /** requests whose answer was not ready when their turn came */
  notReady: number;
  /** answers ready but no longer exact (played again) */
  stale: number;
}

export class ChoiceLink {
  /** the epoch the holder works in (main: the current one; worker: the one it answers for) */
  epoch = 0;
  raise: Int32Array;
  res: Float64Array;
  ires: Int32Array;
  sums: Float64Array;
  tag: Int32Array;
  readonly ctl: Int32Array;
  req: Int32Array;
  /** main side: the fare store's version the epoch's answers were made with */
  faresVersion = -1;
  /** main side: answers of the current epoch are void (a what-if replay is running over the shared legs) */
  held = false;
  /** main side: wait for every answer (tests: every request then goes through the checks) */
  strict = false;
  readonly stats: ChoiceStats = { taken: 0, notReady: 0, stale: 0 };
  /** main side: delivers replaced buffers to the worker */
  send: (b: ChoiceBuffers) => void = () => {};
  legsBuffer: SharedArrayBuffer;
  quickBuffer: SharedArrayBuffer;
  nDays: number;

  constructor(b: ChoiceBuffers) {
    this.legsBuffer = b.legs;
    this.quickBuffer = b.quick;
    this.nDays = b.nDays;
    this.raise = new Int32Array(b.raise);
    this.res = new Float64Array(b.res);
    this.ires = new Int32Array(b.ires);
    this.sums = new Float64Array(b.sums);
    this.tag = new Int32Array(b.tag);
    this.ctl = new Int32Array(b.ctl);
    this.req = new Int32Array(b.req);
  }

  /** Main side: a link for a store of nLegs legs and days of up to `requests` requests (both grow). */
  static allocate(legs: SharedArrayBuffer, nDays: number, quick: SharedArrayBuffer, nLegs: number, requests: number): ChoiceLink {
    const r = Math.max(1024, requests);
    const link = new ChoiceLink({
      legs, nDays, quick, raise: new SharedArrayBuffer(nLegs * 4), res: new SharedArrayBuffer(r * RES_STRIDE * 8), ires: new SharedArrayBuffer(r * IRES_STRIDE * 4),
      sums: new SharedArrayBuffer(r * 8), tag: new SharedArrayBuffer(r * 4), ctl: new SharedArrayBuffer(64), req: new SharedArrayBuffer(r * 16),
    });
    link.ctl[CTL_LEAD] = CHOICE_LEAD;
    return link;
  }

  buffers(): ChoiceBuffers {
    return {
      legs: this.legsBuffer, nDays: this.nDays, quick: this.quickBuffer, raise: this.raise.buffer as SharedArrayBuffer, res: this.res.buffer as SharedArrayBuffer,
      ires: this.ires.buffer as SharedArrayBuffer, sums: this.sums.buffer as SharedArrayBuffer, tag: this.tag.buffer as SharedArrayBuffer, ctl: this.ctl.buffer as SharedArrayBuffer,
      req: this.req.buffer as SharedArrayBuffer,
    };
  }

  /** Worker side: takes over replaced buffers. */
  adopt(b: ChoiceBuffers): void {
    this.legsBuffer = b.legs;
    this.quickBuffer = b.quick;
    this.nDays = b.nDays;
    if (b.raise !== this.raise.buffer) this.raise = new Int32Array(b.raise);
    if (b.res !== this.res.buffer) this.res = new Float64Array(b.res);
    if (b.ires !== this.ires.buffer) this.ires = new Int32Array(b.ires);
    if (b.sums !== this.sums.buffer) this.sums = new Float64Array(b.sums);
    if (b.tag !== this.tag.buffer) this.tag = new Int32Array(b.tag);
    if (b.req !== this.req.buffer) this.req = new Int32Array(b.req);
  }

  /**
   * Main side, at the start of a day's play (or again after a fare change or a what-if): the day's
   * requests in playing order (`stride` int32 each) and the buffers they need. Returns the new epoch.
   */
  begin(day: number, requests: Int32Array, n: number, stride: number, legs: SharedArrayBuffer, nDays: number, nLegs: number, quick: SharedArrayBuffer, from: number): void {
    let replaced = legs !== this.legsBuffer || nDays !== this.nDays || quick !== this.quickBuffer;
    this.legsBuffer = legs;
    this.nDays = nDays;
    this.quickBuffer = quick;
    if (nLegs > this.raise.length) {
      const next = new Int32Array(new SharedArrayBuffer(Math.max(nLegs, this.raise.length * 2) * 4));
      next.set(this.raise);
      this.raise = next;
      replaced = true;
    }
    if (n > this.tag.length) {
      const r = Math.max(n, this.tag.length * 2);
      this.res = new Float64Array(new SharedArrayBuffer(r * RES_STRIDE * 8));
      this.ires = new Int32Array(new SharedArrayBuffer(r * IRES_STRIDE * 4));
      this.sums = new Float64Array(new SharedArrayBuffer(r * 8));
      this.tag = new Int32Array(new SharedArrayBuffer(r * 4));
      this.req = new Int32Array(new SharedArrayBuffer(r * stride * 4));
      replaced = true;
    }
    if (replaced) this.send(this.buffers());
    this.req.set(requests.subarray(0, n * stride));
    this.epoch++;
    this.held = false;
    const ctl = this.ctl;
    ctl[CTL_DAY] = day;
    ctl[CTL_N] = n;
    Atomics.store(ctl, CTL_MAIN, from);
    Atomics.store(ctl, CTL_EPOCH, this.epoch);
    Atomics.notify(ctl, CTL_EPOCH);
  }

  /** Main side: voids the current epoch's answers and idles the worker (a what-if replay over the shared legs). */
  hold(): void {
    this.held = true;
    this.epoch++;
    this.ctl[CTL_N] = 0;
    Atomics.store(this.ctl, CTL_EPOCH, this.epoch);
    Atomics.notify(this.ctl, CTL_EPOCH);
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
  /** answers request k of the link's requests on day `day` (always tags it; path −2 when it could not, e.g. a narrower fare to resolve) */
  answerChoice(link: ChoiceLink, k: number, day: number): void;
}

/**
 * The worker's loop: waits for a day, answers its requests in order, at most the lead ahead of the main
 * thread (and skipping past it when behind), until the epoch changes; returns when stopped.
 * `receive` gives the buffers the main thread replaced since (in order), or undefined.
 */
export function serveChoices(link: ChoiceLink, replica: ChoiceReplica, receive: () => ChoiceBuffers | undefined): void {
  const ctl = link.ctl;
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, CTL_EPOCH, seen);
    const e = Atomics.load(ctl, CTL_EPOCH);
    if (e < 0) return;
    seen = e;
    for (let b = receive(); b; b = receive()) {
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
        // ahead enough: spin a little, then sleep in short waits (the main thread may be serving, not playing)
        for (let spins = 0; k > main + lead && Atomics.load(ctl, CTL_EPOCH) === e; spins++) {
          if (spins > 4000) Atomics.wait(ctl, CTL_MAIN, main, spins > 40_000 ? 20 : 1);
          main = Atomics.load(ctl, CTL_MAIN);
        }
        if (k >= n || Atomics.load(ctl, CTL_EPOCH) !== e) break;
      }
      replica.answerChoice(link, k, day);
    }
  }
}
