/**
 * The market simulator's speed: leg departures simulated per second over their whole booking horizon
 * (every booking request, choice, cancellation, DCP re-optimisation and departure of the days played),
 * for 3MKT (both carriers on system E, no booking log: a revenue-simulation run) and for the sandbox
 * hub network (all carriers on system E, our booking log, the shopping tool: the sandbox as served, with
 * its choice worker, and on one thread);
 * the what-if (draws for one flight); and the booking-event query rate (a full history sync).
 * Figures are wall clock and process CPU time, each with the one-minute load average at its end: the
 * build machines are shared, so CPU time is the steadier of the two, and neither is comparable across
 * loads without the load beside it.
 */
import { createSandboxMarket, createThreeMktMarket } from '../../../engine/simulation/market';
import { generateSandboxScenario } from '../../../engine/simulation/sandbox-network';
import { MarketSimulator } from '../../../engine/simulation/simulator';
import { addDays } from '../../../engine/domain/time';
import { quantile } from '../../../engine/pricing/competitor';
import { startChoiceWorker } from '../../../connectors/sandbox/choice-worker';
import { cpuTimes, loadLabel, rate, stealLabel, threadCpuMs, threadsLabel, type BenchContext } from '../types';

function timed<T>(f: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

/** A share in per cent, one decimal. */
function pct(part: number, whole: number): string {
  return `${whole > 0 ? ((100 * part) / whole).toFixed(1) : '0.0'} %`;
}

/** CPU microseconds per booking request, two decimals. */
function perRequest(cpuMs: number, requests: number): string {
  return requests > 0 ? ((cpuMs * 1000) / requests).toFixed(2) : '–';
}

export default async function simulation(ctx: BenchContext): Promise<void> {
  // 3MKT: 8 legs a day; warm up (the first horizon and E's history), then time whole days
  {
    const mk = createThreeMktMarket({ seed: 42, record: 'none', shopping: false });
    mk.advanceDays(ctx.quick ? 80 : 100);
    const days = ctx.quick ? 150 : 1000;
    const legs = days * mk.sim.net.patterns.n;
    const r0 = mk.sim.requests;
    const t = timed(() => mk.advanceDays(days));
    const req = mk.sim.requests - r0;
    ctx.print(`simulation.3mkt      ${rate(legs, t.wallMs)} leg departures/s (wall), ${rate(legs, t.cpuMs)}/s (cpu)  [${days} days, ${legs.toLocaleString('en-US')} legs, ${req.toLocaleString('en-US')} requests, ${perRequest(t.cpuMs, req)} µs cpu per request; goal 10,000 legs/s; ${loadLabel()}]`);
  }
  // the sandbox hub network as served: every carrier on E, our booking log, the shopping tool, with its
  // choice worker (a second thread, connectors/sandbox/choice-worker.ts), then on one thread
  for (const threads of [2, 1]) {
    const spec = generateSandboxScenario({ seed: 1, calendarFromYear: 2025, calendarToYear: 2027 });
    const sim = new MarketSimulator(spec, { seed: 1, startDate: '2025-01-01', record: 'own' });
    const worker = threads === 2 ? startChoiceWorker(sim) : null;
    const warm = ctx.quick ? 20 : spec.saleOpensDays;
    sim.advanceDays(warm);
    const days = ctx.quick ? 20 : 200;
    const legs = days * spec.schedule.length;
    const r0 = sim.requests;
    const s0 = worker?.stats();
    const cpu0 = cpuTimes();
    const th0 = worker ? threadCpuMs() : null;
    // day by day: the median day is robust to the machine's spikes (a day at 2–8 times the median, some days in
    // a hundred, whatever the code), the total is the figure
    const perDay: number[] = [];
    const t = timed(() => {
      for (let d = 0; d < days; d++) {
        const t0 = performance.now();
        sim.advanceDays(1);
        perDay.push(performance.now() - t0);
      }
    });
    const perThread = worker ? threadsLabel(th0, threadCpuMs(), process.pid, days) : '';
    const steal = stealLabel(cpu0);
    const req = sim.requests - r0;
    const s1 = worker?.stats();
    await worker?.close();
    const answers = s0 && s1 ? `; the worker's answers: ${pct(s1.taken - s0.taken, req)} taken, ${pct(s1.stale - s0.stale, req)} stale, ${pct(s1.notReady - s0.notReady, req)} not ready; the demand of the dates opening drawn by the worker: ${pct(s1.demandStaged - s0.demandStaged, days * sim.net.markets.n)}` : '';
    ctx.print(`simulation.sandbox${threads === 2 ? '   ' : '.1thread'} ${rate(legs, t.wallMs)} leg departures/s (wall), ${rate(legs, t.cpuMs)}/s (cpu)  [${threads === 2 ? 'with the choice worker' : 'one thread'}, ${days} days after ${warm} warm-up, ${spec.schedule.length} legs/day, ${req.toLocaleString('en-US')} requests, ${perRequest(t.cpuMs, req)} µs cpu per request, a simulated day ${quantile(perDay.sort((a, b) => a - b), 0.5).toFixed(1)} ms median and ${(t.wallMs / days).toFixed(1)} ms mean, ${sim.log.n.toLocaleString('en-US')} bookings logged${answers}${perThread}; goal 10,000 legs/s; ${loadLabel()}${steal}]`);
  }
  // a sandbox with history, then the what-if and the booking sync
  {
    const history = ctx.quick ? 10 : 60;
    const build = timed(() => createSandboxMarket({ seed: 2, today: '2026-03-02', historyDays: history, burnInDays: 10 }));
    const mk = build.value;
    ctx.print(`simulation.sandbox.create  ${(build.wallMs / 1000).toFixed(1)} s wall, ${(build.cpuMs / 1000).toFixed(1)} s cpu  [${history} days of history + ${mk.sim.saleOpens + 10} burn-in days; ${loadLabel()}]`);
    const date = addDays(mk.today(), 14);
    const flight = mk.flightLegs({ from: date, to: date }).find((l) => l.carrier === 'DF' && l.origin === 'FRA' && l.destination === 'LHR' && !l.operatingCarrier)!;
    const draws = ctx.quick ? 100 : 1000;
    const w = timed(() => mk.whatIf({ flights: [flight.id], draws, proposed: { [flight.id]: { closed: ['O', 'N'] } } }));
    ctx.print(`simulation.whatif    ${draws} draws × 2 control sets for ${flight.id} in ${(w.wallMs / 1000).toFixed(2)} s wall, ${(w.cpuMs / 1000).toFixed(2)} s cpu  [${Math.round(w.value.requestsPerRun)} requests/run over ${w.value.legsReplayed} legs; goal 1,000 draws < 5 s; ${loadLabel()}]`);
    let after = 0;
    let rows = 0;
    const s = timed(() => {
      for (;;) {
        const p = mk.bookingEvents(after, 5000);
        rows += p.events.length;
        after = p.nextAfterSeq;
        if (!p.hasMore) break;
      }
    });
    ctx.print(`simulation.events    ${rate(rows, s.wallMs)} booking events/s served (wall), ${rate(rows, s.cpuMs)}/s (cpu)  [${rows.toLocaleString('en-US')} events; ${loadLabel()}]`);
  }
}
