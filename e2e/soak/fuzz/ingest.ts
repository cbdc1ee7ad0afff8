/**
 * Fuzz each ingestion path with generated malformed, truncated, oversized and adversarial input, through
 * the adapters' own decoders into a real store:
 *   pss         a GET /v1/booking-events page (JSON text → DECODERS.bookingEvents)
 *   pros        a demand drop file (CSV bytes → readCsv against PROS_DEMAND_FILE → demandFromRow)
 *   competitor  a GET /v1/competitor-fares page (JSON → fareStreamPage → wireCompetitorFare)
 *   schedule    an SSIM file (text → readSsimSchedule → toQuarantine)
 * Each case mixes valid records (taken from the sandbox market, given fresh keys) with hostile ones
 * (fields replaced by wrong types, huge or negative numbers, unknown codes, invalid dates, SQL and script
 * text, oversized values; records deleted or added), and sometimes breaks the whole input (truncated,
 * not JSON, NUL bytes, not UTF-8). The page is committed as the adapter commits it (SyncContext.commit
 * of a feed run). Per case:
 * - nothing throws but a whole-input refusal that says what is wrong (UndecodablePage, a rejected file);
 * - every record received is accounted for: written, or quarantined with a field and a reason;
 * - every valid record of the batch landed in the store (by key, so by count), whatever its neighbours;
 * - hostile text that passed validation is stored verbatim (no SQL run: the store's tables are all there).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { createBackend, type Backend } from '../../../engine/backend';
import { fixedClock } from '../../../engine/domain/time';
import type { FeedName } from '../../../engine/domain/types';
import type { FeedConnector, QuarantinedRecord, SyncContext, SyncPage, SyncResult } from '../../../engine/ports/feed-sync';
import { checkIntegrity } from '../../../engine/store/integrity';
import { hostileValue, mutateRecord, HOSTILE_TEXT } from '../../../engine/fuzz/hostile';
import { createSimulatorMarket, type SimulatorMarket } from '../../../connectors/sandbox/simulator-market';
import { wireBookingEvent } from '../../../connectors/sandbox/pss';
import { wireCompetitorFare as sandboxCompetitorFare } from '../../../connectors/sandbox/pricing';
import { buildSsim } from '../../../connectors/sandbox/planning';
import { createState } from '../../../connectors/sandbox/state';
import { DECODERS, UndecodablePage } from '../../../connectors/pss/page-decoders';
import { splitValid } from '../../../connectors/pss/sync-kit';
import { readCsv } from '../../../connectors/files/csv-read';
import { PROS_DEMAND_FILE, writeCsv, type CellValue } from '../../../connectors/specs/csv';
import { demandFromRow } from '../../../connectors/pros/wire';
import { fareStreamPage, toCompetitorFare, wireCompetitorFare } from '../../../connectors/competitor/wire';
import { readSsimSchedule, toQuarantine } from '../../../connectors/ssim/expand';

export const INGESTION_PATHS = ['pss', 'pros', 'competitor', 'schedule'] as const satisfies readonly FeedName[];
export type IngestionPath = (typeof INGESTION_PATHS)[number];

export interface PathReport {
  cases: number;
  /** records in the inputs (decodable ones) */
  received: number;
  written: number;
  quarantined: number;
  /** whole inputs refused with a reason (truncated JSON, NUL bytes, …) */
  refusedWhole: number;
  /** valid records checked present in the store */
  validLanded: number;
}

export interface IngestFuzzReport {
  paths: Record<IngestionPath, PathReport>;
  cases: number;
  /** throws other than a whole-input refusal: the process would have lost the batch */
  crashes: number;
  /** every broken expectation (crashes included), with the input's shape */
  failures: string[];
  integrityOk: boolean;
}

export interface IngestFuzzOptions {
  /** cases per path */
  numRuns: number;
  seed: number;
  /** valid records per case (at most) */
  batch?: number;
}

