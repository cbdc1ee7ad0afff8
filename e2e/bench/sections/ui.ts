/**
 * The review grid in Chromium over the web bridge, with 100,000 proposals in the store:
 * - navigation → usable review grid: from the start of navigation to the grid showing its first rows
 *   and the count of all 100,000 (goal < 1.5 s);
 * - applying a filter (a market: 5,000 rows): from the change to the grid showing the filtered rows
 *   and count (goal < 200 ms);
 * - 95th-percentile frame time while scrolling through the rows (goal < 33 ms). Frames are timed from
 *   one animation frame to the next, so on a 60 Hz display a frame is a multiple of 16.7 ms: the goal
 *   asks that 95 % of frames make the next display refresh. Beside it, from a second pass with a
 *   Chrome trace, the renderer main thread's CPU time per frame (less sensitive than wall time to the
 *   other work on this shared machine) and the load average.
 */
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { chromium, type Page } from '@playwright/test';
import type { BenchContext } from '../types';
import { cpuTimes, loadLabel, rate, stealLabel } from '../types';
import { createBackend } from '../../../engine/backend';
import { startWebBridge } from '../../../electron/web/bridge';
import { chromiumLaunchOptions } from '../../support/chromium';
import { ROOT } from '../../support/run';
import { REVIEW_MARKETS, seedReviewProposals } from '../../support/reviewSeed';

const FIRST_DAY = '2027-01-04';
/** pixels scrolled per frame: 6,000 px/s at 60 frames/s, a fast flick (200 rows a second) */
const SCROLL_PX = 100;

/** The renderer build the bridge serves (built when missing). */
/** Builds the renderer from the current sources (an older build would measure old code). */
function ensureRenderer(): string {
  const dist = path.join(ROOT, 'app', 'dist');
  {
    const require = createRequire(import.meta.url);
    const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', '--config', 'app/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('the renderer build failed');
  }
  return dist;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const verdict = (v: number, goal: number) => (v < goal ? `goal < ${goal} ms: met` : `goal < ${goal} ms: NOT MET`);

/** Loads the page and answers the time from navigation start to a usable grid with `count` decisions. */
async function navigationToUsableGrid(page: Page, origin: string, countText: string): Promise<number> {
  await page.goto(`${origin}/`);
  await page.waitForFunction((want) => {
    const w = window as unknown as { __usableAt?: number };
    const count = document.querySelector('[data-testid="review-count"]')?.textContent;
    const cell = document.querySelector('[data-testid="review-grid"] .ag-row .ag-cell[col-id="market"]');
    if (count === want && cell?.textContent) { w.__usableAt ??= performance.now(); return true; }
    return false;
  }, countText, { polling: 'raf', timeout: 60_000 }).catch(async (e: Error) => {
    const shot = path.join(ROOT, 'e2e', 'artifacts', 'bench-ui-failure.png');
    await page.screenshot({ path: shot });
    throw new Error(`${e.message.split('\n')[0]} (the page: ${shot})`);
  });
  return page.evaluate(() => (window as unknown as { __usableAt: number }).__usableAt);
}

/** Picks a market in the filter bar ('' for all) and answers the time until the grid shows it. */
async function applyMarketFilter(page: Page, market: string, countText: string): Promise<number> {
  return page.evaluate(async ([m, want]) => {
    const select = document.querySelector<HTMLSelectElement>('[data-testid="filter-market"]')!;
    const t0 = performance.now();
    select.value = m;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      const count = document.querySelector('[data-testid="review-count"]')?.textContent;
      const cell = document.querySelector('[data-testid="review-grid"] .ag-row .ag-cell[col-id="market"]')?.textContent;
      if (count === want && (m === '' ? Boolean(cell) : cell === m)) return performance.now() - t0;
      if (performance.now() - t0 > 30_000) throw new Error(`the filter ${m} did not show within 30 s (count ${count}, first row ${cell})`);
    }
  }, [market, countText] as const);
}

