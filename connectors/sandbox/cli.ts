/**
 * The sandbox as a process: builds the simulated market, starts the four systems and the control API on
 * 127.0.0.1, prints ONE JSON line `{"ready": true, "endpoints": {...}}` (base URLs, per-launch OAuth2
 * credentials, control token, drop folders) and serves until SIGTERM or SIGINT.
 *
 *   node --import tsx connectors/sandbox/cli.ts --seed 42 --today 2026-03-01 [--port 0] [--history-days 400]
 *     [--scenario sandbox|3mkt] [--demand 1] [--drop-dir <folder>] [--cache-dir <folder>] [--exit-with-parent]
 *
 * A failure prints `{"error": "..."}` and exits with status 1. Progress goes to stderr.
 */
import { Command, InvalidArgumentError } from 'commander';
import { createSimulatorMarket, loadOrBuildMarket } from './simulator-market';
import { startSandbox, type Sandbox } from './sandbox';

const int = (name: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
};

async function main(): Promise<void> {
  const program = new Command('dfae-sandbox')
    .description('The built-in sandbox: PSS, PROS O&D, pricing tool and network planning over the market simulator')
    .option('--seed <n>', 'seed of the simulated market', int('--seed', 0, 2 ** 31), 42)
    .option('--today <date>', 'the simulated today (YYYY-MM-DD); default: the current UTC date', (v) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new InvalidArgumentError('--today must be a date YYYY-MM-DD');
      return v;
    })
    .option('--port <n>', 'first port (servers on port..port+4); 0: free ports', int('--port', 0, 65_530), 0)
    .option('--history-days <n>', 'days of flown departures served', int('--history-days', 1, 800), 400)
    .option('--scenario <name>', 'sandbox (the hub network) or 3mkt', (v) => {
      if (v !== 'sandbox' && v !== '3mkt') throw new InvalidArgumentError('--scenario must be "sandbox" or "3mkt"');
      return v;
    }, 'sandbox')
    .option('--demand <x>', 'demand multiplier', (v) => {
      const n = Number(v);
      if (!(n > 0 && n <= 10)) throw new InvalidArgumentError('--demand must be a number in (0, 10]');
      return n;
    }, 1)
    .option('--drop-dir <folder>', 'root of the drop folders (default: a temporary folder)')
    .option('--cache-dir <folder>', 'keep the built market there and restore it on the next start with the same options')
    .option('--exit-with-parent', 'stop when standard input closes: the host that starts the sandbox keeps it open, so a host that ends without closing its sandbox (killed, or stopped by a parent process) leaves no server behind')
    .parse(process.argv);
  const o = program.opts<{ seed: number; today?: string; port: number; historyDays: number; scenario: 'sandbox' | '3mkt'; demand: number; dropDir?: string; cacheDir?: string; exitWithParent?: boolean }>();
  let stop: (why: string) => void = () => process.exit(0); // before the servers start there is nothing to close
  if (o.exitWithParent) {
    process.stdin.on('end', () => stop('its parent ended'));
    process.stdin.on('error', () => stop('its parent ended'));
    process.stdin.resume();
  }
  const today = o.today ?? new Date().toISOString().slice(0, 10);
  const t0 = performance.now();
  process.stderr.write(`sandbox: building the ${o.scenario} market (seed ${o.seed}, ${o.historyDays} days of history to ${today})\n`);
  const marketOptions = { seed: o.seed, today, historyDays: o.historyDays, scenario: o.scenario, demandMultiplier: o.demand, choiceWorker: true };
  const market = o.cacheDir ? loadOrBuildMarket(marketOptions, o.cacheDir).market : createSimulatorMarket(marketOptions);
  const buildMs = Math.round(performance.now() - t0);
  const sandbox: Sandbox = await startSandbox({ market, port: o.port, dropDir: o.dropDir });
  let stopping = false;
  stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`sandbox: ${why}, stopping\n`);
    void sandbox.close().then(() => market.close()).then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.stdout.write(`${JSON.stringify({ ready: true, buildMs, bookingEvents: market.lastBookingSequence(), endpoints: sandbox.endpoints })}\n`);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: (e as Error).message })}\n`);
  process.exit(1);
});
