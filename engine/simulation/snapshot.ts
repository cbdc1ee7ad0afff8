/**
 * A simulated market as data, and back: so that a sandbox built once (a year and more of history
 * takes a while to play) can be saved by the caller (e.g. `v8.serialize` to a file: no I/O here) and
 * restored in a moment, exactly where it was. The snapshot holds typed arrays, maps and plain objects
 * only (structured-clone friendly); it references the simulator's live arrays, so serialise it before
 * the market moves on.
 */
import type { CarrierController } from './controller';
import { fcfs } from './controller';
import { MarketSimulator, type RecordMode } from './simulator';
import type { ScenarioSpec } from './scenario';
import { systemE } from './system-e';
import type { LegStoreData } from './legs';
import { BookingLog } from './booking-log';

export interface SimulatorSnapshot {
  format: 'dfae-market-simulator';
  /**
   * 4: booking events of five types (denied boarding added), encoded pnr · 16 + type · 2 + segment; 6: a leg's booking
   * chunk and closure head kept plus one (0: none), revenue and passengers by journey day first, the arrays by journey
   * date cut to the dates held
   */
  version: 6;
  spec: ScenarioSpec;
  options: { seed: number; startDate: string; record: RecordMode; shopping: boolean; shoppingDays: number[]; visibleFromDay: number };
  state: Record<string, unknown>;
  legs: LegStoreData;
  log: Record<string, unknown>;
  fares: Record<string, unknown>;
  arrivals: Record<string, unknown>;
  cancels: Record<string, unknown>;
  /** per carrier: the controller's name and, when it can give one, its state */
  controllers: { name: string; state?: unknown }[];
}

/** A controller that can be saved with the market. */
export interface SnapshotableController extends CarrierController {
  snapshotState(): unknown;
  restoreState(state: unknown): void;
}

function isSnapshotable(c: CarrierController): c is SnapshotableController {
  return typeof (c as Partial<SnapshotableController>).snapshotState === 'function';
}

const STATE_KEYS = ['curDay', 'dayBegun', 'agenda', 'agendaLen', 'agendaPos', 'departing', 'requests', 'lostRequests', 'mktRevenue', 'mktPax', 'mktObs', 'fareActions', 'ratesToday'] as const;

function own(o: object, except: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!except.includes(k)) out[k] = v;
  return out;
}

export function snapshotSimulator(sim: MarketSimulator): SimulatorSnapshot {
  if (sim.scratchLegs) throw new Error('snapshotSimulator: a what-if scratch market cannot be saved');
  const s = sim as unknown as Record<string, unknown>;
  const state: Record<string, unknown> = { clockMs: sim.clock.nowMs(), latestObs: [...sim.latestObs] };
  for (const k of STATE_KEYS) state[k] = s[k];
  // the arrays by journey date have room for more dates than are held (LegStore.capDays): only the dates held are saved
  const days = sim.legs.nDays;
  const nC = sim.net.carriers.length;
  state.mktRevenue = sim.mktRevenue.subarray(0, days * nC);
  state.mktPax = sim.mktPax.subarray(0, days * nC);
  state.mktObs = sim.mktObs.map((a) => (a ? a.subarray(0, days * sim.obsPerDay) : null));
  return {
    format: 'dfae-market-simulator',
    version: 6,
    spec: sim.spec,
    options: { seed: sim.seed, startDate: new Date(sim.startDay * 86_400_000).toISOString().slice(0, 10), record: sim.record, shopping: sim.shopping, shoppingDays: [...sim.shoppingDays], visibleFromDay: sim.visibleFromDay },
    state,
    legs: sim.legs.toData(),
    log: sim.log.trimmed(),
    fares: { ...own(sim.fares, ['net', 'ratesSeen', 'filedSlots']), overrides: [...sim.fares.overrides] },
    arrivals: own(sim.arrivals),
    cancels: own(sim.cancels),
    controllers: sim.controllers.map((c) => (isSnapshotable(c) ? { name: c.name, state: c.snapshotState() } : { name: c.name })),
  };
}

/**
 * Rebuilds a market from a snapshot. Controllers: system E and FCFS come back with their state; any
 * other controller must be given in `controllers` (by carrier code) and, if it kept state, restore it.
 */
export function restoreSimulator(snap: SimulatorSnapshot, controllers: Record<string, CarrierController> = {}): MarketSimulator {
  if (snap.format !== 'dfae-market-simulator' || snap.version !== 6) throw new Error(`restoreSimulator: not a version-6 market snapshot (format ${String(snap.format)}, version ${String(snap.version)})`);
  const ctls: Record<string, CarrierController> = {};
  snap.spec.carriers.forEach((car, i) => {
    const saved = snap.controllers[i];
    if (!saved) throw new Error(`restoreSimulator: no controller saved for carrier ${car.code}`);
    const given = controllers[car.code];
    const ctl = given ?? (saved.name === 'E' ? systemE() : saved.name === 'fcfs' ? fcfs() : undefined);
    if (!ctl) throw new Error(`restoreSimulator: carrier ${car.code} ran controller "${saved.name}"; pass it in controllers.${car.code}`);
    if (saved.state !== undefined && isSnapshotable(ctl)) ctl.restoreState(saved.state);
    ctls[car.code] = ctl;
  });
  const o = snap.options;
  const sim = new MarketSimulator(snap.spec, { seed: o.seed, startDate: o.startDate, record: o.record, shopping: o.shopping, shoppingDays: o.shoppingDays, visibleFromDay: o.visibleFromDay, controllers: ctls });
  sim.legs.loadData(snap.legs);
  sim.log = BookingLog.restore(snap.log);
  const { overrides, ...fares } = snap.fares as { overrides: [number, unknown][] } & Record<string, unknown>;
  Object.assign(sim.fares, fares);
  sim.fares.forgetRevalued();
  sim.fares.overrides.clear();
  for (const [slot, list] of overrides) sim.fares.overrides.set(slot, list as never);
  Object.assign(sim.arrivals, snap.arrivals);
  Object.assign(sim.cancels, snap.cancels);
  const s = sim as unknown as Record<string, unknown>;
  for (const k of STATE_KEYS) s[k] = snap.state[k];
  sim.latestObs.clear();
  for (const [k, v] of snap.state.latestObs as [number, number][]) sim.latestObs.set(k, v);
  sim.clock.setMs(snap.state.clockMs as number);
  sim.growDays();
  return sim;
}
