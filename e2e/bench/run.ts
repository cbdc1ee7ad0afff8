/**
 * npm run bench [-- --only <section>[,<section>]] [--quick] [--cycle-days <n>] [--retention-days <n>] [--keep]
 * Runs each section in e2e/bench/sections/ in name order and prints its figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { Command, InvalidArgumentError } from 'commander';
import { SANDBOX_NODE_FLAGS, sandboxEnv } from '../../connectors/sandbox/node-flags';
import { selectSections, type BenchSection } from './types';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  // the sections run the simulator in this process: give it the sandbox process's V8 flags and memory settings
  // (glibc reads them only at a process's start, so run again with them)
  const env = sandboxEnv(process.env);
  const flags = SANDBOX_NODE_FLAGS.filter((f) => !process.execArgv.includes(f));
  if (env !== process.env || flags.length > 0) {
    const r = spawnSync(process.execPath, [...flags, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
    process.exit(r.status ?? 1);
  }
  const program = new Command('bench')
    .option('--only <sections>', 'comma-separated section names')
    .option('--quick', 'smaller sizes (smoke run)', false)
    .option('--cycle-days <n>', 'the cycle section: daily runs to play (default 2)', wholeNumber, 2)
    .option('--retention-days <n>', 'the cycle section: audit rows and ended or replaced decisions stay this many days (default: the retention defaults)', wholeNumber)
    .option('--keep', 'keep the data folders the sections made (their paths are printed), e.g. to look into the cycle\'s store', false)
    .parse(process.argv);
  const opts = program.opts<{ only?: string; quick: boolean; cycleDays: number; retentionDays?: number; keep: boolean }>();
  const dir = path.join(here, 'sections');
  const names = ((): string[] => {
    try {
      return selectSections(fs.readdirSync(dir).filter((f) => /\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, '')), opts.only);
    } catch (e) {
      return program.error(`bench: ${(e as Error).message}`);
    }
  })();
  const temps: string[] = [];
  const started = Date.now();
  console.log(`DFAE Workbench benchmarks  node ${process.version}  ${os.cpus().length} cores  ${new Date().toISOString()}  ${process.execArgv.filter((a) => a.startsWith('--max')).join(' ')} GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? ''}, huge pages ${thpMode()}${opts.quick ? '  (quick)' : ''}`);
  let failed = 0;
  for (const name of names) {
    const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as { default: BenchSection };
    console.log(`\n== ${name}`);
    try {
      await mod.default({
        print: (line) => console.log(`  ${line}`),
        tempDir: (prefix = 'dfae-bench-') => { const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); temps.push(d); return d; },
        quick: opts.quick,
        cycleDays: opts.cycleDays,
        retentionDays: opts.retentionDays ?? null,
      });
    } catch (e) {
      failed++;
      console.log(`  FAILED: ${(e as Error).stack ?? e}`);
    }
  }
  if (opts.keep) for (const d of temps) console.log(`kept ${d}`);
  else for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
  console.log(`\nbenchmarks done in ${((Date.now() - started) / 1000).toFixed(1)} s${failed ? `, ${failed} section(s) failed` : ''}`);
  if (failed) process.exitCode = 1;
}

/** The kernel's transparent huge page mode, e.g. "madvise" ("unknown" off Linux). */
function thpMode(): string {
  try {
    return /\[(\w+)\]/.exec(fs.readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function wholeNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of days >= 1, got "${v}"`);
  return n;
}

void main();