/** A feed that runs whatever the campaign hands it inside one feed run (the adapters' commit path). */
class CampaignFeed implements FeedConnector {
  readonly endpoint = 'fuzz:campaign';
  body: ((ctx: SyncContext) => Promise<void>) | null = null;
  constructor(readonly feed: FeedName) {}
  breaker() { return { name: this.feed, state: 'closed' as const, consecutiveFailures: 0, openedAt: null, retryAt: null, lastTransitionAt: null, lastFailure: null }; }
  async sync(ctx: SyncContext): Promise<SyncResult> {
    const base = { recordsIn: 0, recordsWritten: 0, recordsQuarantined: 0, retries: 0, latencyMs: null, breakerTransitions: [], fallback: null, detail: {} };
    try {
      await this.body?.(ctx);
      return { ...base, status: 'ok', error: null };
    } catch (e) {
      return { ...base, status: 'failed', error: { code: 'internal', message: (e as Error).stack ?? String(e), retryable: false } };
    }
  }
}

const show = (v: unknown) => {
  try { return (JSON.stringify(v) ?? String(v)).slice(0, 160); } catch { return String(v).slice(0, 160); }
};

/** a whole-input corruption, or none (most cases) */
type Breakage = 'none' | 'truncate' | 'garbage' | 'nul' | 'latin1' | 'empty';
const breakage: fc.Arbitrary<Breakage> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('none' as const) },
  { weight: 1, arbitrary: fc.constantFrom<Breakage>('truncate', 'garbage', 'nul', 'latin1', 'empty') },
);
function breakText(text: string, b: Breakage, cut: number): Buffer {
  switch (b) {
    case 'none': return Buffer.from(text, 'utf8');
    case 'truncate': return Buffer.from(text.slice(0, Math.max(1, Math.floor(text.length * cut))), 'utf8');
    case 'garbage': return Buffer.from(`${text.slice(0, 20)}\u0007<<<${HOSTILE_TEXT[0]}>>>{[`, 'utf8');
    case 'nul': return Buffer.concat([Buffer.from(text.slice(0, 40), 'utf8'), Buffer.from([0, 0, 0]), Buffer.from(text.slice(40), 'utf8')]);
    case 'latin1': return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0xff, 0xfe, 0xe9])]);
    case 'empty': return Buffer.alloc(0);
  }
}

