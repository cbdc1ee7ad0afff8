/**
 * The shared connector toolkit's throughput: SSIM read + expansion, CSV batch-file reading, and HTTP
 * calls through the resilient client (undici, breaker, retry bookkeeping) to a local server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays } from '../../../engine/domain/time';
import { readSsimSchedule } from '../../../connectors/ssim/expand';
import { writeSsim } from '../../../connectors/ssim/write';
import type { SsimLegFields } from '../../../connectors/ssim/types';
import { col, defineFileSpec } from '../../../connectors/files/column-spec';
import { readCsv } from '../../../connectors/files/csv-read';
import { HttpClient } from '../../../connectors/http/client';
import { rate, type BenchContext } from '../types';

const STATIONS = ['FRA', 'JFK', 'LHR', 'CDG', 'MAD', 'FCO', 'AMS', 'ZRH', 'VIE', 'CPH'];

function ssimRecords(n: number): SsimLegFields[] {
  return Array.from({ length: n }, (_, i) => ({
    operationalSuffix: '', airline: 'XX', flightNumber: 1 + (i % 9000), itineraryVariation: 1 + Math.floor(i / 9000), legSequence: 1, serviceType: 'J',
    periodFrom: addDays('2025-03-30', (i * 7) % 60), periodTo: addDays('2025-03-30', 120 + ((i * 7) % 60)), daysOfOperation: [1, 2, 3, 4, 5, 6, 7].filter((d) => (d + i) % 3 !== 0), frequencyRate: 1,
    departureStation: STATIONS[i % 10]!, passengerStd: `${String(6 + (i % 16)).padStart(2, '0')}:${String((i * 5) % 60).padStart(2, '0')}`, aircraftStd: '06:00',
    departureUtcOffsetMinutes: 120, departureTerminal: '', arrivalStation: STATIONS[(i + 3) % 10]!, aircraftSta: '08:00',
    passengerSta: `${String(8 + (i % 16)).padStart(2, '0')}:${String((i * 5) % 60).padStart(2, '0')}`, arrivalUtcOffsetMinutes: 120, arrivalTerminal: '',
    aircraftType: '320', prbd: 'JY', prbm: '', mealNote: '', jointOperationAirlines: '', onwardAirline: '', onwardFlightNumber: null,
    operatingDisclosure: '', trafficRestriction: '', aircraftConfiguration: 'J12Y150', departureDateVariation: 0, arrivalDateVariation: 0,
  }));
}

const spec = defineFileSpec({
  kind: 'bench-demand', title: 'bench', description: 'bench', fileNamePattern: /\.csv$/,
  columns: {
    origin: { type: col.airport(), required: true, description: '' },
    destination: { type: col.airport(), required: true, description: '' },
    departure_date: { type: col.date(), required: true, description: '' },
    dcp: { type: col.integer({ min: 0, max: 365 }), required: true, description: '' },
    bookings: { type: col.integer({ min: 0 }), required: true, description: '' },
    load_factor: { type: col.decimal({ min: 0, max: 2 }), required: false, description: '' },
  },
});

export default async function connectorsToolkit(ctx: BenchContext): Promise<void> {
  // SSIM
  const records = ctx.quick ? 1_000 : 10_000;
  const text = writeSsim({ airline: 'XX', validFrom: '2025-03-30', validTo: '2025-10-25', creationDate: '2025-03-01', legs: ssimRecords(records) });
  let t0 = performance.now();
  const s = readSsimSchedule(text, { source: 'bench.ssim' });
  let ms = performance.now() - t0;
  if (s.errors.length) throw new Error(`SSIM bench file has ${s.errors.length} errors: ${s.errors[0]!.message}`);
  ctx.print(`ssim.read+expand  ${records.toLocaleString('en-US')} records → ${s.legs.length.toLocaleString('en-US')} dated legs in ${ms.toFixed(0)} ms: ${rate(records, ms)} records/s, ${rate(s.legs.length, ms)} legs/s`);

  // CSV
  const rows = ctx.quick ? 20_000 : 200_000;
  const lines = ['origin,destination,departure_date,dcp,bookings,load_factor'];
  for (let i = 0; i < rows; i++) lines.push(`${STATIONS[i % 10]},${STATIONS[(i + 1) % 10]},${addDays('2025-06-01', i % 300)},${i % 120},${i % 250},0.${i % 100}`);
  const bytes = Buffer.from(lines.join('\n'));
  t0 = performance.now();
  const r = readCsv(bytes, 'bench.csv', spec);
  ms = performance.now() - t0;
  if (!r.ok) throw new Error(`CSV bench file rejected: ${r.reason}`);
  ctx.print(`csv.read  ${rows.toLocaleString('en-US')} rows (${(bytes.length / 1e6).toFixed(1)} MB) in ${ms.toFixed(0)} ms: ${rate(rows, ms)} rows/s`);

  // HTTP
  const body = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ id: i, rbd: 'Y', sold: i })) });
  const server = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new HttpClient({ name: 'bench', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  try {
    const calls = ctx.quick ? 500 : 5_000;
    const concurrency = 8;
    let next = 0;
    t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next++;
        await client.json({ method: 'GET', path: '/v1/inventory', query: { page: next } });
      }
    }));
    ms = performance.now() - t0;
    ctx.print(`http.client  ${calls.toLocaleString('en-US')} GET+JSON calls (${concurrency} concurrent, 127.0.0.1) in ${ms.toFixed(0)} ms: ${rate(calls, ms)} calls/s`);
  } finally {
    await client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
