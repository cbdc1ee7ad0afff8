/**
 * The archive: a revenue manager pushes a fare twice and rejects a third proposal for it; later (the headless
 * `archive` command run as of 40 days on, as the nightly cycle's retention would) the rejected decision, the
 * replaced push and their audit rows leave the store for the archive files, which verify. An analyst finds
 * the rejected one on the Archive screen with who rejected it and why, its audit rows, and from them the
 * decision again; the replaced push opens from the second push's detail; what was found exports as CSV.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { formatCount } from '../../app/components/format';
import type { Workbench } from '../support/workbench';
import { addDays } from '../../engine/domain/time';
import { toMajor } from '../../engine/domain/money';
import { ROOT, SANDBOX_TODAY } from '../support/run';

/** Runs `npm run headless -- <args>` on the host's data folder; resolves with its output, rejects on a non-zero exit. */
function headless(dataDir: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'electron', 'headless', 'dfae.mjs'), '--data-dir', dataDir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`dfae ${args.join(' ')} exited with ${code}: ${out}`))));
  });
}

export async function archivedDecisionFound(wb: Workbench, dataDir: string): Promise<void> {
  await wb.loginAs('manager');
  // an open economy fare of a departure three weeks on
  const date = addDays(SANDBOX_TODAY, 21);
  const f = (await wb.api('fares.list', { dateFrom: date, dateTo: date, limit: 2_000 })).rows
    .find((r) => r.amountMinor !== null && r.fareBasis !== null && r.currency !== null && r.pointOfSale !== null && r.status === 'open' && r.cabin === 'Y');
  expect(f, `an open economy fare on ${date} in the sandbox`).toBeDefined();
  const fareAt = (factor: number) => ({
    carrier: f!.carrier, origin: f!.origin, destination: f!.destination, rbd: f!.rbd, cabin: f!.cabin, fareBasis: f!.fareBasis!, pointOfSale: f!.pointOfSale!,
    currency: f!.currency!, amountMinor: Math.round((f!.amountMinor! * factor) / 100) * 100, validFrom: f!.localDate, validTo: f!.localDate, flightId: f!.flightId,
  });
  // the fare pushed twice: the first push, replaced by the second, will go to the archive (its values stay in the price history)
  const pushed: number[] = [];
  for (const factor of [1.03, 1.04]) {
    const p = await wb.api('decisions.propose', { kind: 'fare', fare: fareAt(factor), reason: `e2e: push ${factor}`, confirmOutsideGuardrails: true });
    await wb.api('decisions.approve', { ids: [p.id] });
    await wb.api('decisions.pushNow', { wait: true });
    // pushed and acknowledged before the next one is proposed (a newer proposal supersedes one not yet pushed)
    await expect.poll(async () => { const x = await wb.api('decisions.get', { id: p.id }); return `${x.state}${x.failureReason ? `: ${x.failureReason}` : ''}`; }, { timeout: 30_000 }).toBe('pushed');
    pushed.push(p.id);
  }
  const first = await wb.api('decisions.get', { id: pushed[0]! });
  expect(first.state).toBe('pushed');
  expect(first.pssReference, 'the sandbox PSS acknowledged the first push').toBeTruthy();
  const d = await wb.api('decisions.propose', { kind: 'fare', fare: fareAt(1.05), reason: 'e2e: try 5 % up', confirmOutsideGuardrails: true });
  await wb.api('decisions.reject', { ids: [d.id], reason: 'e2e: the rival will follow' });
  // a newer decision, so that this one is not the store's newest (retention keeps that one)
  await wb.api('decisions.propose', { kind: 'fare', fare: fareAt(1.02), reason: 'e2e: left open', confirmOutsideGuardrails: true });

  const later = new Date(Date.now() + 40 * 86_400_000).toISOString();
  const out = await headless(dataDir, ['--now', later, 'archive', '--decisions-days', '30', '--audit-days', '30', '--departed-days', '0']);
  expect(out).toMatch(/decision/);
  // the files verify: the audit chain with its archive, each decision file against its record
  expect(await headless(dataDir, ['archive', '--verify'])).toMatch(/audit chain in the store: ok[\s\S]*decisions-\S+\.jsonl\.gz: ok/);
  // and the headless search finds it
  const line = (await headless(dataDir, ['archived', '--id', String(d.id)])).split('\n')[0]!;
  expect(line).toContain(`${d.id}  rejected  fare ${d.origin}-${d.destination} ${d.flightId} ${d.rbd}  ${toMajor(d.proposedValue, d.currency!)} ${d.currency}  decided by manager: e2e: the rival will follow`);
  await expect(wb.api('decisions.get', { id: d.id })).rejects.toThrow(/is not in the store: retention has moved older decisions to .* archive file.*the Archive screen/);

  await wb.loginAs('analyst');
  await wb.goto('archive');
  const screen = wb.page.getByTestId('screen-archive');
  // what the archive holds: its files and their totals, as the API lists them
  const files = await wb.api('archive.files', {});
  expect(files.files.some((x) => x.kind === 'decisions' && x.present && (x.bytes ?? 0) > 0)).toBe(true);
  expect(files.files.some((x) => x.kind === 'audit' && x.present)).toBe(true);
  await expect(screen.getByTestId('archive-files').locator('summary'))
    .toContainText(`${formatCount(files.decisions)} decision${files.decisions === 1 ? '' : 's'} and ${formatCount(files.auditRows)} audit row`);
  await screen.getByTestId('archive-id').fill(String(d.id));
  await screen.getByTestId('archive-search').click();
  const row = screen.getByTestId(`archive-decision-${d.id}`);
  await expect(row).toContainText('rejected');
  await expect(row).toContainText(`${d.origin}–${d.destination}`);
  await expect(row).toContainText('manager');
  await expect(screen.getByTestId('archive-progress')).toContainText(/1 found; 1 of 1 file read/);
  await row.click();
  const detail = screen.getByTestId('archive-decision-detail');
  await expect(detail).toContainText('e2e: the rival will follow');
  await expect(detail).toContainText(d.key);
  await wb.shot('archive-decision');

  // its audit rows went to the archive too: proposed and rejected by the manager
  await detail.getByTestId('archive-decision-audit').click();
  const audit = screen.getByTestId('archive-audit');
  await expect(audit.locator('tbody tr').first()).toContainText('rejected by manager: e2e: the rival will follow');
  await expect(audit.locator('tbody tr')).toHaveCount((await wb.api('archive.audit', { entity: 'decision', entityId: String(d.id) })).rows.length);

  // the audit row's decision, gone from the store, opens in the decisions tab
  await audit.getByTestId(`archive-audit-decision-${d.id}`).first().click();
  await expect(screen.getByTestId('archive-id')).toHaveValue(String(d.id));
  await expect(screen.getByTestId(`archive-decision-${d.id}`)).toContainText('rejected');

  // a text search finds it among everything archived, and the API says the same
  await screen.getByTestId('archive-tab-decisions').click();
  await screen.getByTestId('archive-id').fill('');
  await screen.getByTestId('archive-text').fill('rival will follow');
  await screen.getByTestId('archive-search').click();
  await expect(screen.getByTestId('archive-decisions').getByTestId(/^archive-decision-\d+$/)).toHaveCount(1);
  const api = await wb.api('archive.decisions', { text: 'rival will follow' });
  expect(api.rows.map((r) => [r.id, r.state, r.decidedBy])).toEqual([[d.id, 'rejected', 'manager']]);
  // the second push's detail lists the first among the values pushed, archived: it opens here
  await wb.goto('approvals');
  await wb.page.getByTestId(`pushed-row-${pushed[1]}`).getByRole('button', { name: String(pushed[1]) }).click();
  await wb.page.getByTestId('detail-pushed-values').getByRole('button', { name: `${pushed[0]} (archived)` }).click();
  await expect(screen.getByTestId(`archive-decision-${pushed[0]}`)).toContainText('pushed');
  await expect(screen.getByTestId('archive-decision-detail')).toContainText(first.pssReference!);
  await expect(screen.getByTestId('archive-id')).toHaveValue(String(pushed[0]));

  // exported as CSV, values in major units
  await screen.getByTestId('archive-id').fill('');
  await screen.getByTestId('archive-text').fill('rival will follow');
  await screen.getByTestId('archive-search').click();
  await expect(screen.getByTestId(`archive-decision-${d.id}`)).toBeVisible();
  await expect(screen.getByTestId('archive-decisions').getByTestId(/^archive-decision-\d+$/)).toHaveCount(1);
  const [download] = await Promise.all([wb.page.waitForEvent('download'), screen.getByTestId('archive-export').click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  expect(csv).toHaveLength(2);
  expect(csv[0]).toMatch(/^Id,State,Kind,Source,Carrier,Origin,Destination,Flight,/);
  expect(csv[1]).toContain(`${d.id},rejected,fare,manual,${f!.carrier},${f!.origin},${f!.destination},${f!.flightId},`);
  expect(csv[1]).toContain(`,${d.currency},${toMajor(d.currentValue!, d.currency!)},${toMajor(d.proposedValue, d.currency!)},manager,`);
  expect(csv[1]).toContain('e2e: the rival will follow');
}
