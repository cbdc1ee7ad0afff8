/** Worker thread entry: decodes pages for decode-pool.ts (see page-decoders.ts). */
import { parentPort } from 'node:worker_threads';
import { DECODERS, UndecodablePage, type DecoderName } from './page-decoders';
import { packBookings, packedTransfers } from './booking-transport';

interface Task { id: number; name: DecoderName; bytes: ArrayBuffer; page: number }

parentPort!.on('message', (t: Task) => {
  try {
    const out = DECODERS[t.name](Buffer.from(t.bytes).toString('utf8'), t.page);
    // the bookings travel packed by column (booking-transport.ts); the pool unpacks them
    const packed = packBookings(out.records);
    parentPort!.postMessage({ id: t.id, ok: true, out: { ...out, records: [] }, packed }, packedTransfers(packed));
  } catch (e) {
    parentPort!.postMessage({ id: t.id, ok: false, undecodable: e instanceof UndecodablePage, message: (e as Error).message });
  }
});
