/**
 * V8 flags for the sandbox's process (connectors/sandbox/process.ts spawns it with them; the desktop app
 * passes them to its utility process). A booking-events page of 10,000 events is built as objects and
 * serialised to about 8 MB of JSON, all of it garbage a moment later: with V8's default young
 * generation the collector copied and promoted it, and took half of the sandbox's CPU time while
 * serving a history. Semi-spaces of 64 MB: serving 414,464 events (the ingest benchmark's sync) took
 * 1.47-1.49 s of the sandbox's CPU instead of 2.0-2.3 s, on the same two cores the workbench syncs on.
 */
export const SANDBOX_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