/** Scrolls the grid `frames` frames at `step` px a frame; answers every frame's duration. */
async function scrollFrameTimes(page: Page, frames: number, step: number): Promise<number[]> {
  return page.evaluate(async ([n, px]) => {
    // the element that scrolls the rows vertically (whatever ag-grid's version calls it)
    const vp = [...document.querySelectorAll<HTMLElement>('[data-testid="review-grid"] *')]
      .filter((e) => e.scrollHeight > e.clientHeight + 1_000 && /auto|scroll/.test(getComputedStyle(e).overflowY))
      .sort((a, b) => b.scrollHeight - a.scrollHeight)[0];
    if (!vp) throw new Error('no scrolling element in the review grid');
    const times: number[] = [];
    let last = await new Promise<number>((r) => requestAnimationFrame(r));
    for (let i = 0; i < n; i++) {
      vp.scrollTop += px;
      const t = await new Promise<number>((r) => requestAnimationFrame(r));
      times.push(t - last);
      last = t;
    }
    return times;
  }, [frames, step] as const);
}

/**
 * The renderer main thread's CPU time (thread time of its top-level tasks, from a Chrome trace) per
 * frame while scrolling the grid as scrollFrameTimes does.
 */
async function scrollCpuPerFrame(page: Page, frames: number, step: number): Promise<number> {
  type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; tdur?: number; args?: { name?: string } };
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  // trace events are loosely typed objects: the fields read here are checked where they are used
  cdp.on('Tracing.dataCollected', (e) => { for (const x of e.value) events.push(x as unknown as TraceEvent); });
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: 'toplevel,blink.user_timing,__metadata', transferMode: 'ReportEvents' });
  await page.evaluate(() => performance.mark('dfae-scroll-start'));
  const times = await scrollFrameTimes(page, frames, step);
  await page.evaluate(() => performance.mark('dfae-scroll-end'));
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const start = events.find((e) => e.name === 'dfae-scroll-start');
  const end = events.find((e) => e.name === 'dfae-scroll-end');
  const main = events.find((e) => e.name === 'thread_name' && e.pid === start?.pid && e.args?.name === 'CrRendererMain');
  if (!start || !end || !main) throw new Error('the scroll trace lacks its marks or the renderer main thread');
  const cpuUs = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.ts >= start.ts && e.ts <= end.ts)
    .reduce((sum, e) => sum + (e.tdur ?? 0), 0);
  return cpuUs / 1000 / times.length;
}

/** The p95 frame time of scrolling a plain list of 3,000 text rows the grid's size, the same way. */
async function plainListScrollP95(page: Page, frames: number): Promise<number> {
  return page.evaluate(async ([n, px]) => {
    const box = document.createElement('div');
    const grid = document.querySelector('[data-testid="review-grid"]')!.getBoundingClientRect();
    Object.assign(box.style, { position: 'fixed', left: `${grid.left}px`, top: `${grid.top}px`, width: `${grid.width}px`, height: `${grid.height}px`, overflow: 'auto', background: '#fff', zIndex: '9999' });
    // (no named functions in here: the page has not the bundler's helpers)
    let html = '';
    for (let i = 0; i < 3_000; i++) {
      html += '<div class="plain-row">';
      for (let j = 0; j < 18; j++) html += `<span>${i}-${j} 1,234.00 EUR</span>`;
      html += '</div>';
    }
    box.innerHTML = html;
    for (const r of box.querySelectorAll<HTMLElement>('.plain-row')) Object.assign(r.style, { height: '30px', whiteSpace: 'nowrap' });
    document.body.append(box);
    const t: number[] = [];
    let last = await new Promise<number>((r) => requestAnimationFrame(r));
    for (let i = 0; i < n; i++) { box.scrollTop += px; const x = await new Promise<number>((r) => requestAnimationFrame(r)); t.push(x - last); last = x; }
    box.remove();
    return t.sort((a, b) => a - b)[Math.ceil(0.95 * t.length) - 1]!;
  }, [frames, SCROLL_PX] as const);
}

