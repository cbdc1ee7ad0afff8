/**
 * The import rules of DESIGN.md, enforced: a violation fails the build.
 * - engine/ imports nothing of app/, electron/, connectors/, and never electron, react or the DOM libraries;
 * - only the sandbox, the what-if API, tests and benchmarks import engine/simulation;
 * - connectors/ imports engine/ domain types and ports only (connectors/sandbox/ also engine/simulation);
 * - app/ imports engine/api contract types only;
 * - only electron/ entry files import 'electron'.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

export function importsOf(file: string): { spec: string; resolved?: string }[] {
  const src = fs.readFileSync(file, 'utf8');
  const out: { spec: string; resolved?: string }[] = [];
  for (const m of src.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (!spec) continue;
    const resolved = spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(file), spec)) : undefined;
    out.push({ spec, resolved });
  }
  return out;
}

const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');
const isTestOrBench = (f: string) => /\.(test|spec|bench)\.tsx?$/.test(f) || f.includes('/bench/') || f.includes('/__tests__/');

interface Violation { file: string; spec: string; rule: string }

export function findViolations(files: string[]): Violation[] {
  const v: Violation[] = [];
  for (const file of files) {
    const f = rel(file);
    const top = f.split('/')[0];
    for (const { spec, resolved } of importsOf(file)) {
      const target = resolved?.split(path.sep).join('/');
      const bad = (rule: string) => v.push({ file: f, spec, rule });
      if (spec === 'electron' || spec.startsWith('electron/')) {
        if (!(top === 'electron' && /^electron\/(main|preload)\//.test(f)) && !(top === 'e2e' && f.includes('electron'))) bad("only electron/main and electron/preload entry files import 'electron'");
      }
      if (top === 'engine') {
        if (target && /^(app|electron|connectors|e2e)(\/|$)/.test(target)) bad('engine/ imports nothing of app/, electron/, connectors/, e2e/');
        if (/^(react|react-dom|ag-grid|recharts|zustand|@tanstack)/.test(spec)) bad('engine/ does not import UI libraries');
        if (target?.startsWith('engine/simulation') && !f.startsWith('engine/simulation/') && !isTestOrBench(f) && !f.startsWith('engine/whatif/')) {
          bad('only the sandbox, the what-if API, tests and benchmarks import engine/simulation');
        }
      }
      if (top === 'connectors' && target) {
        if (/^(app|electron|e2e)(\/|$)/.test(target)) bad('connectors/ imports engine/ only');
        if (target.startsWith('engine/simulation') && !f.startsWith('connectors/sandbox/') && !isTestOrBench(f)) bad('only connectors/sandbox/ imports engine/simulation');
        if (target.startsWith('engine/') && !/^engine\/(domain|ports|simulation|api\/contract)/.test(target) && !isTestOrBench(f)) bad('connectors/ import engine domain types and ports only');
      }
      if (top === 'app' && target) {
        if (/^(electron|connectors)(\/|$)/.test(target)) bad('app/ imports engine/api contract types only');
        if (target.startsWith('engine/') && !/^engine\/(api\/contract|domain)/.test(target)) bad('app/ imports engine/api contract types only');
      }
    }
  }
  return v;
}

describe('import boundaries', () => {
  it('hold across the repository', () => {
    const files = ['engine', 'connectors', 'electron', 'app'].flatMap((d) => walk(path.join(ROOT, d)));
    expect(files.length).toBeGreaterThan(5);
    expect(findViolations(files)).toEqual([]);
  });

  it('catch a violation (the rule can fail)', () => {
    const tmp = path.join(ROOT, 'engine', 'forecasting', '__boundary_probe__.ts');
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    fs.writeFileSync(tmp, "import { x } from '../simulation/truth';\nimport 'electron';\n");
    try {
      const v = findViolations([tmp]);
      expect(v.map((x) => x.rule)).toEqual([
        'only the sandbox, the what-if API, tests and benchmarks import engine/simulation',
        "only electron/main and electron/preload entry files import 'electron'",
      ]);
    } finally {
      fs.rmSync(tmp);
    }
  });
});
