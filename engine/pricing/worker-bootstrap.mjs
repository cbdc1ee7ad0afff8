// Starts a TypeScript worker from sources in a process that has no TypeScript loader (tests, plain
// node): registers tsx in this worker thread, then loads the entry given in workerData.entry.
// Bundled hosts start their bundled worker directly and never load this file.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