export default async function ui(ctx: BenchContext): Promise<void> {
  const n = ctx.quick ? 10_000 : 100_000;
  const dataDir = ctx.tempDir('dfae-bench-ui-');
  const backend = createBackend({ dataDir, connectors: [], mode: 'sandbox', host: 'web', version: 'bench', decisions: { autoPush: false, expiryIntervalMs: 0, reestimateEveryMs: 0 } });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    let t = performance.now();
    const seeded = seedReviewProposals(backend, n, FIRST_DAY);
    // a profile exists (no first-run setup); the bridge's session acts as a revenue manager
    await backend.decisions.users.setup({ login: 'bench-admin', displayName: 'Bench Admin', password: 'bench-password' });
    const seedMs = performance.now() - t;
    ctx.print(`ui.seed                 ${seeded.toLocaleString('en-US')} proposals published in ${(seedMs / 1000).toFixed(1)} s (${rate(seeded, seedMs)}/s)`);
    const bridge = await startWebBridge({
      dispatcher: backend.dispatcher, events: backend.events, staticDir: ensureRenderer(), port: 0,
      initialCaller: { user: 'bench-rm', role: 'revenue_manager' },
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(bridge.url);
      await page.evaluate(() => localStorage.setItem('dfae-ui', JSON.stringify({
        state: { screen: 'review', theme: 'light', reviewMode: 'grid', reviewFilter: { states: ['proposed'], kinds: ['fare'] }, reviewColumns: null, savedViews: [], analytics: { cabin: 'Y', granularity: 'week' }, detail: {}, faresFilter: {} },
        version: 2,
      })));
      const all = `${seeded.toLocaleString('en-GB')} decisions`;
      const navs: number[] = [];
      for (let i = 0; i < (ctx.quick ? 2 : 4); i++) navs.push(await navigationToUsableGrid(page, bridge.origin, all));
      const nav = median(navs.slice(1)); // the first load also warms the store's page cache
      ctx.print(`ui.grid.navigation      ${nav.toFixed(0)} ms to a usable grid of ${seeded.toLocaleString('en-US')} rows (median of ${navs.length - 1} warm loads; cold ${navs[0]!.toFixed(0)} ms; ${loadLabel()})  ${verdict(nav, 1_500)}`);

      const perMarket = Math.ceil(seeded / REVIEW_MARKETS.length);
      const filters: number[] = [];
      for (const m of REVIEW_MARKETS.slice(0, ctx.quick ? 3 : 8)) filters.push(await applyMarketFilter(page, m, `${perMarket.toLocaleString('en-GB')} decisions`));
      ctx.print(`ui.grid.filter          ${median(filters).toFixed(0)} ms median, ${Math.max(...filters).toFixed(0)} ms max, to show one market (${perMarket.toLocaleString('en-US')} rows) over ${filters.length} markets (${loadLabel()})  ${verdict(median(filters), 200)}`);

      await applyMarketFilter(page, '', all);
      // for context: the same scroll over a plain list of text rows (no grid) on this machine and display
      const plain = await plainListScrollP95(page, ctx.quick ? 120 : 400);
      const before = cpuTimes();
      const frames = await scrollFrameTimes(page, ctx.quick ? 120 : 400, SCROLL_PX);
      const scrollLoad = `${loadLabel()}${stealLabel(before)}`;
      const p95 = pct(frames, 95);
      // a frame longer than one refresh (16.7 ms at 60 Hz) missed it
      const missed = frames.filter((f) => f > 20).length / frames.length;
      const rows = Math.round((frames.length * SCROLL_PX) / 30);
      // a second pass over rows not yet loaded (a new filter is a new cache), traced for the CPU time
      await applyMarketFilter(page, REVIEW_MARKETS[0]!, `${perMarket.toLocaleString('en-GB')} decisions`);
      await applyMarketFilter(page, '', all);
      const cpu = await scrollCpuPerFrame(page, ctx.quick ? 120 : 400, SCROLL_PX);
      ctx.print(`ui.grid.scroll          p95 frame ${p95.toFixed(1)} ms, median ${median(frames).toFixed(1)} ms, worst ${Math.max(...frames).toFixed(0)} ms over ${frames.length} frames, ${(missed * 100).toFixed(1)} % of them past one refresh (~${rows.toLocaleString('en-US')} rows at ${SCROLL_PX} px a frame; ${scrollLoad}); a plain list of text rows: p95 ${plain.toFixed(1)} ms; renderer main-thread CPU ${cpu.toFixed(1)} ms a frame (traced pass, ${loadLabel()})  ${verdict(p95, 33)}`);
    } finally {
      await bridge.close();
    }
  } finally {
    await browser.close();
    await backend.close();
  }
}