/** a batch: valid records (by index) and hostile ones, shuffled */
interface Mix<T> { items: { value: T; valid: boolean; note: string }[] }
function mixOf<T extends Record<string, unknown>>(valid: readonly T[], maxBatch: number): fc.Arbitrary<Mix<unknown>> {
  return fc.record({
    start: fc.nat({ max: Math.max(0, valid.length - 1) }),
    n: fc.integer({ min: 0, max: maxBatch }),
    hostile: fc.array(fc.oneof(
      { weight: 5, arbitrary: fc.nat({ max: valid.length - 1 }).chain((i) => mutateRecord(valid[i]!)).map((m) => ({ value: m.record as unknown, note: `changed ${m.changed.join(',')}` })) },
      { weight: 1, arbitrary: hostileValue.map((v) => ({ value: v, note: 'not a record' })) },
    ), { maxLength: 8 }),
    order: fc.array(fc.nat(), { maxLength: 40 }),
  }).map(({ start, n, hostile, order }) => {
    const items = [
      ...Array.from({ length: Math.min(n, valid.length) }, (_, i) => ({ value: valid[(start + i) % valid.length] as unknown, valid: true, note: 'valid' })),
      ...hostile.map((h) => ({ ...h, valid: false })),
    ];
    // a seeded shuffle
    for (let i = items.length - 1; i > 0; i--) {
      const j = (order[i % Math.max(1, order.length)] ?? 0) % (i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return { items };
  });
}

export async function fuzzIngestion(o: IngestFuzzOptions): Promise<IngestFuzzReport> {
  const batch = o.batch ?? 20;
  const market = createSimulatorMarket({ seed: 7, today: '2026-03-01', historyDays: 7, scenario: '3mkt' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-ingestfuzz-'));
  const feeds = Object.fromEntries(INGESTION_PATHS.map((f) => [f, new CampaignFeed(f)])) as Record<IngestionPath, CampaignFeed>;
  const backend = createBackend({
    dataDir: dir, clock: fixedClock(market.clock.now().toISOString()), connectors: Object.values(feeds), mode: 'sandbox', host: 'test', version: 'fuzz', backup: false,
    decisions: { autoPush: false, expiryIntervalMs: 0 },
  });
  const report: IngestFuzzReport = {
    paths: Object.fromEntries(INGESTION_PATHS.map((p) => [p, { cases: 0, received: 0, written: 0, quarantined: 0, refusedWhole: 0, validLanded: 0 }])) as IngestFuzzReport['paths'],
    cases: 0, crashes: 0, failures: [], integrityOk: false,
  };
  const fail = (p: IngestionPath, msg: string) => { if (report.failures.length < 200) report.failures.push(`${p}: ${msg}`); };
  const db = backend.store.db;
  const count = (sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;
  const tables = () => count("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
  try {
    await runIn(backend, feeds.pss, (ctx) => commitReference(ctx, market));
    const tablesAtStart = tables();

    /** commits one decoded batch and checks the accounting; returns what landed */
    const commitChecked = async (p: IngestionPath, ctx: SyncContext, page: SyncPage, received: number, validKeys: string[], present: (key: string) => boolean) => {
      const r = report.paths[p];
      const q0 = count('SELECT count(*) FROM quarantine WHERE feed = ?', p);
      const res = await ctx.commit(page);
      const qDelta = count('SELECT count(*) FROM quarantine WHERE feed = ?', p) - q0;
      r.received += received;
      r.written += res.written;
      r.quarantined += qDelta;
      if (res.written + qDelta !== received) fail(p, `${received} records received, ${res.written} written and ${qDelta} quarantined`);
      if (qDelta !== page.quarantined.length + res.quarantined) fail(p, `quarantine grew by ${qDelta}, expected ${page.quarantined.length} + ${res.quarantined}`);
      // the field at fault, or (a record wrong as a whole: not an object, a row of the wrong width) a reason saying so
      for (const q of page.quarantined) if (!q.reason || (!q.field && !/row|record|line|field/.test(q.reason))) fail(p, `a quarantined record without its field or reason: ${show(q)}`);
      for (const k of validKeys) {
        if (present(k)) r.validLanded++;
        else fail(p, `the valid record ${k} did not land (batch of ${received})`);
      }
    };

    const guarded = async (p: IngestionPath, input: string, fn: () => Promise<void>) => {
      report.cases++;
      report.paths[p].cases++;
      try {
        await fn();
      } catch (e) {
        report.crashes++;
        fail(p, `threw ${(e as Error).name}: ${(e as Error).message.slice(0, 300)} on ${input}`);
      }
    };

    // — PSS booking-event pages —
    const events = market.bookingEvents(0, 3000).items.map((e) => wireBookingEvent(e) as unknown as Record<string, unknown>);
    let caseNo = 0;
    await runIn(backend, feeds.pss, async (ctx) => {
      await fc.assert(fc.asyncProperty(mixOf(events, batch), breakage, fc.double({ min: 0.05, max: 0.95, noNaN: true }), async (mix, b, cut) => {
        const c = ++caseNo;
        // fresh booking ids: each valid record is a new booking
        const items = mix.items.map((it, i) => (it.valid ? { ...it, value: { ...(it.value as Record<string, unknown>), bookingId: `FZ${c}-${i}` } } : it));
        const text = JSON.stringify({ data: items.map((i) => i.value), nextCursor: `c${c}`, hasMore: false });
        const bytes = breakText(text, b, cut);
        await guarded('pss', `${b} page of ${items.length} (${items.map((i) => i.note).join('; ').slice(0, 200)})`, async () => {
          let decoded;
          try {
            decoded = DECODERS.bookingEvents(bytes.toString('utf8'), c);
          } catch (e) {
            if (e instanceof UndecodablePage && b !== 'none') { report.paths.pss.refusedWhole++; return; }
            throw e;
          }
          if (decoded.records.length + decoded.quarantined.length !== items.length) fail('pss', `${items.length} items, ${decoded.records.length} decoded and ${decoded.quarantined.length} quarantined`);
          const validIds = items.filter((i) => i.valid).map((i) => (i.value as { bookingId: string }).bookingId);
          await commitChecked('pss', ctx, { stream: 'bookings', records: { kind: 'bookings', items: decoded.records }, quarantined: decoded.quarantined }, items.length, validIds,
            (id) => count('SELECT count(*) FROM bookings WHERE id = ?', id) === 1);
        });
      }), { numRuns: o.numRuns, seed: o.seed });
    });

    // — PROS demand CSV drop files —
    const demandRows: CellValue[][] = [];
    const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    for (const p of market.demandPublications(0, 3000).items) {
      const d = p.record;
      demandRows.push([d.carrier, d.origin, d.destination, d.departureDate, d.cabin, d.dcp, d.kind, r3(d.bookings), r3(d.unconstrainedDemand), d.asOf]);
    }
    const columns = Object.keys(PROS_DEMAND_FILE.columns);
    const asRecord = (row: CellValue[]) => Object.fromEntries(columns.map((c, i) => [c, row[i]]));
    const csvCell = (v: unknown): CellValue => (v === null || v === undefined ? null : typeof v === 'number' ? v : typeof v === 'string' ? v : show(v));
    caseNo = 0;
    await runIn(backend, feeds.pros, async (ctx) => {
      await fc.assert(fc.asyncProperty(mixOf(demandRows.map(asRecord), batch), breakage, fc.double({ min: 0.05, max: 0.95, noNaN: true }), async (mix, b, cut) => {
        const c = ++caseNo;
        // fresh keys: each valid row is its own figure (the DCP stays in range, the date is unique per case)
        const items = mix.items.map((it, i) => (it.valid ? { ...it, value: { ...(it.value as Record<string, unknown>), departure_date: dateOf(c, i) } } : it));
        const rows = items.map((it) => (it.value !== null && typeof it.value === 'object' && !Array.isArray(it.value)
          ? columns.map((col) => csvCell((it.value as Record<string, unknown>)[col]))
          : [csvCell(it.value), ...columns.slice(1).map(() => null)]));
        const text = writeCsv(PROS_DEMAND_FILE, rows);
        const bytes = breakText(text, b, cut);
        const name = `demand_20260301T0600${String(c % 100).padStart(2, '0')}Z_fuzz.csv`;
        await guarded('pros', `${b} file of ${items.length} rows (${items.map((i) => i.note).join('; ').slice(0, 200)})`, async () => {
          const read = readCsv(bytes, name, PROS_DEMAND_FILE);
          if (!read.ok) {
            if (!read.reason) fail('pros', 'a refused file without a reason');
            // a file mostly wrong is refused whole by design (more than half its rows bad: "the file looks wrong")
            const hostile = items.filter((i) => !i.valid).length;
            // and a NUL byte anywhere makes it "not a text file"
            if (b === 'none' && items.length > 0 && hostile * 2 < items.length && !text.includes('\u0000')) fail('pros', `an intact file with ${hostile} hostile rows of ${items.length} was refused: ${read.reason}`);
            report.paths.pros.refusedWhole++;
            return;
          }
          const { records, quarantined } = splitValid(read.content.rows.map((r) => r.value), null, demandFromRow, { source: `file ${name}`, locate: (i) => `line ${read.content.rows[i]!.line}` });
          const all: QuarantinedRecord[] = [...read.content.quarantined, ...quarantined];
          const received = read.content.rowsIn;
          // blank lines (every cell empty) are not rows
          const nonBlank = rows.filter((r) => r.some((v) => v !== null && String(v).trim() !== '')).length;
          if (b === 'none' && received !== nonBlank) fail('pros', `${nonBlank} rows written, ${received} read`);
          // rows cut by a truncation are not expected; the others must land
          const kept = bytes.toString('utf8');
          const validKeys = items.filter((i, idx) => i.valid && (b === 'none' || kept.includes(`${text.split('\n')[idx + 1]}\n`))).map((i) => demandKey(i.value as Record<string, unknown>));
          await commitChecked('pros', ctx, { stream: `file:${read.content.sha256}`, records: { kind: 'demand', items: records }, quarantined: all }, received, validKeys,
            (k) => count('SELECT count(*) FROM demand WHERE carrier || \'/\' || origin || \'-\' || destination || \'/\' || departure_date || \'/\' || cabin || \'/\' || dcp = ?', k) === 1);
        });
      }), { numRuns: o.numRuns, seed: o.seed + 1 });
    });

    // — competitor fare pages —
    const fares = market.competitorObservations(0, 3000).items.map((x) => sandboxCompetitorFare(x.fare) as unknown as Record<string, unknown>);
    caseNo = 0;
    await runIn(backend, feeds.competitor, async (ctx) => {
      await fc.assert(fc.asyncProperty(mixOf(fares, batch), breakage, fc.double({ min: 0.05, max: 0.95, noNaN: true }), async (mix, b, cut) => {
        const c = ++caseNo;
        const items = mix.items.map((it, i) => (it.valid ? { ...it, value: { ...(it.value as Record<string, unknown>), observedAt: `2026-02-28T${String(c % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:${String(Math.floor(c / 24) % 60).padStart(2, '0')}Z` } } : it));
        const bytes = breakText(JSON.stringify({ data: items.map((i) => i.value), nextCursor: `c${c}`, hasMore: false }), b, cut);
        await guarded('competitor', `${b} page of ${items.length} (${items.map((i) => i.note).join('; ').slice(0, 200)})`, async () => {
          let env: z.infer<typeof fareStreamPage>;
          try {
            const parsed = fareStreamPage.safeParse(JSON.parse(bytes.toString('utf8')));
            if (!parsed.success) throw new Error(`the page does not match the specification: ${z.prettifyError(parsed.error).slice(0, 200)}`);
            env = parsed.data;
          } catch (e) {
            if (b !== 'none') { report.paths.competitor.refusedWhole++; return; }
            throw e;
          }
          const { records, quarantined } = splitValid(env.data, wireCompetitorFare, toCompetitorFare, { source: 'competitor GET /v1/competitor-fares', page: c });
          const validKeys = items.filter((i) => i.valid).map((i) => compKey(i.value as Record<string, unknown>));
          await commitChecked('competitor', ctx, { stream: 'competitorFares', records: { kind: 'competitorFares', items: records }, quarantined }, env.data.length, validKeys,
            (k) => count(`SELECT count(*) FROM competitor_fares WHERE carrier || '/' || origin || '-' || destination || '/' || departure_date || '/' || coalesce(cabin, '') || '/' || coalesce(brand, '') || '/' || observed_at = ?`, k) === 1);
        });
      }), { numRuns: o.numRuns, seed: o.seed + 2 });
    });

    // — SSIM files —
    const window = market.flightWindow();
    const ssim = buildSsim(createState(market), window.fromDate, addDaysIso(window.fromDate, 13), 0, () => 0.5).text;
    const lines = ssim.split('\n');
    const legLines = lines.map((l, i) => ({ l, i })).filter((x) => x.l[0] === '3');
    caseNo = 0;
    await runIn(backend, feeds.schedule, async (ctx) => {
      await fc.assert(fc.asyncProperty(
        fc.array(fc.record({ line: fc.nat({ max: legLines.length - 1 }), col: fc.integer({ min: 1, max: 199 }), text: fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ maxLength: 30 })), op: fc.constantFrom('overwrite', 'overwrite', 'cut', 'extend') }), { maxLength: 6 }),
        breakage, fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        async (edits, b, cut) => {
          const c = ++caseNo;
          const out = [...lines];
          const touched = new Set<number>();
          for (const e of edits) {
            const at = legLines[e.line]!.i;
            const l = out[at]!;
            out[at] = e.op === 'overwrite' ? `${l.slice(0, e.col)}${e.text}${l.slice(e.col + e.text.length)}`.slice(0, Math.max(l.length, e.col + e.text.length))
              : e.op === 'cut' ? l.slice(0, e.col) : `${l}${e.text || 'X'}`;
            if (out[at] !== l) touched.add(at);
          }
          const text = out.join('\n');
          const bytes = breakText(text, b, cut);
          const name = `schedule_fuzz_${c}.ssim`;
          await guarded('schedule', `${b} file, lines ${[...touched].join(',')} edited (${edits.map((e) => `${e.op}@${e.col}:${show(e.text)}`).join(' ').slice(0, 200)})`, async () => {
            const s = readSsimSchedule(bytes, { source: name });
            const quarantined = toQuarantine(`ssim ${name}`, s.errors);
            for (const e of s.errors) {
              if (!e.field || !e.message) fail('schedule', `an error without its field: ${show(e)}`);
              if (b === 'none' && e.code !== 'repeated_record' && !touched.has(e.line - 1) && !touched.has(e.line - 2)) fail('schedule', `line ${e.line} was not edited, yet quarantined: ${e.field}: ${e.message}`);
            }
            if (b !== 'none' && s.legs.length === 0) { report.paths.schedule.refusedWhole++; return; }
            // every untouched flight-leg line yields its legs (flight number and leg origin)
            const produced = new Set(s.legs.map((l) => `${l.flightNumber}/${l.origin}`));
            const keptText = bytes.toString('latin1');
            const validKeys = b !== 'none' ? [] : legLines.filter((x) => !touched.has(x.i) && keptText.includes(x.l)).map((x) => `${Number(x.l.slice(5, 9))}/${x.l.slice(36, 39)}`);
            const received = s.legs.length + quarantined.length;
            await commitChecked('schedule', ctx, { stream: 'plannedLegs', records: { kind: 'plannedLegs', items: s.legs }, quarantined }, received, validKeys, (k) => produced.has(k));
          });
        }), { numRuns: o.numRuns, seed: o.seed + 3 });
    });

    if (tables() !== tablesAtStart) fail('pss', `the store had ${tablesAtStart} tables and has ${tables()}`);
    report.integrityOk = checkIntegrity(db, backend.store.file, 'full').ok;
    if (!report.integrityOk) report.failures.push('the store fails its integrity check after the campaign');
    return report;
  } finally {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** runs `body` inside one feed run of `feed` (the sync path every adapter takes); a failed run is a crash */
async function runIn(backend: Backend, feed: CampaignFeed, body: (ctx: SyncContext) => Promise<void>): Promise<void> {
  feed.body = body;
  const [run] = await backend.feeds.sync([feed.feed], 'fuzz', true);
  feed.body = null;
  if (!run || run.status === 'failed') throw new Error(`the ${feed.feed} fuzz run failed: ${run?.error ?? "no run"}`);
}

async function commitReference(ctx: SyncContext, market: SimulatorMarket): Promise<void> {
  const w = market.flightWindow();
  await ctx.commit({ stream: 'carriers', records: { kind: 'carriers', items: market.carriers() }, quarantined: [] });
  await ctx.commit({ stream: 'airports', records: { kind: 'airports', items: market.airports() }, quarantined: [] });
  await ctx.commit({ stream: 'rbds', records: { kind: 'rbds', items: market.rbds() }, quarantined: [] });
  await ctx.commit({ stream: 'flights', records: { kind: 'flights', items: market.flights(w.fromDate, w.toDate) }, quarantined: [] });
}

function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
/** a departure date unique to (case, row): days counted from 2030-01-01 */
const dateOf = (c: number, i: number) => addDaysIso('2030-01-01', c * 64 + i);
const demandKey = (r: Record<string, unknown>) => `${r.carrier}/${r.origin}-${r.destination}/${r.departure_date}/${r.cabin}/${r.dcp}`;
const compKey = (r: Record<string, unknown>) => `${r.carrier}/${r.origin}-${r.destination}/${r.departureDate}/${r.cabin ?? ''}/${r.brand ?? ''}/${r.observedAt}`;
